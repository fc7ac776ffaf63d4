#include "DemoLibrary.h"

#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

namespace ripen::test {

namespace {

struct Palette {
    cv::Scalar skyTop, skyBottom, sun, far, near; // BGR
};

const std::array<Palette, 6> kPalettes{{
    {{120, 60, 30}, {150, 170, 240}, {200, 235, 255}, {110, 90, 120}, {60, 45, 60}},
    {{90, 40, 20}, {200, 150, 90}, {230, 245, 255}, {120, 110, 70}, {50, 70, 40}},
    {{70, 30, 60}, {120, 110, 230}, {170, 220, 255}, {90, 60, 110}, {40, 30, 50}},
    {{150, 110, 60}, {230, 210, 190}, {250, 250, 250}, {160, 140, 110}, {90, 90, 70}},
    {{40, 20, 10}, {110, 70, 60}, {190, 210, 240}, {70, 50, 40}, {25, 20, 15}},
    {{110, 140, 90}, {190, 225, 235}, {210, 250, 255}, {100, 150, 110}, {50, 90, 60}},
}};

cv::Scalar mix(const cv::Scalar& a, const cv::Scalar& b, double t) {
    return a * (1.0 - t) + b * t;
}

void fillHills(cv::Mat& image, int seed, double baseline, double amplitude, double frequency,
               const cv::Scalar& color) {
    std::vector<cv::Point> points;
    const int width = image.cols;
    const int height = image.rows;
    for (int x = 0; x <= width; x += std::max(1, width / 64)) {
        const double t = static_cast<double>(x) / width;
        const double y = baseline + amplitude * (0.6 * std::sin(t * frequency + seed) +
                                                 0.4 * std::sin(t * frequency * 2.7 + seed * 1.7));
        points.emplace_back(x, static_cast<int>(y * height));
    }
    points.emplace_back(width, height);
    points.emplace_back(0, height);
    cv::fillPoly(image, std::vector<std::vector<cv::Point>>{points}, color, cv::LINE_AA);
}

std::string encode(const cv::Mat& image, const char* extension) {
    std::vector<uchar> buffer;
    REQUIRE(cv::imencode(extension, image, buffer));
    return {buffer.begin(), buffer.end()};
}

} // namespace

cv::Mat makeScenicImage(int width, int height, int seed) {
    const Palette& p = kPalettes[static_cast<std::size_t>(seed) % kPalettes.size()];
    cv::Mat image(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y) {
        image.row(y).setTo(mix(p.skyTop, p.skyBottom, static_cast<double>(y) / height));
    }
    const int sunX = width * (2 + (seed * 5) % 7) / 10;
    const int sunY = height * (2 + seed % 3) / 10;
    const int sunR = std::max(2, std::min(width, height) / (7 + seed % 4));
    cv::circle(image, {sunX, sunY}, sunR * 2, mix(p.sun, p.skyBottom, 0.6), cv::FILLED,
               cv::LINE_AA);
    cv::GaussianBlur(image, image, cv::Size(0, 0), std::max(1.0, sunR * 0.8));
    cv::circle(image, {sunX, sunY}, sunR, p.sun, cv::FILLED, cv::LINE_AA);
    fillHills(image, seed, 0.58, 0.07, 5.0 + seed % 3, p.far);
    fillHills(image, seed * 3 + 1, 0.72, 0.06, 3.0 + seed % 4, mix(p.far, p.near, 0.5));
    fillHills(image, seed * 7 + 2, 0.86, 0.05, 2.0 + seed % 5, p.near);
    cv::GaussianBlur(image, image, cv::Size(0, 0), std::max(0.6, width / 600.0));
    return image;
}

std::vector<ripen::AssetId> addGeneratedAssets(ripen::Library& library, int count,
                                               bool withThumbnails, int imageSide) {
    static const std::array<const char*, 6> kPrompts{
        "misty mountain valley at dawn, volumetric light, 35mm film",
        "lavender hills under a pink evening sky, matte painting",
        "desert dunes with a low white sun, minimal poster",
        "nordic fjord in winter haze, soft pastel palette",
        "castle ruins on a hill at night, moonlight, cinematic",
        "green tea fields in morning fog, product backdrop",
    };
    static const std::array<const char*, 4> kProjects{"Autumn campaign", "Label series", "Concepts",
                                                      ""};
    static const std::array<const char*, 4> kClients{"Orchard Co.", "Brightside", "", ""};
    static const std::array<const char*, 3> kModels{"gemini-3-pro-image", "gpt-image-1",
                                                    "sdxl-base-1.0"};
    std::vector<ripen::AssetId> ids;
    for (int i = 0; i < count; ++i) {
        // Mixed aspect ratios: landscape, portrait, square.
        const int width = (i % 3 == 1) ? imageSide * 3 / 4 : imageSide;
        const int height = (i % 3 == 0) ? imageSide * 5 / 8 : imageSide;
        const cv::Mat image = makeScenicImage(width, height, i);
        auto stored = library.blobs().storeBytes(encode(image, ".png"), "png");
        REQUIRE(stored);
        if (withThumbnails) {
            const auto thumbFile = library.thumbnailFile(stored->sha256);
            std::filesystem::create_directories(thumbFile.parent_path());
            cv::Mat thumb;
            const double scale = std::min(1.0, 256.0 / std::max(width, height));
            cv::resize(image, thumb, cv::Size(), scale, scale, cv::INTER_AREA);
            std::ofstream(thumbFile, std::ios::binary) << encode(thumb, ".jpg");
        }
        ripen::Asset asset;
        asset.sha256 = stored->sha256;
        asset.blobPath = stored->relativePath;
        asset.format = "png";
        asset.byteSize = stored->byteSize;
        asset.width = width;
        asset.height = height;
        asset.sourcePath = "/home/ana/renders/render_" + std::to_string(1000 + i) + ".png";
        const auto slot = static_cast<std::size_t>(i);
        asset.project = kProjects[slot % kProjects.size()];
        asset.client = kClients[slot % kClients.size()];
        asset.rating = (i * 7) % 6;
        asset.flag = i % 5 == 0   ? ripen::Flag::Pick
                     : i % 7 == 3 ? ripen::Flag::Reject
                                  : ripen::Flag::None;
        asset.colorLabel = static_cast<ripen::ColorLabel>((i * 5 + 2) % 6);
        asset.generation.prompt = kPrompts[slot % kPrompts.size()];
        asset.generation.modelId = kModels[slot % kModels.size()];
        asset.generation.provider = "google";
        asset.generation.seed = 4242 + i;
        asset.generation.params = {{"aspectRatio", i % 3 == 0   ? "16:10"
                                                   : i % 3 == 1 ? "3:4"
                                                                : "1:1"},
                                   {"imageSize", "2K"}};
        asset.costMicros = 134'000;
        asset.tags = {"landscape", i % 2 == 0 ? "warm" : "cool"};
        asset.createdAtMs = 1'760'000'000'000 + i * 60'000;
        asset.importedAtMs = asset.createdAtMs;
        auto id = library.catalog().addAsset(asset);
        REQUIRE(id);
        ids.push_back(*id);
    }
    return ids;
}

void populateDemoLibrary(ripen::Library& library) {
    addGeneratedAssets(library, 24, true, 384);
}

} // namespace ripen::test
