#include "video/ConsistencyCheck.h"

#include "video/VideoFrameReader.h"

#include <algorithm>
#include <cmath>
#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

namespace ripen {
namespace {

constexpr int kAnalysisWidth = 320;
constexpr std::size_t kMaxFrames = 100'000; // about an hour at 30 fps
constexpr double kStructuralFloor = 0.12;
constexpr double kStructuralFactor = 3.0;
constexpr double kFlickerFloor = 0.04;
constexpr double kFlickerFactor = 4.0;
constexpr std::size_t kWorstListed = 10;

// Mean SSIM of two float images over `mask` (Wang et al. 2004, 7x7 Gaussian windows).
double ssim(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
    const double c1 = 6.5025;  // (0.01 * 255)^2
    const double c2 = 58.5225; // (0.03 * 255)^2
    const cv::Size window(7, 7);
    cv::Mat muA, muB, aa, bb, ab;
    cv::GaussianBlur(a, muA, window, 1.5);
    cv::GaussianBlur(b, muB, window, 1.5);
    cv::GaussianBlur(a.mul(a), aa, window, 1.5);
    cv::GaussianBlur(b.mul(b), bb, window, 1.5);
    cv::GaussianBlur(a.mul(b), ab, window, 1.5);
    const cv::Mat muAB = muA.mul(muB);
    const cv::Mat muA2 = muA.mul(muA);
    const cv::Mat muB2 = muB.mul(muB);
    const cv::Mat numerator = (2 * muAB + c1).mul(2 * (ab - muAB) + c2);
    const cv::Mat denominator = (muA2 + muB2 + c1).mul((aa - muA2) + (bb - muB2) + c2);
    cv::Mat map;
    cv::divide(numerator, denominator, map);
    return cv::mean(map, mask)[0];
}

// The similarity transform taking `previous` onto `current`, from tracked corners;
// identity when too little texture is tracked.
cv::Mat globalMotion(const cv::Mat& previous, const cv::Mat& current) {
    std::vector<cv::Point2f> corners;
    cv::goodFeaturesToTrack(previous, corners, 300, 0.01, 6);
    cv::Mat identity = cv::Mat::eye(2, 3, CV_64F);
    if (corners.size() < 8) {
        return identity;
    }
    std::vector<cv::Point2f> tracked;
    std::vector<uchar> status;
    std::vector<float> error;
    cv::calcOpticalFlowPyrLK(previous, current, corners, tracked, status, error);
    std::vector<cv::Point2f> from;
    std::vector<cv::Point2f> to;
    for (std::size_t i = 0; i < corners.size(); ++i) {
        if (status[i] != 0) {
            from.push_back(corners[i]);
            to.push_back(tracked[i]);
        }
    }
    if (from.size() < 8) {
        return identity;
    }
    cv::Mat transform = cv::estimateAffinePartial2D(from, to, cv::noArray(), cv::RANSAC, 1.0);
    return transform.empty() ? identity : transform;
}

FrameChange compare(const cv::Mat& previous, const cv::Mat& current) {
    FrameChange change;
    const cv::Mat motion = globalMotion(previous, current);
    cv::Mat warped;
    cv::warpAffine(previous, warped, motion, previous.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   0);
    // Only where the warped frame has content: the strip a pan uncovers is not a change.
    cv::Mat coverage;
    cv::warpAffine(cv::Mat(previous.size(), CV_8U, cv::Scalar(255)), coverage, motion,
                   previous.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT, 0);
    cv::erode(coverage, coverage, cv::Mat(), cv::Point(-1, -1), 4);
    if (static_cast<std::size_t>(cv::countNonZero(coverage)) < previous.total() / 4) {
        coverage.setTo(255); // a whip pan: compare all of it
        warped = previous;
    }
    cv::Mat a;
    cv::Mat b;
    warped.convertTo(a, CV_32F);
    current.convertTo(b, CV_32F);
    change.structural = std::max(0.0, 1 - ssim(a, b, coverage));
    const double scale = std::hypot(motion.at<double>(0, 0), motion.at<double>(1, 0));
    change.motionPixels = std::hypot(motion.at<double>(0, 2), motion.at<double>(1, 2)) +
                          std::abs(scale - 1) * previous.cols / 2;
    change.flicker = std::abs(cv::mean(current)[0] - cv::mean(previous)[0]) / 255;
    return change;
}

double median(std::vector<double> values) {
    if (values.empty()) {
        return 0;
    }
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

} // namespace

Result<ConsistencyReport> checkConsistency(const std::filesystem::path& clip,
                                           ProgressSink& progress) {
    ConsistencyReport report;
    cv::Mat previous; // 8-bit grey
    cv::Mat current;
    auto ok = forEachFrame(
        clip, cv::Size(kAnalysisWidth, 0), progress, [&](int index, const DecodedFrame& frame) {
            if (static_cast<std::size_t>(index) >= kMaxFrames) {
                return Status(fail(ErrorCode::LimitExceeded,
                                   "check: more than " + std::to_string(kMaxFrames) + " frames"));
            }
            cv::cvtColor(frame.bgr, current, cv::COLOR_BGR2GRAY);
            if (!previous.empty()) {
                FrameChange change = compare(previous, current);
                change.index = index;
                change.seconds = frame.seconds;
                report.changes.push_back(change);
            }
            std::swap(previous, current);
            return Status{};
        });
    if (!ok) {
        return std::unexpected(ok.error());
    }
    std::vector<double> structural;
    std::vector<double> flicker;
    for (const FrameChange& c : report.changes) {
        structural.push_back(c.structural);
        flicker.push_back(c.flicker);
    }
    report.structuralThreshold = std::max(kStructuralFloor, kStructuralFactor * median(structural));
    report.flickerThreshold = std::max(kFlickerFloor, kFlickerFactor * median(flicker));
    for (FrameChange& c : report.changes) {
        c.flagged =
            c.structural > report.structuralThreshold || c.flicker > report.flickerThreshold;
        if (c.flagged) {
            ++report.flaggedCount;
            report.worst.push_back(c);
        }
    }
    std::sort(
        report.worst.begin(), report.worst.end(), [&](const FrameChange& a, const FrameChange& b) {
            return a.structural / report.structuralThreshold + a.flicker / report.flickerThreshold >
                   b.structural / report.structuralThreshold + b.flicker / report.flickerThreshold;
        });
    if (report.worst.size() > kWorstListed) {
        report.worst.resize(kWorstListed);
    }
    return report;
}

nlohmann::json ConsistencyReport::toJson() const {
    auto change = [](const FrameChange& c) {
        return nlohmann::json{{"frame", c.index},           {"time_s", c.seconds},
                              {"structural", c.structural}, {"motion_px", c.motionPixels},
                              {"flicker", c.flicker},       {"flagged", c.flagged}};
    };
    nlohmann::json out{{"structural_threshold", structuralThreshold},
                       {"flicker_threshold", flickerThreshold},
                       {"flagged", flaggedCount},
                       {"worst", nlohmann::json::array()},
                       {"frames", nlohmann::json::array()}};
    for (const FrameChange& c : worst) {
        out["worst"].push_back(change(c));
    }
    for (const FrameChange& c : changes) {
        out["frames"].push_back(change(c));
    }
    return out;
}

} // namespace ripen
