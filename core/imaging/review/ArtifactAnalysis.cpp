#include "imaging/review/ArtifactAnalysis.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

constexpr double kSmoothStdLevels = 3.0;  // local std of the original below this: smooth
constexpr double kEdgeRangeLevels = 24.0; // local range of the reference above this: edge
constexpr double kMinSmoothShare = 0.2;   // tiles with less smooth area get no noise figure
constexpr double kMinEdgeShare = 0.01;
constexpr double kHighPassSigma = 1.0;
// Figures are local means over this neighbourhood, and a tile reports its worst one: a
// patch of invented texture a quarter of a tile wide is as visible as a whole tile of it.
constexpr int kNeighbourhood = 15;

cv::Mat luma(const cv::Mat& image) {
    cv::Mat grey;
    const int code = image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY;
    if (image.channels() == 1) {
        grey = image;
    } else {
        cv::cvtColor(image, grey, code);
    }
    return grey;
}

// Smooth parts of the original, judged at the original's own scale (where its detail is)
// and enlarged to the upscale's size.
cv::Mat smoothMask(const cv::Mat& originalLuma, cv::Size upscaled) {
    cv::Mat f;
    originalLuma.convertTo(f, CV_32F);
    cv::Mat mean;
    cv::Mat meanSq;
    cv::boxFilter(f, mean, CV_32F, cv::Size(5, 5));
    cv::boxFilter(f.mul(f), meanSq, CV_32F, cv::Size(5, 5));
    cv::Mat variance = meanSq - mean.mul(mean);
    cv::Mat smooth = variance < kSmoothStdLevels * kSmoothStdLevels;
    cv::Mat enlarged;
    cv::resize(smooth, enlarged, upscaled, 0, 0, cv::INTER_NEAREST);
    return enlarged;
}

cv::Mat highPass(const cv::Mat& f) {
    cv::Mat blurred;
    cv::GaussianBlur(f, blurred, cv::Size(0, 0), kHighPassSigma);
    return f - blurred;
}

// Per-pixel figures of one band of rows (with a margin so filters see their neighbours).
struct BandMaps {
    cv::Mat extraEnergy; // hf(upscale)^2 - hf(reference)^2
    cv::Mat overshoot;   // how far the upscale leaves the reference's local range
    cv::Mat edge;        // 255 where the reference has an edge nearby
};

BandMaps bandMaps(const cv::Mat& upLuma, const cv::Mat& refLuma, int window) {
    cv::Mat up;
    cv::Mat ref;
    upLuma.convertTo(up, CV_32F);
    refLuma.convertTo(ref, CV_32F);
    const cv::Mat hfUp = highPass(up);
    const cv::Mat hfRef = highPass(ref);
    BandMaps maps;
    maps.extraEnergy = hfUp.mul(hfUp) - hfRef.mul(hfRef);
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(window, window));
    cv::Mat localMax;
    cv::Mat localMin;
    cv::dilate(ref, localMax, kernel);
    cv::erode(ref, localMin, kernel);
    const cv::Mat above = cv::max(up - localMax, 0.0);
    const cv::Mat below = cv::max(localMin - up, 0.0);
    maps.overshoot = above + below;
    maps.edge = (localMax - localMin) > kEdgeRangeLevels;
    const cv::Size neighbourhood(kNeighbourhood, kNeighbourhood);
    cv::boxFilter(maps.extraEnergy, maps.extraEnergy, CV_32F, neighbourhood);
    cv::boxFilter(maps.overshoot, maps.overshoot, CV_32F, neighbourhood);
    return maps;
}

