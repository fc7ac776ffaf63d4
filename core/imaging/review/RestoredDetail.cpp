#include "imaging/review/RestoredDetail.h"

#include <opencv2/imgproc.hpp>
#include <string>

namespace ripen {
namespace {

cv::Mat lumaOf(const cv::Mat& image) {
    cv::Mat grey = image;
    if (image.channels() == 3) {
        cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
    } else if (image.channels() == 4) {
        cv::cvtColor(image, grey, cv::COLOR_BGRA2GRAY);
    }
    cv::Mat f;
    grey.convertTo(f, CV_64F);
    return f;
}

// Mean square of what a x`factor` round trip (area down, Lanczos up) removes from `luma`,
// inside `inner`.
double lostBandEnergy(const cv::Mat& luma, int factor, cv::Rect inner) {
    cv::Mat small;
    cv::resize(luma, small, cv::Size(luma.cols / factor, luma.rows / factor), 0, 0, cv::INTER_AREA);
    cv::Mat back;
    cv::resize(small, back, luma.size(), 0, 0, cv::INTER_LANCZOS4);
    const cv::Mat detail = (luma - back)(inner);
    return cv::mean(detail.mul(detail))[0];
}

double laplacianVariance(const cv::Mat& luma) {
    cv::Mat laplacian;
    cv::Laplacian(luma, laplacian, CV_64F);
    cv::Scalar mean;
    cv::Scalar deviation;
    cv::meanStdDev(laplacian, mean, deviation);
    return deviation[0] * deviation[0];
}

std::string sizeText(const cv::Mat& image) {
    return std::to_string(image.cols) + "x" + std::to_string(image.rows);
}

} // namespace

Result<RestoredDetail> RestoredDetail::measure(const cv::Mat& original, const cv::Mat& result,
                                               int factor) {
    if (factor < 2) {
        return fail(ErrorCode::InvalidArgument, "restored detail needs a factor of 2 or more");
    }
    if (original.size() != result.size() || original.cols < 8 * factor ||
        original.rows < 8 * factor) {
        return fail(ErrorCode::InvalidArgument,
                    "restored detail compares an original and a result of the same size, at "
                    "least 8 x the factor a side (original " +
                        sizeText(original) + ", result " + sizeText(result) + ")");
    }
    // A whole number of small pixels, so the round trip lands on the original's grid.
    const cv::Rect grid(0, 0, original.cols / factor * factor, original.rows / factor * factor);
    const cv::Mat before = lumaOf(original(grid));
    const cv::Mat after = lumaOf(result(grid));
    const int border = 2 * factor;
    const cv::Rect inner(border, border, grid.width - 2 * border, grid.height - 2 * border);
    const double lost = lostBandEnergy(before, factor, inner);
    const double laplacian = laplacianVariance(before);
    if (lost <= 0 || laplacian <= 0) {
        return fail(ErrorCode::InvalidArgument,
                    "the original has no detail for an upscale to restore (a flat image)");
    }
    RestoredDetail detail;
    detail.restored = lostBandEnergy(after, factor, inner) / lost;
    detail.laplacianRatio = laplacianVariance(after) / laplacian;
    return detail;
}

} // namespace ripen
