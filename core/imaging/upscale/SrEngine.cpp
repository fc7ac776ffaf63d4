#include "imaging/upscale/SrEngine.h"

#include "imaging/upscale/internal/DepthToSpaceLayer.h"

namespace ripen {
namespace {

cv::Mat floatMat(const std::vector<float>& values, const std::vector<int>& shape) {
    cv::Mat mat(static_cast<int>(shape.size()), shape.data(), CV_32F);
    std::copy(values.begin(), values.end(), mat.ptr<float>());
    return mat;
}

cv::dnn::LayerParams layerParams(const SrLayer& layer, const SrNetwork& network) {
    cv::dnn::LayerParams params;
    switch (layer.op) {
    case SrOp::Conv: {
        params.type = "Convolution";
        const int in = static_cast<int>(layer.weights.size()) /
                       (layer.outChannels * layer.kernel * layer.kernel);
        params.set("kernel_size", layer.kernel);
        params.set("num_output", layer.outChannels);
        params.set("pad", layer.pad);
        params.set("stride", 1);
        params.set("bias_term", true);
        params.blobs.push_back(
            floatMat(layer.weights, {layer.outChannels, in, layer.kernel, layer.kernel}));
        params.blobs.push_back(floatMat(layer.bias, {1, layer.outChannels}));
        break;
    }
    case SrOp::Relu:
        params.type = "ReLU";
        params.set("negative_slope", layer.slope);
        break;
    case SrOp::Prelu: {
        params.type = "PReLU";
        // One shared slope becomes one per channel: OpenCV's PReLU wants the channel count.
        const int channels =
            network.layers[static_cast<std::size_t>(layer.inputs.front())].outChannels;
        std::vector<float> slopes = layer.weights;
        slopes.resize(static_cast<std::size_t>(channels), layer.weights.front());
        params.blobs.push_back(floatMat(slopes, {1, channels}));
        break;
    }
    case SrOp::Add:
        params.type = "Eltwise";
        params.set("operation", "sum");
        break;
    case SrOp::Concat:
        params.type = "Concat";
        params.set("axis", 1);
        break;
    case SrOp::Scale:
        params.type = "Power";
        params.set("scale", layer.scale);
        break;
    case SrOp::Upsample:
        params.type = "Resize";
        params.set("interpolation", "nearest");
        params.set("zoom_factor", layer.factor);
        break;
    case SrOp::DepthToSpace:
        params.type = "RipenDepthToSpace";
        params.set("block", layer.factor);
        params.set("channels_first", layer.channelsFirst);
        break;
    case SrOp::Input:
        break;
    }
    // Names must be unique in an OpenCV net; model files do not always promise that.
    params.name = std::to_string(&layer - network.layers.data()) + ":" + layer.name;
    return params;
}

} // namespace

Result<SrEngine> SrEngine::create(SrNetwork network) {
    if (auto valid = network.validate(); !valid) {
        return std::unexpected(valid.error());
    }
    upscale_internal::registerDepthToSpaceLayer();
    SrEngine engine;
    engine.m_scale = network.scale;
    engine.m_receptiveRadius = network.receptiveRadius();
    engine.m_edgePad = network.edgePad;
    engine.m_inputScale = network.inputScale;
    engine.m_outputScale = network.outputScale;
    std::vector<int> ids(network.layers.size(), 0);
    try {
        engine.m_net.setInputsNames({"image"});
        for (std::size_t i = 0; i < network.layers.size(); ++i) {
            const SrLayer& layer = network.layers[i];
            if (layer.op == SrOp::Input) {
                continue; // the net's input pseudo-layer, id 0
            }
            cv::dnn::LayerParams params = layerParams(layer, network);
            ids[i] = engine.m_net.addLayer(params.name, params.type, params);
            for (std::size_t k = 0; k < layer.inputs.size(); ++k) {
                engine.m_net.connect(ids[static_cast<std::size_t>(layer.inputs[k])], 0, ids[i],
                                     static_cast<int>(k));
            }
            if (static_cast<int>(i) == network.output) {
                engine.m_outputName = params.name;
            }
        }
        engine.m_net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        engine.m_net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Unsupported,
                    std::string("OpenCV DNN refused the model: ") + e.what());
    }
    if (engine.m_outputName.empty()) {
        return fail(ErrorCode::Corrupt, "the model's output is its input");
    }
    return engine;
}

Result<cv::Mat> SrEngine::run(const cv::Mat& bgr) {
    CV_Assert(bgr.type() == CV_8UC3);
    cv::Mat blob = cv::dnn::blobFromImage(bgr, m_inputScale / 255.0, cv::Size(), cv::Scalar(),
                                          /*swapRB=*/true, /*crop=*/false, CV_32F);
    cv::Mat out;
    try {
        m_net.setInput(blob);
        out = m_net.forward(m_outputName);
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, std::string("OpenCV DNN: ") + e.what());
    }
    const int height = out.size[2];
    const int width = out.size[3];
    if (height != bgr.rows * m_scale || width != bgr.cols * m_scale) {
        return fail(ErrorCode::Internal, "the model produced " + std::to_string(width) + "x" +
                                             std::to_string(height) + " pixels");
    }
    // The blob holds R, G, B planes; the image is interleaved B, G, R in 0..255.
    std::vector<cv::Mat> planes;
    for (int c = 2; c >= 0; --c) {
        cv::Mat plane(height, width, CV_32F, out.ptr<float>(0, c));
        planes.push_back(plane * (255.0F / m_outputScale));
    }
    cv::Mat result;
    cv::merge(planes, result);
    return result;
}

} // namespace ripen
