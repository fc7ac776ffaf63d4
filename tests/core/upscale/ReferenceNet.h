#pragma once

// A direct, deliberately naive implementation of every SrOp (loops over CHW floats, no
// OpenCV), to check the engine and the importers against; and small networks with known
// random weights to run through both.

#include "imaging/upscale/SrNetwork.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>

namespace ripen::test {

struct Tensor {
    int c = 0;
    int h = 0;
    int w = 0;
    std::vector<float> v;
    float& at(int ch, int y, int x) { return v[(static_cast<std::size_t>(ch) * h + y) * w + x]; }
    float at(int ch, int y, int x) const {
        return v[(static_cast<std::size_t>(ch) * h + y) * w + x];
    }
};

inline Tensor makeTensor(int c, int h, int w) {
    return {c, h, w, std::vector<float>(static_cast<std::size_t>(c) * h * w, 0.0F)};
}

inline Tensor referenceLayer(const SrLayer& layer, const std::vector<Tensor>& values) {
    const Tensor& in = values[static_cast<std::size_t>(layer.inputs.front())];
    Tensor out;
    switch (layer.op) {
    case SrOp::Conv: {
        const int inC = in.c;
        const int k = layer.kernel;
        out = makeTensor(layer.outChannels, in.h, in.w);
        for (int o = 0; o < out.c; ++o)
            for (int y = 0; y < in.h; ++y)
                for (int x = 0; x < in.w; ++x) {
                    double sum = layer.bias[static_cast<std::size_t>(o)];
                    for (int i = 0; i < inC; ++i)
                        for (int ky = 0; ky < k; ++ky)
                            for (int kx = 0; kx < k; ++kx) {
                                const int sy = y + ky - layer.pad;
                                const int sx = x + kx - layer.pad;
                                if (sy < 0 || sx < 0 || sy >= in.h || sx >= in.w)
                                    continue;
                                sum += static_cast<double>(in.at(i, sy, sx)) *
                                       layer.weights[((static_cast<std::size_t>(o) * inC + i) * k +
                                                      ky) *
                                                         k +
                                                     kx];
                            }
                    out.at(o, y, x) = static_cast<float>(sum);
                }
        return out;
    }
    case SrOp::Relu:
    case SrOp::Prelu:
    case SrOp::Scale:
        out = in;
        for (int ch = 0; ch < in.c; ++ch)
            for (int y = 0; y < in.h; ++y)
                for (int x = 0; x < in.w; ++x) {
                    float& value = out.at(ch, y, x);
                    if (layer.op == SrOp::Scale)
                        value *= layer.scale;
                    else if (value < 0) {
                        value *= layer.op == SrOp::Relu ? layer.slope
                                 : layer.weights.size() == 1
                                     ? layer.weights[0]
                                     : layer.weights[static_cast<std::size_t>(ch)];
                    }
                }
        return out;
    case SrOp::Add:
        out = in;
        for (std::size_t n = 1; n < layer.inputs.size(); ++n)
            for (std::size_t i = 0; i < out.v.size(); ++i)
                out.v[i] += values[static_cast<std::size_t>(layer.inputs[n])].v[i];
        return out;
    case SrOp::Concat:
        out = in;
        for (std::size_t n = 1; n < layer.inputs.size(); ++n) {
            const Tensor& more = values[static_cast<std::size_t>(layer.inputs[n])];
            out.v.insert(out.v.end(), more.v.begin(), more.v.end());
            out.c += more.c;
        }
        return out;
    case SrOp::Upsample:
    case SrOp::DepthToSpace: {
        const int b = layer.factor;
        const int c = layer.op == SrOp::Upsample ? in.c : in.c / (b * b);
        out = makeTensor(c, in.h * b, in.w * b);
        for (int ch = 0; ch < c; ++ch)
            for (int y = 0; y < out.h; ++y)
                for (int x = 0; x < out.w; ++x) {
                    const int i = y % b;
                    const int j = x % b;
                    const int source = layer.op == SrOp::Upsample ? ch
                                       : layer.channelsFirst      ? (ch * b + i) * b + j
                                                                  : (i * b + j) * c + ch;
                    out.at(ch, y, x) = in.at(source, y / b, x / b);
                }
        return out;
    }
    case SrOp::Input:
        break;
    }
    return out;
}

// Runs the network on an 8-bit BGR image the way SrEngine promises to: RGB planes scaled
// by inputScale / 255, the output scaled back by 255 / outputScale, as float BGR.
inline cv::Mat referenceRun(const SrNetwork& network, const cv::Mat& bgr) {
    std::vector<Tensor> values;
    for (const SrLayer& layer : network.layers) {
        if (layer.op == SrOp::Input) {
            Tensor input = makeTensor(3, bgr.rows, bgr.cols);
            for (int y = 0; y < bgr.rows; ++y)
                for (int x = 0; x < bgr.cols; ++x)
                    for (int c = 0; c < 3; ++c)
                        input.at(c, y, x) =
                            bgr.at<cv::Vec3b>(y, x)[2 - c] * network.inputScale / 255.0F;
            values.push_back(std::move(input));
        } else {
            values.push_back(referenceLayer(layer, values));
        }
    }
    const Tensor& out = values[static_cast<std::size_t>(network.output)];
    cv::Mat result(out.h, out.w, CV_32FC3);
    for (int y = 0; y < out.h; ++y)
        for (int x = 0; x < out.w; ++x)
            for (int c = 0; c < 3; ++c)
                result.at<cv::Vec3f>(y, x)[2 - c] = out.at(c, y, x) * 255.0F / network.outputScale;
    return result;
}

inline std::vector<float> randomValues(std::size_t count, std::mt19937& random, float spread) {
    std::uniform_real_distribution<float> value(-spread, spread);
    std::vector<float> values(count);
    for (float& v : values)
        v = value(random);
    return values;
}

inline int addLayer(SrNetwork& network, SrLayer layer) {
    network.layers.push_back(std::move(layer));
    return static_cast<int>(network.layers.size()) - 1;
}

inline int addConv(SrNetwork& network, const std::string& name, int input, int inC, int outC,
                   int kernel, std::mt19937& random) {
    SrLayer conv;
    conv.name = name;
    conv.op = SrOp::Conv;
    conv.inputs = {input};
    conv.outChannels = outC;
    conv.kernel = kernel;
    conv.pad = kernel / 2;
    conv.weights = randomValues(static_cast<std::size_t>(outC) * inC * kernel * kernel, random,
                                1.0F / static_cast<float>(kernel * kernel * inC));
    conv.bias = randomValues(static_cast<std::size_t>(outC), random, 0.1F);
    return addLayer(network, std::move(conv));
}

inline SrLayer simpleLayer(const std::string& name, SrOp op, std::vector<int> inputs) {
    SrLayer layer;
    layer.name = name;
    layer.op = op;
    layer.inputs = std::move(inputs);
    return layer;
}

// Every op in one small x`scale` net (scale 2, 3 or 4): a residual dense block with leaky
// ReLU, PReLU, concat, a 0.2 residual scale, then depth-to-space (PyTorch or TF order) or
// nearest upsampling, plus a global nearest-upsampled skip. Values in 0..1.
inline SrNetwork everyOpNetwork(int scale, bool depthToSpace, bool channelsFirst, unsigned seed) {
    std::mt19937 random(seed);
    SrNetwork net;
    net.inputScale = 1.0F;
    net.outputScale = 1.0F;
    const int input = addLayer(net, simpleLayer("image", SrOp::Input, {}));
    const int head = addConv(net, "head", input, 3, 8, 3, random);
    SrLayer leaky = simpleLayer("leaky", SrOp::Relu, {head});
    leaky.slope = 0.2F;
    const int act = addLayer(net, std::move(leaky));
    const int branch = addConv(net, "branch", act, 8, 4, 3, random);
    SrLayer prelu = simpleLayer("prelu", SrOp::Prelu, {branch});
    prelu.weights = {0.1F, 0.25F, -0.5F, 0.05F};
    const int pre = addLayer(net, std::move(prelu));
    const int cat = addLayer(net, simpleLayer("concat", SrOp::Concat, {act, pre}));
    const int fuse = addConv(net, "fuse", cat, 12, 8, 1, random);
    SrLayer beta = simpleLayer("beta", SrOp::Scale, {fuse});
    beta.scale = 0.2F;
    const int scaled = addLayer(net, std::move(beta));
    const int sum = addLayer(net, simpleLayer("residual", SrOp::Add, {scaled, act}));
    const int relu = addLayer(net, simpleLayer("relu", SrOp::Relu, {sum}));
    int up = 0;
    if (depthToSpace) {
        const int expand = addConv(net, "expand", relu, 8, 3 * scale * scale, 3, random);
        SrLayer shuffle = simpleLayer("shuffle", SrOp::DepthToSpace, {expand});
        shuffle.factor = scale;
        shuffle.channelsFirst = channelsFirst;
        up = addLayer(net, std::move(shuffle));
    } else {
        SrLayer nearest = simpleLayer("upsample", SrOp::Upsample, {relu});
        nearest.factor = scale;
        const int upsampled = addLayer(net, std::move(nearest));
        up = addConv(net, "tail", upsampled, 8, 3, 3, random);
    }
    SrLayer skip = simpleLayer("skip", SrOp::Upsample, {input});
    skip.factor = scale;
    const int skipped = addLayer(net, std::move(skip));
    net.output = addLayer(net, simpleLayer("output", SrOp::Add, {up, skipped}));
    return net;
}

inline cv::Mat randomImage(int width, int height, unsigned seed) {
    cv::Mat image(height, width, CV_8UC3);
    cv::RNG rng(seed);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    return image;
}

inline double maxDifference(const cv::Mat& a, const cv::Mat& b) {
    double max = 0;
    const cv::Mat difference = cv::abs(a - b);
    cv::minMaxLoc(difference.reshape(1), nullptr, &max);
    return max;
}

} // namespace ripen::test
