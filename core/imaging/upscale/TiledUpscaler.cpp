#include "imaging/upscale/TiledUpscaler.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <string>

namespace ripen {
namespace {

// One tile along one axis: the input span it answers for, the output span it writes
// (with the blend ramps) and the input span it reads (with the context margin).
struct Span {
    int core0 = 0;
    int core1 = 0;
    int out0 = 0;
    int out1 = 0;
    int read0 = 0;
    int read1 = 0;
    std::vector<float> weights; // one per output pixel in [out0, out1)
};

std::vector<Span> planAxis(int length, int scale, const TileSettings& settings, int margin) {
    const int count = std::max(1, (length + settings.tile - 1) / settings.tile);
    const int half = settings.blend / 2;
    const int ramp = std::max(1, half * scale);
    std::vector<Span> spans;
    for (int i = 0; i < count; ++i) {
        Span span;
        span.core0 = static_cast<int>(static_cast<std::int64_t>(length) * i / count);
        span.core1 = static_cast<int>(static_cast<std::int64_t>(length) * (i + 1) / count);
        const bool first = i == 0;
        const bool last = i == count - 1;
        span.out0 = first ? 0 : (span.core0 - half) * scale;
        span.out1 = last ? length * scale : (span.core1 + half) * scale;
        span.read0 = std::max(0, span.core0 - half - margin);
        span.read1 = std::min(length, span.core1 + half + margin);
        for (int x = span.out0; x < span.out1; ++x) {
            float weight = 1.0F;
            if (!first && x < span.core0 * scale + ramp && half > 0) {
                weight = (static_cast<float>(x - span.out0) + 0.5F) / (2.0F * ramp);
            }
            if (!last && x >= span.core1 * scale - ramp && half > 0) {
                weight = (static_cast<float>(span.out1 - x) - 0.5F) / (2.0F * ramp);
            }
            span.weights.push_back(weight);
        }
        spans.push_back(std::move(span));
    }
    return spans;
}

// Output rows accumulate in float; rows no later tile touches are rounded to 8 bits.
class StripAccumulator {
public:
    explicit StripAccumulator(cv::Mat& output) : m_output(output) {}

    // Starts the tile row whose output spans [top, bottom): rows above `top` are final.
    void beginRow(int top, int bottom) {
        flushUntil(top);
        cv::Mat next(bottom - top, m_output.cols, CV_32FC3, cv::Scalar::all(0));
        const int carried = m_top + m_strip.rows - top;
        if (carried > 0) {
            m_strip.rowRange(top - m_top, m_strip.rows).copyTo(next.rowRange(0, carried));
        }
        m_strip = next;
        m_top = top;
    }

    void add(const cv::Mat& weighted, int x, int y) {
        cv::Mat target = m_strip(cv::Rect(x, y - m_top, weighted.cols, weighted.rows));
        target += weighted;
    }

    void finish() { flushUntil(m_top + m_strip.rows); }

private:
    void flushUntil(int row) {
        const int rows = row - m_top;
        if (rows > 0 && !m_strip.empty()) {
            m_strip.rowRange(0, rows).convertTo(m_output.rowRange(m_top, row), CV_8U);
        }
    }

    cv::Mat& m_output;
    cv::Mat m_strip;
    int m_top = 0;
};

} // namespace

TiledUpscaler::TiledUpscaler(SrEngine& engine, TileSettings settings)
    : m_engine(engine), m_settings(settings) {
    m_settings.blend = std::clamp(m_settings.blend, 0, 64);
    m_settings.tile = std::max(m_settings.tile, std::max(16, 2 * m_settings.blend));
}

Result<cv::Mat> TiledUpscaler::run(const cv::Mat& bgr, std::stop_token stop,
                                   ProgressSink& progress) {
    const int pad = m_engine.edgePad();
    if (pad == 0) {
        return runTiles(bgr, stop, progress);
    }
    cv::Mat padded;
    cv::copyMakeBorder(bgr, padded, pad, pad, pad, pad, cv::BORDER_REFLECT_101);
    auto upscaled = runTiles(padded, stop, progress);
    if (!upscaled) {
        return upscaled;
    }
    const int scale = m_engine.scale();
    return (*upscaled)(cv::Rect(pad * scale, pad * scale, bgr.cols * scale, bgr.rows * scale))
        .clone();
}

Result<cv::Mat> TiledUpscaler::runTiles(const cv::Mat& bgr, std::stop_token stop,
                                        ProgressSink& progress) {
    const int scale = m_engine.scale();
    const int margin = m_settings.margin >= 0
                           ? m_settings.margin
                           : std::min(m_engine.receptiveRadius(), TileSettings::kMaxAutoMargin);
    const auto columns = planAxis(bgr.cols, scale, m_settings, margin);
    const auto rows = planAxis(bgr.rows, scale, m_settings, margin);
    cv::Mat output(bgr.rows * scale, bgr.cols * scale, CV_8UC3);
    StripAccumulator strip(output);
    const auto total = static_cast<std::int64_t>(rows.size() * columns.size());
    std::int64_t done = 0;
    for (const Span& row : rows) {
        strip.beginRow(row.out0, row.out1);
        const cv::Mat rowWeights(static_cast<int>(row.weights.size()), 1, CV_32F,
                                 const_cast<float*>(row.weights.data()));
        for (const Span& column : columns) {
            if (stop.stop_requested() || progress.cancelled()) {
                return fail(ErrorCode::Cancelled, "the upscale was cancelled");
            }
            const cv::Rect read(column.read0, row.read0, column.read1 - column.read0,
                                row.read1 - row.read0);
            auto upscaled = m_engine.run(bgr(read).clone());
            if (!upscaled) {
                return std::unexpected(upscaled.error());
            }
            const cv::Rect keep(column.out0 - read.x * scale, row.out0 - read.y * scale,
                                column.out1 - column.out0, row.out1 - row.out0);
            const cv::Mat columnWeights(1, static_cast<int>(column.weights.size()), CV_32F,
                                        const_cast<float*>(column.weights.data()));
            cv::Mat weight = rowWeights * columnWeights;
            cv::Mat weight3;
            cv::merge(std::vector<cv::Mat>{weight, weight, weight}, weight3);
            strip.add((*upscaled)(keep).mul(weight3), column.out0, row.out0);
            ++done;
            progress.report(done, total,
                            "tile " + std::to_string(done) + "/" + std::to_string(total));
        }
    }
    strip.finish();
    return output;
}

} // namespace ripen
