#pragma once

// Generated product photos with a known answer, for cut-out and composite tests.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace ripen::test {

struct ProductScene {
    cv::Mat image; // BGR
    cv::Mat truth; // 255 where the product is
};

// A bottle-like product (a body and a neck, warm orange with a little texture) standing on a
// textured background (cool noise and stripes): different colours, but neither is flat.
inline ProductScene makeProductScene(cv::Size size, cv::Scalar background = {150, 120, 90}) {
    ProductScene scene;
    scene.image = cv::Mat(size, CV_8UC3, background);
    cv::Mat noise(size, CV_8UC3);
    cv::RNG rng(7);
    rng.fill(noise, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(40));
    scene.image += noise;
    for (int x = 0; x < size.width; x += 23) {
        cv::line(scene.image, {x, 0}, {x + size.height / 3, size.height}, background * 0.7, 3);
    }
    scene.truth = cv::Mat::zeros(size, CV_8U);
    const int w = size.width;
    const int h = size.height;
    cv::rectangle(scene.truth, cv::Rect(w * 3 / 8, h / 3, w / 4, h / 2), cv::Scalar(255),
                  cv::FILLED);
    cv::rectangle(scene.truth, cv::Rect(w * 7 / 16, h / 6, w / 8, h / 5), cv::Scalar(255),
                  cv::FILLED);
    cv::ellipse(scene.truth, {w / 2, h / 3}, {w / 8, h / 14}, 0, 0, 360, cv::Scalar(255),
                cv::FILLED);
    cv::Mat product(size, CV_8UC3, cv::Scalar(40, 110, 230));
    cv::Mat grain(size, CV_8UC3);
    rng.fill(grain, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(20));
    product += grain;
    product.copyTo(scene.image, scene.truth);
    return scene;
}

// Intersection over union of two 0/255 (or 0/non-zero) masks.
inline double intersectionOverUnion(const cv::Mat& a, const cv::Mat& b) {
    const double both = cv::countNonZero(a & b);
    const double either = cv::countNonZero(a | b);
    return either == 0 ? 0 : both / either;
}

} // namespace ripen::test
