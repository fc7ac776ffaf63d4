#include "imaging/inpaint/ContextBox.h"

#include "imaging/inpaint/MaskOps.h"
#include "imaging/inpaint/PixelLayout.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace ripen {

ContextBox ContextBox::around(const cv::Mat& mask, int featherPixels, int paddingPixels,
                              int nativeSide) {
    ContextBox context;
    if (mask.empty() || cv::countNonZero(mask) == 0) {
        return context;
    }
    const cv::Rect marked = reachOf(mask, featherPixels);
    const int pad = std::max(0, paddingPixels);
    const cv::Rect padded(marked.x - pad, marked.y - pad, marked.width + 2 * pad,
                          marked.height + 2 * pad);
    context.m_box = padded & cv::Rect(0, 0, mask.cols, mask.rows);
    context.m_workSize = context.m_box.size();
    if (nativeSide > 0) {
        const double scale =
            static_cast<double>(nativeSide) / std::max(context.m_box.width, context.m_box.height);
        context.m_workSize =
            cv::Size(std::max(1, static_cast<int>(std::lround(context.m_box.width * scale))),
                     std::max(1, static_cast<int>(std::lround(context.m_box.height * scale))));
    }
    return context;
}

cv::Mat ContextBox::crop(const cv::Mat& image) const {
    return resizedTo(image(m_box), m_workSize).clone();
}

cv::Mat ContextBox::cropMask(const cv::Mat& mask) const {
    const cv::Mat region = mask(m_box);
    if (m_workSize == m_box.size()) {
        return region.clone();
    }
    cv::Mat scaled;
    cv::resize(region, scaled, m_workSize, 0, 0, cv::INTER_NEAREST);
    return scaled;
}

cv::Mat ContextBox::pasteBack(const cv::Mat& original, const cv::Mat& regionResult) const {
    cv::Mat pasted = original.clone();
    const cv::Mat inBox = original(m_box);
    matchChannelLayout(resizedTo(regionResult, m_box.size()), inBox).copyTo(pasted(m_box));
    return pasted;
}

} // namespace ripen
