#pragma once

#include "common/Error.h"
#include "imaging/upscale/SrNetwork.h"

#include <filesystem>

namespace ripen {

// Reads a TensorFlow.js layers model (model.json: modelTopology + weightsManifest, with
// its weight shards beside it) as an SrNetwork. Layers read: InputLayer, Conv2D (stride
// 1, "same" padding, or "valid" 1x1; linear or relu activation), Activation (relu,
// linear), LeakyReLU, PReLU, Add, Concatenate (channel axis), UpSampling2D (nearest),
// and the UpscalerJS custom layers MultiplyBeta and PixelShuffle<N>x (TF depth_to_space).
// Value range, by UpscalerJS convention: its RRDN models (the ones with MultiplyBeta or
// PixelShuffle layers) see pixels in 0..1, its RDN models in 0..255.
//
// Weights: float32, or quantized by the TF.js converter to uint8/uint16 (min + q * scale)
// or float16 (see TfjsWeightDecoder), as @upscalerjs/esrgan-legacy ships them.
//
// Untrusted: model.json is read up to 16 MiB, each shard up to 1 GiB, and the shards must
// hold exactly the bytes the manifest lists. Errors name the file and the layer, weight or
// field at fault: Corrupt (truncated shard, mismatched weight shape, bad JSON), Unsupported
// (a layer class or option Ripen does not run), LimitExceeded (oversized files).
class TfjsModelReader {
public:
    static Result<SrNetwork> read(const std::filesystem::path& modelJson);
    // The graph only, weights not read: enough for the scale and the layer count.
    static Result<SrNetwork> readTopology(const std::filesystem::path& modelJson);
};

} // namespace ripen
