// bench_batch: the batch imaging flows of issue 9 at 2048x2048 — 20 ad variants (5
// backgrounds x 4 sizes from one product cut-out) and 10 mockups of a 2048x2048 design —
// median seconds per batch and peak memory per phase. The anchor is the plain OpenCV
// pipeline a script would write (resize and alpha-blend; warpPerspective and multiply),
// re-measured in the same run: Ripen's figures add the contact shadow, the Lab colour match,
// premultiplied scaling, displacement and curvature.

#include "BenchCommon.h"
#include "CommandLine.h"
#include "ResultTable.h"
#include "batch/BackgroundComposite.h"
#include "batch/MockupRenderer.h"
#include "batch/ProductCutout.h"
#include "imaging/ImageEncoder.h"

#include <functional>
#include <iostream>
#include <opencv2/imgproc.hpp>

namespace rb = ripen::bench;

namespace {

constexpr int kSide = 2048;

// A product photo: a rounded bottle on a textured ground, as a cut-out starts from.
cv::Mat productPhoto(int side, cv::Rect& box) {
    cv::Mat image(side, side, CV_8UC3);
    cv::randu(image, cv::Scalar(90, 110, 130), cv::Scalar(140, 160, 180));
    box = cv::Rect(side * 3 / 8, side / 5, side / 4, side * 3 / 5);
    cv::rectangle(image, box, cv::Scalar(40, 110, 230), cv::FILLED);
    cv::ellipse(image, {side / 2, side / 5}, {side / 8, side / 16}, 0, 0, 360,
                cv::Scalar(40, 110, 230), cv::FILLED);
    box.y -= side / 16 + side / 32;
    box.height += side / 16 + side / 16;
    box.x -= side / 32;
    box.width += side / 16;
    return image;
}

cv::Mat backgroundPhoto(int side, int seed) {
    cv::Mat image(side, side, CV_8UC3);
    image.forEach<cv::Vec3b>([&](cv::Vec3b& p, const int* pos) {
        p = cv::Vec3b(static_cast<uchar>((pos[1] * 7 + seed * 40) % 256),
                      static_cast<uchar>(120 + pos[0] * 100 / side),
                      static_cast<uchar>(60 + seed * 30));
    });
    return image;
}

struct Phase {
    double seconds = 0;
    std::int64_t peakKiB = 0;
};

Phase measure(int runs, const std::function<void()>& work) {
    std::vector<double> seconds;
    rb::resetPeakRss();
    for (int i = 0; i < runs; ++i) {
        const auto start = rb::Clock::now();
        work();
        seconds.push_back(rb::secondsSince(start));
    }
    return {rb::median(seconds), rb::peakRssKiB()};
}

// What a script does without Ripen: resize the cut-out, alpha-blend it on the resized
// background.
cv::Mat plainComposite(const cv::Mat& product, const cv::Mat& background, cv::Size canvas) {
    cv::Mat out;
    cv::resize(background, out, canvas, 0, 0, cv::INTER_AREA);
    const cv::Rect placed = ripen::placeProduct(product.size(), canvas, {});
    cv::Mat scaled;
    cv::resize(product, scaled, placed.size(), 0, 0, cv::INTER_AREA);
    cv::Mat roi = out(placed);
    roi.forEach<cv::Vec3b>([&](cv::Vec3b& p, const int* pos) {
        const cv::Vec4b f = scaled.at<cv::Vec4b>(pos[0], pos[1]);
        for (int c = 0; c < 3; ++c) {
            p[c] = static_cast<uchar>((f[c] * f[3] + p[c] * (255 - f[3])) / 255);
        }
    });
    return out;
}

cv::Mat plainMockup(const cv::Mat& design, const ripen::MockupTemplate& mockup) {
    const std::vector<cv::Point2f> from = {
        {0, 0},
        {static_cast<float>(design.cols), 0},
        {static_cast<float>(design.cols), static_cast<float>(design.rows)},
        {0, static_cast<float>(design.rows)}};
    const cv::Mat h = cv::getPerspectiveTransform(
        from, std::vector<cv::Point2f>(mockup.quad.begin(), mockup.quad.end()));
    cv::Mat warped;
    cv::warpPerspective(design, warped, h, mockup.image.size());
    cv::Mat mask = cv::Mat::zeros(mockup.image.size(), CV_8U);
    std::vector<cv::Point> corners(mockup.quad.begin(), mockup.quad.end());
    cv::fillConvexPoly(mask, corners, cv::Scalar(255));
    cv::Mat multiplied;
    cv::multiply(warped, mockup.image, multiplied, 1.0 / 255);
    cv::Mat out = mockup.image.clone();
    multiplied.copyTo(out, mask);
    return out;
}

// The shipped poster template enlarged to 2048x2048, so the mockup output is that big too.
ripen::MockupTemplate largeTemplate(const ripen::MockupTemplate& small) {
    ripen::MockupTemplate large = small;
    cv::resize(small.image, large.image, {kSide, kSide}, 0, 0, cv::INTER_CUBIC);
    const float fx = static_cast<float>(kSide) / small.image.cols;
    const float fy = static_cast<float>(kSide) / small.image.rows;
    for (auto& corner : large.quad) {
        corner = {corner.x * fx, corner.y * fy};
    }
    return large;
}

std::string row(const Phase& p) {
    return rb::formatDuration(p.seconds) + ", " + rb::formatFixed(p.peakKiB / 1024.0, 0) + " MiB";
}

int run(int argc, char** argv) {
    const rb::CommandLine args(argc, argv, {"--runs"}, {"--quick"});
    const int runs = static_cast<int>(args.number("--runs", args.has("--quick") ? 1 : 3));
    std::cout << "## bench_batch\n\nmachine: " << rb::machineDescription() << "\n"
              << "product photo, backgrounds and design " << kSide << "x" << kSide
              << "; medians of " << runs << " runs; peak RSS per phase (whole process); OpenCV "
              << CV_VERSION << " with " << cv::getNumThreads() << " threads\n\n";

    cv::Rect box;
    const cv::Mat photo = productPhoto(kSide, box);
    cv::Mat cutout;
    const Phase cut = measure(runs, [&] {
        ripen::CutoutSeed seed;
        seed.box = box;
        cutout = rb::orThrow(ripen::cutOutProduct(photo, seed), "cut-out");
    });
    std::vector<cv::Mat> backgrounds;
    for (int i = 0; i < 5; ++i) {
        backgrounds.push_back(backgroundPhoto(kSide, i));
    }
    const std::vector<cv::Size> sizes = {{1080, 1080}, {1080, 1920}, {1200, 628}, {kSide, kSide}};
    const auto variants = [&](bool ripenWay, bool encode) {
        for (const auto& background : backgrounds) {
            for (const auto& size : sizes) {
                const cv::Mat out =
                    ripenWay
                        ? rb::orThrow(ripen::composeAdVariant(cutout, background, size), "variant")
                        : plainComposite(cutout, background, size);
                if (encode) {
                    (void)rb::orThrow(ripen::encodeImage(out, {"png", 92, 0}), "png");
                }
            }
        }
    };
    const Phase anchorVariants = measure(runs, [&] { variants(false, false); });
    const Phase ripenVariants = measure(runs, [&] { variants(true, false); });
    const Phase ripenVariantsPng = measure(runs, [&] { variants(true, true); });

    const cv::Mat design = backgroundPhoto(kSide, 7);
    const auto poster = rb::orThrow(ripen::findMockupTemplate("poster-wall"), "template");
    const auto shirt = rb::orThrow(ripen::findMockupTemplate("tshirt"), "template");
    const auto mug = rb::orThrow(ripen::findMockupTemplate("mug"), "template");
    const std::vector<ripen::MockupTemplate> shipped = {poster, shirt, mug};
    const ripen::MockupTemplate large = largeTemplate(poster);
    const auto mockups = [&](bool ripenWay, bool big) {
        for (int i = 0; i < 10; ++i) {
            const auto& mockup =
                big ? large : shipped[static_cast<std::size_t>(i) % shipped.size()];
            (void)(ripenWay ? rb::orThrow(ripen::renderMockup(design, mockup), "mockup")
                            : plainMockup(design, mockup));
        }
    };
    const Phase anchorShipped = measure(runs, [&] { mockups(false, false); });
    const Phase ripenShipped = measure(runs, [&] { mockups(true, false); });
    const Phase anchorLarge = measure(runs, [&] { mockups(false, true); });
    const Phase ripenLarge = measure(runs, [&] { mockups(true, true); });

    rb::ResultTable table({"batch", "anchor: plain OpenCV", "Ripen", "Ripen / anchor"});
    table.addRow({"1 cut-out (GrabCut, box seed, 2048x2048)", "–", row(cut), "–"});
    table.addRow({"20 ad variants (5 backgrounds x 4 sizes)", row(anchorVariants),
                  row(ripenVariants),
                  rb::ratioText(ripenVariants.seconds, anchorVariants.seconds)});
    table.addRow({"20 ad variants + PNG encode", "–", row(ripenVariantsPng), "–"});
    table.addRow({"10 mockups on shipped templates (<= 640 px)", row(anchorShipped),
                  row(ripenShipped), rb::ratioText(ripenShipped.seconds, anchorShipped.seconds)});
    table.addRow({"10 mockups on a 2048x2048 template", row(anchorLarge), row(ripenLarge),
                  rb::ratioText(ripenLarge.seconds, anchorLarge.seconds)});
    std::cout << "Median time per batch, peak RSS (lower is better):\n\n"
              << table.toMarkdown() << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "bench_batch: " << e.what() << "\n";
        return 1;
    }
}
