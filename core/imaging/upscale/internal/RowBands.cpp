#include "imaging/upscale/internal/RowBands.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace ripen::upscale_internal {
namespace {

// Lanczos4 reads 4 source rows either side.
constexpr int kResampleMargin = 4;

} // namespace

std::vector<cv::Range> outputBands(int outRows, int outCols, int factor, int bandPixels) {
    const int wanted = std::max(1, bandPixels / std::max(1, outCols));
    const int rows = std::max(factor * 8, wanted / factor * factor);
    std::vector<cv::Range> bands;
    for (int y = 0; y < outRows; y += rows) {
        bands.emplace_back(y, std::min(outRows, y + rows));
    }
    return bands;
}

cv::Mat lanczosRows(const cv::Mat& input, int factor, cv::Range band) {
    const int first = std::max(0, band.start / factor - kResampleMargin);
    const int last = std::min(input.rows, band.end / factor + kResampleMargin);
    cv::Mat part;
    cv::resize(input.rowRange(first, last), part,
               cv::Size(input.cols * factor, (last - first) * factor), 0, 0, cv::INTER_LANCZOS4);
    const int offset = band.start - first * factor;
    return part.rowRange(offset, offset + band.size());
}

} // namespace ripen::upscale_internal
