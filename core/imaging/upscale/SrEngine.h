#pragma once

#include "common/Error.h"
#include "imaging/upscale/SrNetwork.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

namespace ripen {

// Runs an SrNetwork on the CPU through OpenCV DNN (its convolutions are the fastest CPU
// kernels Ripen links; depth-to-space, which OpenCV 4.6 lacks, is a layer of ours).
// One engine serves one thread at a time: OpenCV's forward() is not reentrant, so give
// each worker its own engine (they share nothing but the read-only weights they copy).
class SrEngine {
public:
    // Validates the network and builds the net. Errors: those of SrNetwork::validate();
    // Unsupported when OpenCV refuses a layer, naming it.
    static Result<SrEngine> create(SrNetwork network);

    // Upscales an 8-bit BGR image (CV_8UC3) to `scale()` times its size, as one tile: the
    // network's edgePad is applied by TiledUpscaler, not here. The result is
    // CV_32FC3 BGR in 0..255 units, not clamped or rounded, so tiles can be blended
    // before the one rounding to 8 bits.
    Result<cv::Mat> run(const cv::Mat& bgr);

    int scale() const { return m_scale; }
    int receptiveRadius() const { return m_receptiveRadius; }
    int edgePad() const { return m_edgePad; }

private:
    cv::dnn::Net m_net;
    std::string m_outputName;
    int m_scale = 1;
    int m_receptiveRadius = 0;
    int m_edgePad = 0;
    float m_inputScale = 1.0F;
    float m_outputScale = 1.0F;
};

} // namespace ripen
