// Back-projection takes the low band of a neural upscale from the input and keeps the
// model's detail band: a colour cast goes, the drawn texture stays, in bands equal to the
// whole-image computation.
#include "imaging/upscale/BackProjection.h"

#include "RecordingProgress.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

using namespace ripen;
using ripen::test::RecordingProgress;

namespace {

// Fine texture and hard edges in 20..230, so a cast of a few tens of levels never clips.
cv::Mat texturedScene(int width, int height) {
    cv::Mat noise(height, width, CV_8UC3);
    cv::theRNG().state = 4321;
    cv::randu(noise, 0, 255);
    cv::GaussianBlur(noise, noise, cv::Size(0, 0), 0.8);
    cv::Mat scene;
    cv::addWeighted(noise, 0.5, cv::Mat(height, width, CV_8UC3, cv::Scalar(70, 110, 140)), 0.5, 0,
                    scene);
    cv::rectangle(scene, {width / 4, height / 4}, {width / 2, height * 3 / 4},
                  cv::Scalar(200, 60, 30), cv::FILLED);
    cv::line(scene, {0, height / 3}, {width - 1, height / 2}, cv::Scalar(30, 220, 220), 2);
    return scene;
}

cv::Mat areaDown(const cv::Mat& image, int factor) {
    cv::Mat asFloat;
    image.convertTo(asFloat, CV_32F);
    cv::Mat down;
    cv::resize(asFloat, down, cv::Size(image.cols / factor, image.rows / factor), 0, 0,
               cv::INTER_AREA);
    return down;
}

// The band a x`factor` round trip removes: y - up(down(y)).
cv::Mat detailBand(const cv::Mat& image, int factor) {
    cv::Mat up;
    cv::resize(areaDown(image, factor), up, image.size(), 0, 0, cv::INTER_LANCZOS4);
    cv::Mat asFloat;
    image.convertTo(asFloat, CV_32F);
    return asFloat - up;
}

// A GAN's drift: blue up and red down by a smooth ramp across the image (up to 14 levels).
cv::Mat withColourCast(const cv::Mat& image) {
    cv::Mat cast(image.size(), CV_32FC3);
    for (int y = 0; y < image.rows; ++y) {
        for (int x = 0; x < image.cols; ++x) {
            const float ramp =
                static_cast<float>(x + y) / static_cast<float>(image.cols + image.rows);
            cast.at<cv::Vec3f>(y, x) = {6.0F + 8.0F * ramp, 2.0F, -4.0F - 10.0F * ramp};
        }
    }
    cv::Mat out;
    cv::add(image, cast, out, cv::noArray(), CV_8U);
    return out;
}

// The definition in whole-image calls: out + Lanczos(in - area(out)).
cv::Mat wholeImageBackProjection(const cv::Mat& input, const cv::Mat& upscaled, int factor) {
    cv::Mat inFloat;
    input.convertTo(inFloat, CV_32F);
    cv::Mat residual = inFloat - areaDown(upscaled, factor);
    cv::Mat up;
    cv::resize(residual, up, upscaled.size(), 0, 0, cv::INTER_LANCZOS4);
    cv::Mat sum;
    cv::add(upscaled, up, sum, cv::noArray(), CV_32F);
    cv::Mat out;
    sum.convertTo(out, CV_8U);
    return out;
}
} // namespace

TEST_CASE("back-projection removes a colour cast and keeps the model's detail", "[upscale]") {
    const int factor = GENERATE(2, 4);
    const cv::Mat original = texturedScene(96 * factor, 80 * factor);
    cv::Mat input;
    cv::resize(original, input, cv::Size(96, 80), 0, 0, cv::INTER_AREA);
    // A "model" that restored the original's texture exactly but tinted it.
    const cv::Mat model = withColourCast(original);
    cv::Mat corrected = model.clone();
    NullProgress none;
    REQUIRE(BackProjection::apply(input, corrected, {}, none));
    // The low band agrees with the input: within a level per channel on average, and
    // within a few levels at any pixel away from the borders Lanczos extrapolates.
    cv::Mat inFloat;
    input.convertTo(inFloat, CV_32F);
    const cv::Mat lowError = areaDown(corrected, factor) - inFloat;
    const cv::Scalar meanError = cv::mean(lowError);
    const cv::Scalar castError = cv::mean(areaDown(model, factor) - inFloat);
    for (int c = 0; c < 3; ++c) {
        CHECK(std::abs(meanError[c]) < 1.0);
    }
    CHECK(std::abs(castError[0]) > 6.0); // there was a cast to remove
    CHECK(std::abs(castError[2]) > 6.0);
    const cv::Rect inner(4, 4, input.cols - 8, input.rows - 8);
    CHECK(cv::norm(lowError(inner), cv::NORM_INF) <= 2.0);
    // The detail band is the model's, within rounding.
    const cv::Mat detailChange = detailBand(corrected, factor) - detailBand(model, factor);
    const cv::Rect innerOut(4 * factor, 4 * factor, corrected.cols - 8 * factor,
                            corrected.rows - 8 * factor);
    const double detailEnergy = cv::norm(detailBand(model, factor)(innerOut), cv::NORM_L2SQR);
    CHECK(cv::norm(detailChange(innerOut), cv::NORM_L2SQR) < 0.01 * detailEnergy);
    // And the result is the original back, the cast gone.
    CHECK(cv::norm(corrected(innerOut), original(innerOut), cv::NORM_INF) <= 2.0);
}

