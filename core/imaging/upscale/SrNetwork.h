#pragma once

#include "common/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ripen {

// A super-resolution network as the importers read it and the engine runs it: a feed-
// forward graph of a few layer kinds over NCHW float tensors, one RGB input, one output.
// Importers (TF.js layers, ncnn) translate their file's layers into these; the engine
// builds an OpenCV DNN net from them. Channel counts are checked by validate(), so a model
// whose weights do not fit its graph is refused before any pixel is computed.
enum class SrOp {
    Input,        // the RGB image, 3 channels, values in [0, inputScale]
    Conv,         // square kernel, stride 1, dilation 1, zero padding `pad`, with bias
    Relu,         // max(x, 0); with slope != 0 a leaky ReLU: x < 0 ? slope * x : x
    Prelu,        // per-channel slope (weights hold one slope per channel)
    Add,          // element-wise sum of two or more inputs of the same shape
    Concat,       // along channels
    Scale,        // x * factor
    Upsample,     // nearest-neighbour by an integer factor
    DepthToSpace, // channels (block*block*C) to space; `channelsFirst` picks the order
};

struct SrLayer {
    std::string name; // the model file's name for it, used in every error message
    SrOp op = SrOp::Input;
    std::vector<int> inputs; // indices of earlier layers
    int outChannels = 0;     // Conv: filters; filled in for every layer by validate()
    int kernel = 1;          // Conv
    int pad = 0;             // Conv
    int factor = 1;          // Upsample, DepthToSpace
    float slope = 0.0F;      // Relu
    float scale = 1.0F;      // Scale
    // DepthToSpace: true = PyTorch PixelShuffle (channel c*b*b + i*b + j), false =
    // TensorFlow depth_to_space NHWC ((i*b + j)*C + c).
    bool channelsFirst = true;
    std::vector<float> weights; // Conv: [out][in][k][k]; Prelu: [channels]
    std::vector<float> bias;    // Conv: [out]
};

struct SrNetwork {
    std::vector<SrLayer> layers; // topologically ordered: inputs come before their users
    int output = -1;             // index of the output layer
    int scale = 1;               // output size / input size
    float inputScale = 1.0F;     // the net sees pixels as value / 255 * inputScale
    float outputScale = 1.0F;    // and its output * 255 / outputScale is an 8-bit pixel
    // Image borders: the image mirrored around itself by this many pixels before inference
    // (the edge pixel not repeated: OpenCV's BORDER_REFLECT_101) and cropped after.
    // realesrgan-ncnn-vulkan's preprocessing pads this way by 10, and its edges are what
    // Real-ESRGAN users know; a replicated border lands at 35 dB from its output on a 48x40
    // image, the mirror at 57 dB. 0 = the convolutions' zero padding at the border (TF.js).
    int edgePad = 0;

    // Checks the graph: inputs in range and earlier, channel counts that match the weights,
    // one 3-channel output, a scale that matches the upsampling layers. Fills outChannels.
    // Errors (Corrupt) name the layer and the field at fault.
    // With checkWeights false only the graph is checked (for listing models cheaply).
    Status validate(bool checkWeights = true);
    // How far (in input pixels) an output pixel's value reaches: the tile margin beyond
    // which tiled inference equals untiled inference.
    int receptiveRadius() const;
    std::uint64_t parameterCount() const;
};

} // namespace ripen
