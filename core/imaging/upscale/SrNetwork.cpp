#include "imaging/upscale/SrNetwork.h"

#include <algorithm>
#include <cmath>

namespace ripen {
namespace {

// Larger than any super-resolution net in circulation (RRDBNet x4 holds 16.7 million
// weights); a header claiming more is damaged or hostile.
constexpr std::uint64_t kMaxParameters = 200'000'000;
constexpr int kMaxChannels = 4096;
constexpr int kMaxKernel = 15;
constexpr int kMaxFactor = 8;

std::unexpected<Error> layerError(const SrLayer& layer, const std::string& what) {
    return fail(ErrorCode::Corrupt, "layer '" + layer.name + "': " + what);
}

// Channels and resolution (relative to the input) of every layer, computed in order.
struct Shape {
    int channels = 0;
    int resolution = 1;
};

Status checkSameShapes(const SrLayer& layer, const std::vector<Shape>& shapes, bool sameChannels) {
    const Shape& first = shapes[static_cast<std::size_t>(layer.inputs.front())];
    for (int input : layer.inputs) {
        const Shape& other = shapes[static_cast<std::size_t>(input)];
        if (other.resolution != first.resolution ||
            (sameChannels && other.channels != first.channels)) {
            return layerError(layer, "inputs of different shapes (" +
                                         std::to_string(first.channels) + " and " +
                                         std::to_string(other.channels) + " channels)");
        }
    }
    return {};
}

Result<Shape> convShape(const SrLayer& layer, const Shape& in, bool checkWeights) {
    if (layer.kernel < 1 || layer.kernel > kMaxKernel || layer.kernel % 2 == 0) {
        return layerError(layer, "kernel size " + std::to_string(layer.kernel) +
                                     " (Ripen runs odd kernels up to " +
                                     std::to_string(kMaxKernel) + ")");
    }
    if (layer.pad != layer.kernel / 2) {
        return layerError(layer, "padding " + std::to_string(layer.pad) +
                                     " does not keep the size (kernel " +
                                     std::to_string(layer.kernel) + ")");
    }
    if (layer.outChannels < 1 || layer.outChannels > kMaxChannels) {
        return layerError(layer, "output channels " + std::to_string(layer.outChannels));
    }
    const auto expected =
        static_cast<std::uint64_t>(layer.outChannels) * in.channels * layer.kernel * layer.kernel;
    if (checkWeights && layer.weights.size() != expected) {
        return layerError(
            layer, "weights hold " + std::to_string(layer.weights.size()) +
                       " values, the shape needs " + std::to_string(expected) + " (" +
                       std::to_string(layer.outChannels) + "x" + std::to_string(in.channels) + "x" +
                       std::to_string(layer.kernel) + "x" + std::to_string(layer.kernel) + ")");
    }
    if (checkWeights && layer.bias.size() != static_cast<std::size_t>(layer.outChannels)) {
        return layerError(layer, "bias holds " + std::to_string(layer.bias.size()) +
                                     " values for " + std::to_string(layer.outChannels) +
                                     " output channels");
    }
    return Shape{layer.outChannels, in.resolution};
}

Result<Shape> layerShape(const SrLayer& layer, const std::vector<Shape>& shapes,
                         bool checkWeights) {
    if (layer.op == SrOp::Input) {
        return Shape{3, 1};
    }
    const Shape& in = shapes[static_cast<std::size_t>(layer.inputs.front())];
    const bool single = layer.inputs.size() == 1;
    switch (layer.op) {
    case SrOp::Conv:
        if (!single) {
            return layerError(layer, "a convolution takes one input");
        }
        return convShape(layer, in, checkWeights);
    case SrOp::Relu:
    case SrOp::Scale:
        return single ? Result<Shape>(in) : layerError(layer, "takes one input");
    case SrOp::Prelu:
        if (checkWeights && layer.weights.size() != 1 &&
            layer.weights.size() != static_cast<std::size_t>(in.channels)) {
            return layerError(layer, std::to_string(layer.weights.size()) + " slopes for " +
                                         std::to_string(in.channels) + " channels");
        }
        return single ? Result<Shape>(in) : layerError(layer, "takes one input");
    case SrOp::Add:
        if (auto same = checkSameShapes(layer, shapes, true); !same) {
            return std::unexpected(same.error());
        }
        return in;
    case SrOp::Concat: {
        if (auto same = checkSameShapes(layer, shapes, false); !same) {
            return std::unexpected(same.error());
        }
        Shape out{0, in.resolution};
        for (int input : layer.inputs) {
            out.channels += shapes[static_cast<std::size_t>(input)].channels;
        }
        return out;
    }
    case SrOp::Upsample:
    case SrOp::DepthToSpace: {
        if (!single || layer.factor < 2 || layer.factor > kMaxFactor) {
            return layerError(layer, "factor " + std::to_string(layer.factor) + " (2 to 8)");
        }
        const int block = layer.op == SrOp::Upsample ? 1 : layer.factor * layer.factor;
        if (in.channels % block != 0) {
            return layerError(layer, std::to_string(in.channels) +
                                         " channels do not split into blocks of " +
                                         std::to_string(block));
        }
        return Shape{in.channels / block, in.resolution * layer.factor};
    }
    case SrOp::Input:
        break;
    }
    return layerError(layer, "unknown operation");
}

} // namespace

Status SrNetwork::validate(bool checkWeights) {
    if (layers.empty() || output < 0 || output >= static_cast<int>(layers.size())) {
        return fail(ErrorCode::Corrupt, "the model has no output layer");
    }
    std::vector<Shape> shapes;
    shapes.reserve(layers.size());
    std::uint64_t parameters = 0;
    int inputs = 0;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        SrLayer& layer = layers[i];
        const bool isInput = layer.op == SrOp::Input;
        if (isInput && ++inputs > 1) {
            return layerError(layer, "a second input (an upscaler takes one image)");
        }
        if (isInput != layer.inputs.empty()) {
            return layerError(layer, isInput ? "an input layer with inputs" : "no inputs");
        }
        for (int input : layer.inputs) {
            if (input < 0 || input >= static_cast<int>(i)) {
                return layerError(layer, "input index " + std::to_string(input) +
                                             " does not name an earlier layer");
            }
        }
        auto shape = layerShape(layer, shapes, checkWeights);
        if (!shape) {
            return std::unexpected(shape.error());
        }
        parameters += layer.weights.size() + layer.bias.size();
        if (parameters > kMaxParameters) {
            return layerError(layer, "the model passes Ripen's limit of 200 million weights");
        }
        layer.outChannels = shape->channels;
        shapes.push_back(*shape);
    }
    const Shape& out = shapes[static_cast<std::size_t>(output)];
    if (out.channels != 3) {
        return layerError(layers[static_cast<std::size_t>(output)],
                          "the output has " + std::to_string(out.channels) +
                              " channels, an RGB image needs 3");
    }
    if (out.resolution < 1 || out.resolution > kMaxFactor) {
        return fail(ErrorCode::Corrupt,
                    "the model upscales by " + std::to_string(out.resolution) + " (1 to 8)");
    }
    scale = out.resolution;
    return {};
}

int SrNetwork::receptiveRadius() const {
    // In input pixels: a k x k convolution at resolution r reaches (k / 2) / r input pixels.
    std::vector<double> radius(layers.size(), 0.0);
    std::vector<int> resolution(layers.size(), 1);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const SrLayer& layer = layers[i];
        for (int input : layer.inputs) {
            radius[i] = std::max(radius[i], radius[static_cast<std::size_t>(input)]);
            resolution[i] = resolution[static_cast<std::size_t>(input)];
        }
        if (layer.op == SrOp::Upsample || layer.op == SrOp::DepthToSpace) {
            resolution[i] *= layer.factor;
        }
        if (layer.op == SrOp::Conv) {
            radius[i] += static_cast<double>(layer.kernel / 2) / resolution[i];
        }
    }
    return output < 0 ? 0 : static_cast<int>(std::ceil(radius[static_cast<std::size_t>(output)]));
}

std::uint64_t SrNetwork::parameterCount() const {
    std::uint64_t count = 0;
    for (const SrLayer& layer : layers) {
        count += layer.weights.size() + layer.bias.size();
    }
    return count;
}

} // namespace ripen
