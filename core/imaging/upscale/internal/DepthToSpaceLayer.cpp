#include "imaging/upscale/internal/DepthToSpaceLayer.h"

#include <mutex>
#include <opencv2/dnn.hpp>
#include <opencv2/dnn/layer.details.hpp>

namespace ripen::upscale_internal {
namespace {

// OpenCV 4.6 has no depth-to-space layer (its ONNX importer rewrites the op into Reshape
// and Permute, which copies the tensor twice); this copies it once.
class DepthToSpaceLayer final : public cv::dnn::Layer {
public:
    explicit DepthToSpaceLayer(const cv::dnn::LayerParams& params)
        : m_block(params.get<int>("block")),
          m_channelsFirst(params.get<bool>("channels_first", true)) {
        setParamsFrom(params);
    }

    static cv::Ptr<cv::dnn::Layer> create(cv::dnn::LayerParams& params) {
        return cv::makePtr<DepthToSpaceLayer>(params);
    }

    bool getMemoryShapes(const std::vector<cv::dnn::MatShape>& inputs, int /*requiredOutputs*/,
                         std::vector<cv::dnn::MatShape>& outputs,
                         std::vector<cv::dnn::MatShape>& /*internals*/) const override {
        const cv::dnn::MatShape& in = inputs.at(0);
        CV_Assert(in.size() == 4 && in[1] % (m_block * m_block) == 0);
        outputs.assign(1, cv::dnn::MatShape{in[0], in[1] / (m_block * m_block), in[2] * m_block,
                                            in[3] * m_block});
        return false;
    }

    void forward(cv::InputArrayOfArrays inputsArray, cv::OutputArrayOfArrays outputsArray,
                 cv::OutputArrayOfArrays /*internals*/) override {
        std::vector<cv::Mat> inputs;
        std::vector<cv::Mat> outputs;
        inputsArray.getMatVector(inputs);
        outputsArray.getMatVector(outputs);
        const cv::Mat& in = inputs.at(0);
        cv::Mat& out = outputs.at(0);
        const int b = m_block;
        const int channels = out.size[1];
        const int height = in.size[2];
        const int width = in.size[3];
        const auto plane = static_cast<std::size_t>(height) * width;
        const auto* source = in.ptr<float>();
        auto* target = out.ptr<float>();
        cv::parallel_for_(cv::Range(0, channels * b), [&](const cv::Range& range) {
            for (int ci = range.start; ci < range.end; ++ci) {
                const int c = ci / b;
                const int i = ci % b;
                for (int j = 0; j < b; ++j) {
                    const int inChannel =
                        m_channelsFirst ? (c * b + i) * b + j : (i * b + j) * channels + c;
                    const float* from = source + plane * static_cast<std::size_t>(inChannel);
                    for (int y = 0; y < height; ++y) {
                        float* row = target + (static_cast<std::size_t>(c) * height * b +
                                               static_cast<std::size_t>(y) * b + i) *
                                                  width * b;
                        const float* src = from + static_cast<std::size_t>(y) * width;
                        for (int x = 0; x < width; ++x) {
                            row[x * b + j] = src[x];
                        }
                    }
                }
            }
        });
    }

private:
    int m_block;
    bool m_channelsFirst;
};

} // namespace

void registerDepthToSpaceLayer() {
    static std::once_flag once;
    std::call_once(once, [] {
        cv::dnn::LayerFactory::registerLayer("RipenDepthToSpace", DepthToSpaceLayer::create);
    });
}

} // namespace ripen::upscale_internal
