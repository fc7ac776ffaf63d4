#pragma once

#include "common/Error.h"
#include "imaging/upscale/SrNetwork.h"

#include <filesystem>

namespace ripen {

// Reads an ncnn model (NAME.param, the text format with magic 7767517, and NAME.bin
// beside it) as an SrNetwork: the Real-ESRGAN family as Upscayl users collect it
// (SRVGGNetCompact, RRDBNet). Layers read: Input, Convolution (stride 1, dilation 1,
// size-keeping padding; fused ReLU/leaky ReLU; float32 or float16 weights), ReLU (with
// slope), PReLU, PixelShuffle, Interp (nearest, integer factor), BinaryOp (add of two
// blobs, multiply by a scalar), Eltwise (sum, with coefficients), Concat (channels),
// Split. Real-ESRGAN models see pixels in 0..1, and the image is mirror-padded by
// 10 pixels as realesrgan-ncnn-vulkan does (SrNetwork::edgePad).
//
// Untrusted: the .param is read up to 1 MiB, the .bin up to 1 GiB and must hold exactly
// the weights the layers declare. Errors name the file and the layer or field at fault:
// Corrupt (bad magic, truncated weights, mismatched sizes, unknown blob), Unsupported (a
// layer type or option Ripen does not run), LimitExceeded (oversized files or counts).
class NcnnModelReader {
public:
    static Result<SrNetwork> read(const std::filesystem::path& param);
    // The graph only, the .bin not read: enough for the scale and the layer count.
    static Result<SrNetwork> readTopology(const std::filesystem::path& param);
};

} // namespace ripen