ArtifactAnalysis::Tile scoreTile(const BandMaps& maps, const cv::Mat& smooth, cv::Rect inBand,
                                 cv::Rect rect) {
    ArtifactAnalysis::Tile tile;
    tile.rect = rect;
    const cv::Mat smoothHere = smooth(rect);
    const double area = static_cast<double>(rect.area());
    tile.smoothShare = cv::countNonZero(smoothHere) / area;
    if (tile.smoothShare >= kMinSmoothShare) {
        double extra = 0;
        cv::minMaxLoc(maps.extraEnergy(inBand), nullptr, &extra, nullptr, nullptr, smoothHere);
        tile.noise = std::sqrt(std::max(0.0, extra));
    }
    const cv::Mat edgeHere = maps.edge(inBand);
    if (cv::countNonZero(edgeHere) / area >= kMinEdgeShare) {
        cv::minMaxLoc(maps.overshoot(inBand), nullptr, &tile.overshoot, nullptr, nullptr, edgeHere);
    }
    tile.score = std::max(tile.noise / ArtifactAnalysis::kNoiseCheck,
                          tile.overshoot / ArtifactAnalysis::kOvershootCheck);
    return tile;
}

// The band's per-pixel figures where they apply, averaged into blocks and written into
// the report's block maps at the band's place.
void addBlocks(const BandMaps& maps, const cv::Mat& smooth, cv::Range rows, cv::Range inBand,
               int block, ArtifactAnalysis::Report& report) {
    const cv::Mat extra = maps.extraEnergy.rowRange(inBand);
    cv::Mat noise;
    cv::sqrt(cv::max(extra, 0.0), noise);
    cv::Mat noiseHere = cv::Mat::zeros(noise.size(), CV_32F);
    noise.copyTo(noiseHere, smooth.rowRange(rows));
    cv::Mat overshootHere = cv::Mat::zeros(noise.size(), CV_32F);
    maps.overshoot.rowRange(inBand).copyTo(overshootHere, maps.edge.rowRange(inBand));
    const int firstRow = rows.start / block;
    const cv::Size blocks((noise.cols + block - 1) / block, (noise.rows + block - 1) / block);
    const cv::Rect place(0, firstRow, blocks.width, blocks.height);
    cv::resize(noiseHere, report.noiseBlocks(place), blocks, 0, 0, cv::INTER_AREA);
    cv::resize(overshootHere, report.overshootBlocks(place), blocks, 0, 0, cv::INTER_AREA);
}

std::string sizeText(const cv::Mat& image) {
    return std::to_string(image.cols) + "x" + std::to_string(image.rows);
}

Status checkSizes(const cv::Mat& original, const cv::Mat& upscaled) {
    if (original.empty() || upscaled.empty()) {
        return fail(ErrorCode::InvalidArgument, "an image to compare is empty");
    }
    const double aspectOriginal = static_cast<double>(original.cols) / original.rows;
    const double aspectUpscaled = static_cast<double>(upscaled.cols) / upscaled.rows;
    if (upscaled.cols < original.cols || upscaled.rows < original.rows ||
        std::abs(aspectUpscaled / aspectOriginal - 1.0) > 0.01) {
        return fail(ErrorCode::InvalidArgument, "the upscale (" + sizeText(upscaled) +
                                                    ") is not an enlargement of the original (" +
                                                    sizeText(original) +
                                                    ") with the same aspect ratio");
    }
    return {};
}

ArtifactAnalysis::Verdict verdictOf(double noise, double overshoot) {
    if (noise >= ArtifactAnalysis::kNoiseLikely ||
        overshoot >= ArtifactAnalysis::kOvershootLikely) {
        return ArtifactAnalysis::Verdict::LikelyArtifacts;
    }
    if (noise >= ArtifactAnalysis::kNoiseCheck || overshoot >= ArtifactAnalysis::kOvershootCheck) {
        return ArtifactAnalysis::Verdict::Check;
    }
    return ArtifactAnalysis::Verdict::Clean;
}

