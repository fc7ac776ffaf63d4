#include "imaging/upscale/BackProjection.h"

#include "imaging/upscale/internal/RowBands.h"

#include <opencv2/imgproc.hpp>
#include <string>

namespace ripen {
namespace {

Status checkShapes(const cv::Mat& input, const cv::Mat& upscaled) {
    if (input.empty() || input.type() != CV_8UC3 || upscaled.type() != CV_8UC3) {
        return fail(ErrorCode::InvalidArgument, "back-projection takes 8-bit BGR images");
    }
    if (upscaled.cols % input.cols != 0 || upscaled.cols / input.cols < 1 ||
        upscaled.rows != upscaled.cols / input.cols * input.rows) {
        return fail(ErrorCode::InvalidArgument,
                    "back-projection needs an upscale by a whole factor of its input");
    }
    return {};
}

// input - down(upscaled) for the source rows under output rows `band`, in float. The area
// average over whole blocks reads nothing outside the band.
void residualRows(const cv::Mat& input, const cv::Mat& upscaled, int factor, cv::Range band,
                  cv::Mat& residual) {
    cv::Mat rows;
    upscaled.rowRange(band).convertTo(rows, CV_32F);
    cv::Mat down;
    cv::resize(rows, down, cv::Size(input.cols, band.size() / factor), 0, 0, cv::INTER_AREA);
    const cv::Range source(band.start / factor, band.end / factor);
    cv::Mat target = residual.rowRange(source);
    input.rowRange(source).convertTo(target, CV_32F);
    target -= down;
}

} // namespace

Status BackProjection::apply(const cv::Mat& input, cv::Mat& upscaled, std::stop_token stop,
                             ProgressSink& progress, int bandPixels) {
    if (auto shapes = checkShapes(input, upscaled); !shapes) {
        return shapes;
    }
    const int factor = upscaled.cols / input.cols;
    const auto bands =
        upscale_internal::outputBands(upscaled.rows, upscaled.cols, factor, bandPixels);
    const auto count = static_cast<std::int64_t>(bands.size());
    // Steps 0 (residual) and 1 (correction), each counted in bands.
    const auto next = [&](int step, std::size_t index) {
        if (stop.stop_requested() || progress.cancelled()) {
            return false;
        }
        const auto band = static_cast<std::int64_t>(index);
        progress.report(step * count + band, 2 * count,
                        "back-projection, band " + std::to_string(step * count + band + 1) + "/" +
                            std::to_string(2 * count));
        return true;
    };
    try {
        cv::Mat residual(input.size(), CV_32FC3);
        for (std::size_t i = 0; i < bands.size(); ++i) {
            if (!next(0, i)) {
                return fail(ErrorCode::Cancelled, "the upscale was cancelled");
            }
            residualRows(input, upscaled, factor, bands[i], residual);
        }
        for (std::size_t i = 0; i < bands.size(); ++i) {
            if (!next(1, i)) {
                return fail(ErrorCode::Cancelled, "the upscale was cancelled");
            }
            cv::Mat rows = upscaled.rowRange(bands[i]);
            cv::Mat corrected;
            cv::add(rows, upscale_internal::lanczosRows(residual, factor, bands[i]), corrected,
                    cv::noArray(), CV_32F);
            corrected.convertTo(rows, CV_8U);
        }
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, std::string("back-projection: ") + e.what());
    }
    progress.report(1, 1, "back-projection done");
    return {};
}

} // namespace ripen
