#include "batch/MockupRenderer.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

double distance(cv::Point2f a, cv::Point2f b) {
    return std::hypot(a.x - b.x, a.y - b.y);
}

// The part of the design that is mapped: all of it, or its centre at the quad's aspect.
cv::Mat fittedDesign(const cv::Mat& design, const std::array<cv::Point2f, 4>& q,
                     MockupOptions::Fit fit) {
    const double width = (distance(q[0], q[1]) + distance(q[3], q[2])) / 2;
    const double height = (distance(q[0], q[3]) + distance(q[1], q[2])) / 2;
    cv::Mat part = design;
    if (fit == MockupOptions::Fit::Cover) {
        const double aspect = width / height;
        if (design.cols > design.rows * aspect) {
            const int w = std::max(1, cvRound(design.rows * aspect));
            part = design(cv::Rect((design.cols - w) / 2, 0, w, design.rows));
        } else {
            const int h = std::max(1, cvRound(design.cols / aspect));
            part = design(cv::Rect(0, (design.rows - h) / 2, design.cols, h));
        }
    }
    // Bilinear sampling of a much larger design aliases; shrink it to about the quad's size.
    const double longest = std::max(width, height) * 1.5;
    if (std::max(part.cols, part.rows) > 2 * longest) {
        const double f = longest / std::max(part.cols, part.rows);
        cv::Mat smaller;
        cv::resize(part, smaller, {}, f, f, cv::INTER_AREA);
        return smaller;
    }
    return part;
}

cv::Mat lumaOf(const cv::Mat& bgr) {
    cv::Mat grey;
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    cv::Mat luma;
    grey.convertTo(luma, CV_32F);
    return luma;
}

// The luma that counts as unshaded: the 95th percentile inside the quad, so a highlight or
// two do not darken the whole design.
float referenceLuma(const cv::Mat& luma, const cv::Mat& coverage) {
    std::vector<float> values;
    values.reserve(static_cast<std::size_t>(cv::countNonZero(coverage)));
    for (int y = 0; y < luma.rows; ++y) {
        const auto* l = luma.ptr<float>(y);
        const auto* c = coverage.ptr<std::uint8_t>(y);
        for (int x = 0; x < luma.cols; ++x) {
            if (c[x] == 255) {
                values.push_back(l[x]);
            }
        }
    }
    if (values.empty()) {
        return 255.f;
    }
    const auto at = values.begin() + static_cast<std::ptrdiff_t>(values.size() * 95 / 100);
    std::nth_element(values.begin(), at, values.end());
    return std::max(*at, 1.f);
}

} // namespace

Result<cv::Mat> renderMockup(const cv::Mat& design, const MockupTemplate& mockup,
                             const MockupOptions& options) {
    if (design.empty() || design.depth() != CV_8U || design.channels() == 2) {
        return fail(ErrorCode::InvalidArgument, "the design must be an 8-bit image");
    }
    if (mockup.image.type() != CV_8UC3) {
        return fail(ErrorCode::InvalidArgument, "mockup template " + mockup.name + " has no image");
    }
    cv::Mat source = design;
    if (design.channels() == 1) {
        cv::cvtColor(design, source, cv::COLOR_GRAY2BGR);
    }
    source = fittedDesign(source, mockup.quad, options.fit);
    std::vector<cv::Point2f> quad;
    std::vector<cv::Point> fixedPoint;
    for (const auto& corner : mockup.quad) {
        // Drawing and sampling use pixel centres; the quad is given in pixel corners.
        quad.emplace_back(corner.x - 0.5f, corner.y - 0.5f);
    }
    const cv::Rect box = cv::boundingRect(quad) & cv::Rect({0, 0}, mockup.image.size());
    cv::Mat coverage = cv::Mat::zeros(box.size(), CV_8U);
    constexpr int kShift = 8;
    for (const auto& p : quad) {
        fixedPoint.emplace_back(cvRound((p.x - box.x) * (1 << kShift)),
                                cvRound((p.y - box.y) * (1 << kShift)));
    }
    cv::fillConvexPoly(coverage, fixedPoint, cv::Scalar(255), cv::LINE_AA, kShift);

    const float w = static_cast<float>(source.cols);
    const float h = static_cast<float>(source.rows);
    const std::vector<cv::Point2f> designCorners = {
        {-0.5f, -0.5f}, {w - 0.5f, -0.5f}, {w - 0.5f, h - 0.5f}, {-0.5f, h - 0.5f}};
    const cv::Matx33d toDesign = cv::getPerspectiveTransform(quad, designCorners);

    const cv::Mat templatePart = mockup.image(box);
    const cv::Mat luma = lumaOf(templatePart);
    cv::Mat smooth;
    cv::GaussianBlur(luma, smooth, {0, 0}, 1.5);
    const double meanLuma = cv::mean(smooth, coverage)[0];
    // The largest departure from the mean inside the quad moves the design by the full
    // `displacement`; the rest in proportion.
    double lowest = 0;
    double highest = 0;
    cv::minMaxLoc(smooth, &lowest, &highest, nullptr, nullptr, coverage);
    const double spread = std::max({highest - meanLuma, meanLuma - lowest, 1.0});
    const float shiftPerLevel = static_cast<float>(mockup.blend.displacement / spread);
    const double phi = mockup.blend.curvature * std::numbers::pi / 2;

    cv::Mat mapX(box.size(), CV_32F);
    cv::Mat mapY(box.size(), CV_32F);
    for (int y = 0; y < box.height; ++y) {
        for (int x = 0; x < box.width; ++x) {
            const float shift =
                shiftPerLevel * static_cast<float>(smooth.at<float>(y, x) - meanLuma);
            const cv::Vec3d p = toDesign * cv::Vec3d(x + box.x + shift, y + box.y + shift, 1.0);
            double u = p[0] / p[2];
            if (phi > 0) {
                const double t = std::clamp(2 * (u + 0.5) / w - 1, -1.0, 1.0);
                u = (std::asin(t * std::sin(phi)) / phi + 1) / 2 * w - 0.5;
            }
            mapX.at<float>(y, x) = static_cast<float>(u);
            mapY.at<float>(y, x) = static_cast<float>(p[1] / p[2]);
        }
    }
    cv::Mat warped;
    cv::remap(source, warped, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REPLICATE);

    const float reference = referenceLuma(luma, coverage);
    const float shading = static_cast<float>(mockup.blend.shading);
    const bool hasAlpha = warped.channels() == 4;
    cv::Mat out = mockup.image.clone();
    for (int y = 0; y < box.height; ++y) {
        auto* o = out.ptr<cv::Vec3b>(y + box.y) + box.x;
        const auto* t = templatePart.ptr<cv::Vec3b>(y);
        const auto* c = coverage.ptr<std::uint8_t>(y);
        for (int x = 0; x < box.width; ++x) {
            if (c[x] == 0) {
                continue;
            }
            const std::uint8_t* d = warped.ptr<std::uint8_t>(y) + x * warped.channels();
            const float weight = c[x] / 255.f * (hasAlpha ? d[3] / 255.f : 1.f);
            for (int ch = 0; ch < 3; ++ch) {
                const float factor = 1.f + shading * (std::min(t[x][ch] / reference, 1.f) - 1.f);
                const float printed = d[ch] * factor;
                o[x][ch] =
                    cv::saturate_cast<std::uint8_t>(t[x][ch] + weight * (printed - t[x][ch]));
            }
        }
    }
    return out;
}

} // namespace ripen
