#include "imaging/upscale/internal/TfjsWeightDecoder.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

namespace ripen {
namespace {

using nlohmann::json;

static_assert(std::endian::native == std::endian::little, "TF.js shards are little-endian");

std::string weightName(const std::string& name) {
    return "weight '" + name + "'";
}

Result<std::vector<int>> readShape(const json& spec, const std::string& name,
                                   std::uint64_t& count) {
    std::vector<int> shape;
    count = 1;
    for (const json& dim : spec.at("shape")) {
        const auto value = dim.get<std::int64_t>();
        if (value < 1 || value > 65536) {
            return fail(ErrorCode::Corrupt,
                        weightName(name) + ": shape " + spec.at("shape").dump());
        }
        count *= static_cast<std::uint64_t>(value);
        if (count > TfjsWeightDecoder::kMaxValues) {
            return fail(ErrorCode::Corrupt, weightName(name) + ": shape " +
                                                spec.at("shape").dump() + " is absurdly large");
        }
        shape.push_back(static_cast<int>(value));
    }
    return shape;
}

// How the values are stored: 4-byte floats, 2-byte halves, or 1- or 2-byte integers on
// the grid min + q * scale.
struct Storage {
    enum class Kind { Float32, Float16, Uint8, Uint16 } kind = Kind::Float32;
    std::size_t bytesPerValue = 4;
    double min = 0.0;
    double scale = 1.0;
};

Result<double> quantizationNumber(const json& quantization, const char* field,
                                  const std::string& name) {
    auto found = quantization.find(field);
    if (found == quantization.end() || !found->is_number() ||
        !std::isfinite(found->get<double>())) {
        return fail(ErrorCode::Corrupt,
                    weightName(name) + ": quantization." + field + " is missing or not a number");
    }
    return found->get<double>();
}

Result<Storage> readStorage(const json& spec, const std::string& name) {
    const std::string dtype = spec.value("dtype", "float32");
    if (dtype != "float32") {
        return fail(ErrorCode::Unsupported,
                    weightName(name) + ": dtype '" + dtype + "' (only float32 weights are read)");
    }
    Storage storage;
    auto quantization = spec.find("quantization");
    if (quantization == spec.end()) {
        return storage;
    }
    const std::string stored = quantization->at("dtype").get<std::string>();
    if (stored == "float16") {
        storage.kind = Storage::Kind::Float16;
        storage.bytesPerValue = 2;
        return storage;
    }
    if (stored != "uint8" && stored != "uint16") {
        return fail(ErrorCode::Unsupported, weightName(name) + ": quantization.dtype '" + stored +
                                                "' (Ripen reads uint8, uint16 and float16)");
    }
    storage.kind = stored == "uint8" ? Storage::Kind::Uint8 : Storage::Kind::Uint16;
    storage.bytesPerValue = stored == "uint8" ? 1 : 2;
    auto min = quantizationNumber(*quantization, "min", name);
    if (!min) {
        return std::unexpected(min.error());
    }
    auto scale = quantizationNumber(*quantization, "scale", name);
    if (!scale) {
        return std::unexpected(scale.error());
    }
    storage.min = *min;
    storage.scale = *scale;
    return storage;
}

float decodeValue(const Storage& storage, const char* at) {
    switch (storage.kind) {
    case Storage::Kind::Float32: {
        float value = 0;
        std::memcpy(&value, at, 4);
        return value;
    }
    case Storage::Kind::Float16: {
        std::uint16_t bits = 0;
        std::memcpy(&bits, at, 2);
        return TfjsWeightDecoder::halfToFloat(bits);
    }
    case Storage::Kind::Uint8:
        return static_cast<float>(static_cast<unsigned char>(*at) * storage.scale + storage.min);
    case Storage::Kind::Uint16: {
        std::uint16_t q = 0;
        std::memcpy(&q, at, 2);
        return static_cast<float>(q * storage.scale + storage.min);
    }
    }
    return 0.0F;
}

} // namespace

float TfjsWeightDecoder::halfToFloat(std::uint16_t bits) {
    const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000U) << 16;
    const std::uint32_t exponent = (bits >> 10) & 0x1FU;
    const std::uint32_t mantissa = bits & 0x3FFU;
    if (exponent == 0) { // zero or subnormal: mantissa * 2^-24, exact in float32
        const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign != 0 ? -magnitude : magnitude;
    }
    if (exponent == 0x1F) { // infinity or NaN
        return std::bit_cast<float>(sign | 0x7F800000U | (mantissa << 13));
    }
    // Rebias the exponent from 15 to 127.
    return std::bit_cast<float>(sign | ((exponent + 112U) << 23) | (mantissa << 13));
}

Result<TfjsWeight> TfjsWeightDecoder::decode(const json& spec, std::string_view bytes,
                                             std::uint64_t& offset) {
    const std::string name = spec.at("name").get<std::string>();
    auto storage = readStorage(spec, name);
    if (!storage) {
        return std::unexpected(storage.error());
    }
    std::uint64_t count = 0;
    auto shape = readShape(spec, name, count);
    if (!shape) {
        return std::unexpected(shape.error());
    }
    const std::uint64_t size = count * storage->bytesPerValue;
    if (offset > bytes.size() || size > bytes.size() - offset) {
        return fail(ErrorCode::Corrupt,
                    weightName(name) + " needs bytes " + std::to_string(offset) + ".." +
                        std::to_string(offset + size) + " but the shards hold " +
                        std::to_string(bytes.size()) + " (truncated download?)");
    }
    TfjsWeight weight{std::move(*shape), std::vector<float>(count)};
    const char* at = bytes.data() + offset;
    for (std::uint64_t i = 0; i < count; ++i, at += storage->bytesPerValue) {
        weight.values[i] = decodeValue(*storage, at);
        if (!std::isfinite(weight.values[i])) {
            return fail(ErrorCode::Corrupt, weightName(name) + ": value " + std::to_string(i) +
                                                " is not a finite number");
        }
    }
    offset += size;
    return weight;
}

} // namespace ripen
