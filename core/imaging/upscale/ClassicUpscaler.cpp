#include "imaging/upscale/ClassicUpscaler.h"

#include "imaging/upscale/internal/RowBands.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace ripen {
namespace {

constexpr int kSteps = 4;
// Canny's hysteresis thresholds on the upscale's luma gradients.
constexpr double kWeakEdge = 40;
constexpr double kStrongEdge = 120;
// Rows read either side of a band for Canny (its Sobel and non-maximum suppression reach 2).
constexpr int kEdgeMargin = 3;

// Reports band `index` of step `step` and answers whether to go on.
class BandProgress {
public:
    BandProgress(std::stop_token stop, ProgressSink& progress, std::size_t bands)
        : m_stop(std::move(stop)), m_progress(progress), m_bands(static_cast<std::int64_t>(bands)) {
    }

    bool next(int step, const char* what, std::size_t index) {
        if (m_stop.stop_requested() || m_progress.cancelled()) {
            return false;
        }
        const auto band = static_cast<std::int64_t>(index);
        m_progress.report((step - 1) * m_bands + band, kSteps * m_bands,
                          std::string(what) + ", band " + std::to_string(band + 1) + "/" +
                              std::to_string(m_bands));
        return true;
    }

private:
    std::stop_token m_stop;
    ProgressSink& m_progress;
    std::int64_t m_bands;
};

// `band` widened by `margin` rows either side, within the image.
cv::Range withMargin(cv::Range band, int margin, int rows) {
    return {std::max(0, band.start - margin), std::min(rows, band.end + margin)};
}

void lumaBand(const cv::Mat& up, cv::Range band, cv::Mat& grey) {
    const cv::Mat rows = up.rowRange(band);
    cv::Mat out = grey.rowRange(band);
    if (up.channels() == 1) {
        rows.copyTo(out);
    } else {
        cv::cvtColor(rows, out, up.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    }
}

// Canny's thinned gradient pixels above `threshold` in `band` (Canny with both thresholds
// equal has nothing to hysterese), read with a margin so the band's edge rows are exact.
void edgeBand(const cv::Mat& grey, cv::Range band, double threshold, cv::Mat& edges) {
    const cv::Range read = withMargin(band, kEdgeMargin, grey.rows);
    cv::Mat part;
    cv::Canny(grey.rowRange(read), part, threshold, threshold);
    const int offset = band.start - read.start;
    part.rowRange(offset, offset + band.size()).copyTo(edges.rowRange(band));
}

// Canny's hysteresis: every weak pixel 8-connected to a strong one becomes an edge. The
// strong pixels of `band` seed it; the trace may run into any row.
void traceFromBand(const cv::Mat& strong, const cv::Mat& weak, cv::Range band, cv::Mat& edges,
                   std::vector<int>& stack) {
    const int cols = weak.cols;
    const int rows = weak.rows;
    const uchar* weakAt = weak.ptr<uchar>();
    uchar* edgeAt = edges.ptr<uchar>();
    for (int y = band.start; y < band.end; ++y) {
        const uchar* seeds = strong.ptr<uchar>(y);
        for (int x = 0; x < cols; ++x) {
            if (seeds[x] == 0 || edgeAt[y * cols + x] != 0) {
                continue;
            }
            edgeAt[y * cols + x] = 255;
            stack.push_back(y * cols + x);
            while (!stack.empty()) {
                const int at = stack.back();
                stack.pop_back();
                const int py = at / cols;
                const int px = at % cols;
                for (int ny = std::max(0, py - 1); ny <= std::min(rows - 1, py + 1); ++ny) {
                    for (int nx = std::max(0, px - 1); nx <= std::min(cols - 1, px + 1); ++nx) {
                        const int next = ny * cols + nx;
                        if (weakAt[next] != 0 && edgeAt[next] == 0) {
                            edgeAt[next] = 255;
                            stack.push_back(next);
                        }
                    }
                }
            }
        }
    }
}

// Where the (widened) edge map is set, the upscale plus half its own high frequencies.
// The blur and the widening read `margin` rows around the band, copied out first: OpenCV's
// Gaussian blur of a row range of a larger image rounds differently from its whole-image
// call, and on a copy it gives exactly what the whole-image call gives.
void sharpenBand(const cv::Mat& up, const cv::Mat& edges, int factor, cv::Range band,
                 cv::Mat& out) {
    const double sigma = 1.0 + 0.25 * factor;
    const int margin = std::max(factor, static_cast<int>(std::ceil(4 * sigma)) + 1);
    const cv::Range read = withMargin(band, margin, up.rows);
    const cv::Range keep(band.start - read.start, band.end - read.start);
    cv::Mat wide;
    cv::dilate(edges.rowRange(read), wide, cv::Mat(), cv::Point(-1, -1), factor);
    cv::Mat blurred;
    cv::GaussianBlur(up.rowRange(read).clone(), blurred, cv::Size(0, 0), sigma);
    cv::Mat sharpened;
    cv::addWeighted(up.rowRange(band), 1.5, blurred.rowRange(keep), -0.5, 0, sharpened);
    cv::Mat target = out.rowRange(band);
    up.rowRange(band).copyTo(target);
    sharpened.copyTo(target, wide.rowRange(keep));
}

Result<cv::Mat> upscaleInBands(const cv::Mat& input, int factor, std::stop_token stop,
                               ProgressSink& progress, int bandPixels) {
    const cv::Size size(input.cols * factor, input.rows * factor);
    const auto bands = upscale_internal::outputBands(size.height, size.width, factor, bandPixels);
    BandProgress step(std::move(stop), progress, bands.size());
    const auto cancelled = [] {
        return fail(ErrorCode::Cancelled, "the upscale was cancelled");
    };
    cv::Mat up(size, input.type());
    cv::Mat grey(size, CV_8UC1);
    for (std::size_t i = 0; i < bands.size(); ++i) {
        if (!step.next(1, "resampling", i)) {
            return cancelled();
        }
        upscale_internal::lanczosRows(input, factor, bands[i]).copyTo(up.rowRange(bands[i]));
        lumaBand(up, bands[i], grey);
    }
    cv::Mat weak(size, CV_8UC1);
    cv::Mat strong(size, CV_8UC1);
    for (std::size_t i = 0; i < bands.size(); ++i) {
        if (!step.next(2, "finding edges", i)) {
            return cancelled();
        }
        edgeBand(grey, bands[i], kWeakEdge, weak);
        edgeBand(grey, bands[i], kStrongEdge, strong);
    }
    grey.release();
    cv::Mat edges = cv::Mat::zeros(size, CV_8UC1);
    std::vector<int> stack;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        if (!step.next(3, "tracing edges", i)) {
            return cancelled();
        }
        traceFromBand(strong, weak, bands[i], edges, stack);
    }
    weak.release();
    strong.release();
    cv::Mat out(size, input.type());
    for (std::size_t i = 0; i < bands.size(); ++i) {
        if (!step.next(4, "sharpening edges", i)) {
            return cancelled();
        }
        sharpenBand(up, edges, factor, bands[i], out);
    }
    progress.report(1, 1, "done");
    return out;
}

} // namespace

Result<cv::Mat> ClassicUpscaler::run(const cv::Mat& image, int factor, std::stop_token stop,
                                     ProgressSink& progress, int bandPixels) {
    if (factor != 2 && factor != 3 && factor != 4 && factor != 8) {
        return fail(ErrorCode::InvalidArgument, "upscale factor must be 2, 3, 4 or 8");
    }
    if (image.empty() || image.depth() != CV_8U ||
        (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
        return fail(ErrorCode::InvalidArgument,
                    "the classic upscale takes an 8-bit grey, BGR or BGRA image");
    }
    try {
        return upscaleInBands(image, factor, std::move(stop), progress, bandPixels);
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, std::string("classic upscale: ") + e.what());
    }
}

} // namespace ripen
