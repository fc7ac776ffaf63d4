#include "video/FrameExtractor.h"

#include "common/FileIo.h"
#include "common/TextEncoding.h"
#include "video/VideoFrameReader.h"

#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

Status writePng(const cv::Mat& bgr, const std::filesystem::path& file) {
    std::vector<uchar> bytes;
    try {
        if (!cv::imencode(".png", bgr, bytes)) {
            return fail(ErrorCode::Internal, "cannot encode " + escapeInvalidUtf8(file.native()));
        }
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal,
                    "cannot encode " + escapeInvalidUtf8(file.native()) + ": " + e.what());
    }
    return writeFileAtomically(
        file, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Status makeFolder(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return fail(ErrorCode::Io,
                    "cannot create " + escapeInvalidUtf8(dir.native()) + ": " + ec.message());
    }
    return {};
}

double sharpness(const cv::Mat& bgr) {
    cv::Mat small;
    cv::Mat gray;
    cv::resize(bgr, small, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
    cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
    cv::Mat laplacian;
    cv::Laplacian(gray, laplacian, CV_32F);
    cv::Scalar mean;
    cv::Scalar deviation;
    cv::meanStdDev(laplacian, mean, deviation);
    return deviation[0] * deviation[0];
}

} // namespace

Result<ExtractedFrame> extractPosterFrame(const std::filesystem::path& clip,
                                          const std::filesystem::path& outDir,
                                          const std::string& baseName, ProgressSink& progress) {
    auto probe = VideoFrameReader::open(clip);
    if (!probe) {
        return std::unexpected(probe.error());
    }
    const double duration = (*probe)->durationSeconds();
    probe->reset();
    ExtractedFrame best;
    double bestSharpness = -1;
    bool bestInMiddle = false;
    cv::Mat bestFrame;
    auto ok = forEachFrame(clip, {}, progress, [&](int index, const DecodedFrame& frame) {
        const bool middle =
            duration <= 0 || (frame.seconds >= 0.1 * duration && frame.seconds <= 0.9 * duration);
        // An edge frame only stands in until the first middle frame arrives.
        if (!middle && !bestFrame.empty()) {
            return Status{};
        }
        const double score = sharpness(frame.bgr);
        if (score > bestSharpness || (middle && !bestInMiddle)) {
            bestSharpness = score;
            bestInMiddle = middle;
            frame.bgr.copyTo(bestFrame);
            best.index = index;
            best.seconds = frame.seconds;
        }
        return Status{};
    });
    if (!ok) {
        return std::unexpected(ok.error());
    }
    if (bestFrame.empty()) {
        return fail(ErrorCode::Corrupt, escapeInvalidUtf8(clip.native()) + ": no frame decodes");
    }
    if (auto made = makeFolder(outDir); !made) {
        return std::unexpected(made.error());
    }
    best.file = outDir / (baseName + "-poster.png");
    if (auto written = writePng(bestFrame, best.file); !written) {
        return std::unexpected(written.error());
    }
    return best;
}

Result<std::vector<ExtractedFrame>> extractEveryNthFrame(const std::filesystem::path& clip, int n,
                                                         const std::filesystem::path& outDir,
                                                         const std::string& baseName,
                                                         ProgressSink& progress) {
    if (n < 1) {
        return fail(ErrorCode::InvalidArgument,
                    "every: must be a whole number of frames, 1 or more");
    }
    if (auto opened = VideoFrameReader::open(clip); !opened) {
        return std::unexpected(opened.error()); // before the folder: a bad clip leaves none
    }
    if (auto made = makeFolder(outDir); !made) {
        return std::unexpected(made.error());
    }
    std::vector<ExtractedFrame> written;
    auto ok = forEachFrame(clip, {}, progress, [&](int index, const DecodedFrame& frame) {
        if (index % n != 0) {
            return Status{};
        }
        if (written.size() >= static_cast<std::size_t>(kMaxExtractedFrames)) {
            return Status(fail(ErrorCode::LimitExceeded, "every: more than " +
                                                             std::to_string(kMaxExtractedFrames) +
                                                             " frames; choose a larger N"));
        }
        char name[32];
        std::snprintf(name, sizeof name, "-f%06d.png", index);
        ExtractedFrame out{outDir / (baseName + name), index, frame.seconds};
        if (auto png = writePng(frame.bgr, out.file); !png) {
            return png;
        }
        written.push_back(std::move(out));
        return Status{};
    });
    if (!ok) {
        return std::unexpected(ok.error());
    }
    return written;
}

} // namespace ripen
