#pragma once

#include "common/Error.h"

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string_view>
#include <vector>

namespace ripen {

// One weight of a TF.js weights manifest, decoded to float32.
struct TfjsWeight {
    std::vector<int> shape;
    std::vector<float> values;
};

// Decodes the weights-manifest entries of TF.js layers models (tfjs-core io/types.ts,
// WeightsManifestEntry): a float32 weight as stored, or one the converter quantized, named
// by its "quantization" object: {"dtype": "uint8"|"uint16", "min", "scale"} stores
// little-endian integers q with value = q * scale + min (computed in double, as TF.js does);
// {"dtype": "float16"} stores IEEE half floats. The stored weight itself must be float32.
//
// Untrusted: shapes are bounded (each dimension 1..65536, at most kMaxValues elements), the
// bytes must hold the whole weight, and decoded values must be finite. Errors name the
// weight and the field at fault: Unsupported (an unknown or unread dtype), Corrupt (a
// missing or non-numeric min/scale, a bad shape, a shard too short, a non-finite value).
class TfjsWeightDecoder {
public:
    static constexpr std::uint64_t kMaxValues = 1ULL << 28;

    // `bytes` are the weight group's shards concatenated; `offset` is where this weight
    // starts and is advanced past it on success.
    static Result<TfjsWeight> decode(const nlohmann::json& spec, std::string_view bytes,
                                     std::uint64_t& offset);

    // IEEE 754 binary16 to float32, exactly (subnormals, infinities and NaN included).
    static float halfToFloat(std::uint16_t bits);
};

} // namespace ripen
