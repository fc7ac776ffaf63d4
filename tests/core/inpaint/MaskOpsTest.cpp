// Mask operations the compositor and the editor share: exact distances, no surprises.
#include "imaging/inpaint/MaskOps.h"

#include "support/MaskChecks.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;
using namespace ripen::test;

TEST_CASE("Invert swaps change and keep, clear marks nothing", "[inpaint][mask]") {
    cv::Mat mask = rectMask({20, 20}, {5, 5, 4, 4});
    mask.at<uchar>(0, 0) = 100;
    const cv::Mat inverted = invertMask(mask);
    CHECK(inverted.at<uchar>(6, 6) == 0);
    CHECK(inverted.at<uchar>(15, 15) == 255);
    CHECK(inverted.at<uchar>(0, 0) == 155);
    CHECK(cv::countNonZero(invertMask(inverted) != mask) == 0);
    const cv::Mat cleared = clearMask(mask);
    CHECK(cleared.size() == mask.size());
    CHECK(cv::countNonZero(cleared) == 0);
    CHECK(cv::countNonZero(mask) == 17); // the inputs are left alone
}

TEST_CASE("Grow and shrink move the edge by whole Euclidean pixels", "[inpaint][mask]") {
    const cv::Mat mask = rectMask({60, 60}, {20, 20, 20, 20});
    const cv::Mat grown = growMask(mask, 5);
    CHECK(grown.at<uchar>(30, 15) == 255); // 5 px left of the edge
    CHECK(grown.at<uchar>(30, 14) == 0);   // 6 px
    CHECK(grown.at<uchar>(30, 44) == 255);
    CHECK(grown.at<uchar>(30, 45) == 0);
    // Round corners: the diagonal point (15,15) is 7.07 px away from (20,20).
    CHECK(grown.at<uchar>(15, 15) == 0);
    CHECK(grown.at<uchar>(17, 17) == 255); // 4.24 px

    const cv::Mat shrunk = growMask(mask, -5);
    CHECK(shrunk.at<uchar>(30, 24) == 0);   // 5 px inside the edge
    CHECK(shrunk.at<uchar>(30, 25) == 255); // 6 px inside
    CHECK(cv::countNonZero(shrunk) == 10 * 10);
    CHECK(cv::countNonZero(growMask(mask, 0) != mask) == 0);
    CHECK(cv::countNonZero(growMask(mask, -30)) == 0);
}

TEST_CASE("Feather is a monotone linear ramp of exactly the stated width", "[inpaint][mask]") {
    const int width = 8;
    const cv::Mat mask = rectMask({80, 80}, {30, 30, 20, 20});
    const cv::Mat feathered = featherMask(mask, width);
    // Along a row leaving the square's left edge at x = 30.
    const int row = 40;
    CHECK(feathered.at<uchar>(row, 30) == 255);
    int previous = 255;
    for (int d = 1; d <= width; ++d) {
        const int value = feathered.at<uchar>(row, 30 - d);
        INFO("distance " << d);
        CHECK(value < previous);
        CHECK(value > 0);
        CHECK(value == static_cast<int>(std::ceil(255.0 * (width + 1 - d) / (width + 1))));
        previous = value;
    }
    CHECK(feathered.at<uchar>(row, 30 - width - 1) == 0);
    CHECK(feathered.at<uchar>(row, 0) == 0);
    // Inside keeps the mask's own values; nothing beyond the ramp is touched.
    CHECK(cv::countNonZero(feathered(cv::Rect(30, 30, 20, 20)) != 255) == 0);
    CHECK(cv::countNonZero(feathered) == cv::countNonZero(changeableRegion(mask, width)));
    CHECK(cv::countNonZero(changeableRegion(mask, width)) ==
          cv::countNonZero(growMask(mask, width)));
}

TEST_CASE("A soft brush edge keeps its grey inside the feather", "[inpaint][mask]") {
    cv::Mat mask = cv::Mat::zeros(30, 30, CV_8UC1);
    mask.at<uchar>(15, 15) = 40;
    const cv::Mat feathered = featherMask(mask, 3);
    CHECK(feathered.at<uchar>(15, 15) == 40);
    CHECK(feathered.at<uchar>(15, 16) > 0);
    CHECK(feathered.at<uchar>(15, 19) == 0);
}