void summarise(ArtifactAnalysis::Report& report, std::vector<ArtifactAnalysis::Tile> tiles,
               int worstCount) {
    double noiseSum = 0;
    double overshootSum = 0;
    for (const auto& tile : tiles) {
        report.worstNoise = std::max(report.worstNoise, tile.noise);
        report.worstOvershoot = std::max(report.worstOvershoot, tile.overshoot);
        noiseSum += tile.noise;
        overshootSum += tile.overshoot;
    }
    report.meanNoise = tiles.empty() ? 0 : noiseSum / static_cast<double>(tiles.size());
    report.meanOvershoot = tiles.empty() ? 0 : overshootSum / static_cast<double>(tiles.size());
    report.verdict = verdictOf(report.worstNoise, report.worstOvershoot);
    std::sort(tiles.begin(), tiles.end(),
              [](const auto& a, const auto& b) { return a.score > b.score; });
    tiles.resize(std::min(tiles.size(), static_cast<std::size_t>(worstCount)));
    report.worstTiles = std::move(tiles);
}

} // namespace

std::string_view toString(ArtifactAnalysis::Verdict verdict) {
    switch (verdict) {
    case ArtifactAnalysis::Verdict::Clean:
        return "clean";
    case ArtifactAnalysis::Verdict::Check:
        return "check";
    case ArtifactAnalysis::Verdict::LikelyArtifacts:
        return "likely artifacts";
    }
    return "clean";
}

Result<ArtifactAnalysis::Report> ArtifactAnalysis::analyse(const cv::Mat& original,
                                                           const cv::Mat& upscaled,
                                                           const Settings& settings) {
    if (auto sizes = checkSizes(original, upscaled); !sizes) {
        return std::unexpected(sizes.error());
    }
    const cv::Mat originalLuma = luma(original);
    const cv::Mat upLuma = luma(upscaled);
    cv::Mat refLuma;
    cv::resize(originalLuma, refLuma, upLuma.size(), 0, 0, cv::INTER_LANCZOS4);
    const cv::Mat smooth = smoothMask(originalLuma, upLuma.size());
    const double scale = static_cast<double>(upscaled.cols) / original.cols;
    const int window = 2 * static_cast<int>(std::ceil(scale)) + 1;
    const int margin = window + 4;
    const int block = std::clamp(settings.mapBlock, 1, std::max(16, settings.tileSize));
    const int tile = std::max(16, settings.tileSize) / block * block;

    Report report;
    report.original = original.size();
    report.upscaled = upscaled.size();
    const int tilesX = (upLuma.cols + tile - 1) / tile;
    const int tilesY = (upLuma.rows + tile - 1) / tile;
    report.noiseMap = cv::Mat::zeros(tilesY, tilesX, CV_32F);
    report.overshootMap = cv::Mat::zeros(tilesY, tilesX, CV_32F);
    report.mapBlock = block;
    const cv::Size blocks((upLuma.cols + block - 1) / block, (upLuma.rows + block - 1) / block);
    report.noiseBlocks = cv::Mat::zeros(blocks, CV_32F);
    report.overshootBlocks = cv::Mat::zeros(blocks, CV_32F);
    std::vector<Tile> tiles;
    for (int ty = 0; ty < tilesY; ++ty) {
        const int y0 = ty * tile;
        const int y1 = std::min(upLuma.rows, y0 + tile);
        const cv::Range rows(std::max(0, y0 - margin), std::min(upLuma.rows, y1 + margin));
        const BandMaps maps = bandMaps(upLuma.rowRange(rows), refLuma.rowRange(rows), window);
        for (int tx = 0; tx < tilesX; ++tx) {
            const cv::Rect rect(tx * tile, y0, std::min(tile, upLuma.cols - tx * tile), y1 - y0);
            const cv::Rect inBand = rect - cv::Point(0, rows.start);
            tiles.push_back(scoreTile(maps, smooth, inBand, rect));
            report.noiseMap.at<float>(ty, tx) = static_cast<float>(tiles.back().noise);
            report.overshootMap.at<float>(ty, tx) = static_cast<float>(tiles.back().overshoot);
        }
        addBlocks(maps, smooth, cv::Range(y0, y1), cv::Range(y0 - rows.start, y1 - rows.start),
                  block, report);
    }
    summarise(report, std::move(tiles), settings.worstTileCount);
    return report;
}

} // namespace ripen