TEST_CASE("back-projection saturates at 0 and 255 instead of wrapping", "[upscale]") {
    // The input is white on the left and black on the right; the model drew the halves
    // 40 levels too dark and too light, with detail of +-20 levels on top.
    cv::Mat input(32, 32, CV_8UC3, cv::Scalar::all(255));
    input.colRange(16, 32).setTo(cv::Scalar::all(0));
    cv::Mat model(128, 128, CV_8UC3);
    for (int y = 0; y < model.rows; ++y) {
        for (int x = 0; x < model.cols; ++x) {
            const int detail = (x + y) % 2 == 0 ? 20 : -20;
            const int base = x < 64 ? 215 : 40;
            model.at<cv::Vec3b>(y, x) = cv::Vec3b::all(static_cast<uchar>(base + detail));
        }
    }
    NullProgress none;
    REQUIRE(BackProjection::apply(input, model, {}, none));
    // Bright pixels pushed past 255 stay at 255, dark ones below 0 at 0: no wrap-around.
    const cv::Mat left = model(cv::Rect(8, 8, 40, 112));
    const cv::Mat right = model(cv::Rect(80, 8, 40, 112));
    double leftMin = 0;
    double rightMax = 0;
    cv::minMaxLoc(left.reshape(1), &leftMin);
    cv::minMaxLoc(right.reshape(1), nullptr, &rightMax);
    CHECK(leftMin >= 200);
    CHECK(rightMax <= 55);
    CHECK(static_cast<std::size_t>(cv::countNonZero(left.reshape(1) == 255)) > left.total());
    CHECK(static_cast<std::size_t>(cv::countNonZero(right.reshape(1) == 0)) > right.total());
}

TEST_CASE("back-projection in bands equals the whole-image computation", "[upscale]") {
    const int factor = GENERATE(2, 3, 4, 8);
    const cv::Mat original = texturedScene(37 * factor, 53 * factor);
    cv::Mat input;
    cv::resize(original, input, cv::Size(37, 53), 0, 0, cv::INTER_AREA);
    const cv::Mat model = withColourCast(original);
    const cv::Mat whole = wholeImageBackProjection(input, model, factor);
    cv::Mat banded = model.clone();
    RecordingProgress progress;
    // Small bands: many band edges for the area average and the resample to cross.
    REQUIRE(BackProjection::apply(input, banded, {}, progress, 1'000));
    CHECK(cv::norm(banded, whole, cv::NORM_INF) == 0);
    CHECK(cv::norm(banded, model, cv::NORM_INF) > 5); // it did correct something
    REQUIRE(progress.reports.size() > 8);
    for (std::size_t i = 1; i < progress.reports.size(); ++i) {
        const auto& [done, total, message] = progress.reports[i];
        const auto& previous = progress.reports[i - 1];
        CHECK(done * previous.total >= previous.done * total);
    }
    CHECK_THAT(progress.reports.front().message, Catch::StartsWith("back-projection, band 1/"));
}

TEST_CASE("back-projection stops between bands when cancelled", "[upscale]") {
    const cv::Mat original = texturedScene(400, 300);
    cv::Mat input;
    cv::resize(original, input, cv::Size(100, 75), 0, 0, cv::INTER_AREA);
    cv::Mat upscaled = original.clone();
    RecordingProgress progress;
    progress.cancelAfter = 3;
    const auto result = BackProjection::apply(input, upscaled, {}, progress, 4'000);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::Cancelled);
    CHECK(progress.reports.size() == 3);
    std::stop_source stop;
    stop.request_stop();
    NullProgress none;
    const auto stopped = BackProjection::apply(input, upscaled, stop.get_token(), none);
    REQUIRE_FALSE(stopped);
    CHECK(stopped.error().code == ErrorCode::Cancelled);
}

TEST_CASE("back-projection refuses images that are not a whole-factor upscale", "[upscale]") {
    const cv::Mat input(10, 10, CV_8UC3, cv::Scalar::all(100));
    NullProgress none;
    cv::Mat notWhole(25, 25, CV_8UC3, cv::Scalar::all(100));
    CHECK(BackProjection::apply(input, notWhole, {}, none).error().code ==
          ErrorCode::InvalidArgument);
    cv::Mat grey(40, 40, CV_8UC1, cv::Scalar::all(100));
    CHECK(BackProjection::apply(input, grey, {}, none).error().code == ErrorCode::InvalidArgument);
    cv::Mat stretched(40, 20, CV_8UC3, cv::Scalar::all(100));
    CHECK(BackProjection::apply(input, stretched, {}, none).error().code ==
          ErrorCode::InvalidArgument);
}
