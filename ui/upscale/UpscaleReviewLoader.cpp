#include "upscale/UpscaleReviewLoader.h"

#include "catalog/Library.h"
#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageLimits.h"
#include "imaging/review/ArtifactOverlay.h"

#include <QtConcurrent/QtConcurrentRun>
#include <opencv2/imgproc.hpp>

namespace ripen::ui {
namespace {

// Candidates beyond this many are not listed: a review compares a handful of engines.
constexpr std::size_t kMaxCandidates = 12;

std::shared_ptr<const UpscaleReviewSnapshot> failed(QString message) {
    auto snapshot = std::make_shared<UpscaleReviewSnapshot>();
    snapshot->error = std::move(message);
    return snapshot;
}

ripen::Result<cv::Mat> decodeBlob(ripen::Library& library, const ripen::Asset& asset) {
    auto bytes = ripen::readFileBounded(library.blobFile(asset), ripen::kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    return ripen::decodeImage(*bytes);
}

// A deep copy in the layout QImage wants (BGRA in memory is Format_ARGB32 little-endian).
QImage toQImage(const cv::Mat& image) {
    cv::Mat bgra;
    if (image.channels() == 4) {
        bgra = image;
    } else if (image.channels() == 3) {
        cv::cvtColor(image, bgra, cv::COLOR_BGR2BGRA);
    } else {
        cv::cvtColor(image, bgra, cv::COLOR_GRAY2BGRA);
    }
    const QImage view(bgra.data, bgra.cols, bgra.rows, static_cast<qsizetype>(bgra.step),
                      image.channels() == 4 ? QImage::Format_ARGB32 : QImage::Format_RGB32);
    return view.copy();
}

std::vector<ripen::Asset> candidatesOf(ripen::Catalog& catalog, const ripen::Asset& original,
                                       const ripen::Asset& upscale) {
    std::vector<ripen::Asset> candidates;
    auto children = catalog.children(original.id);
    if (children) {
        for (const ripen::AssetId id : *children) {
            auto child = catalog.asset(id);
            if (child && child->kind == ripen::AssetKind::Image &&
                (child->stage == ripen::Stage::Upscaled || child->id == upscale.id) &&
                candidates.size() < kMaxCandidates) {
                candidates.push_back(std::move(*child));
            }
        }
    }
    if (std::ranges::none_of(candidates, [&](const auto& c) { return c.id == upscale.id; })) {
        candidates.insert(candidates.begin(), upscale);
    }
    return candidates;
}

} // namespace

UpscaleReviewLoader::UpscaleReviewLoader(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &UpscaleReviewLoader::onFinished);
}

UpscaleReviewLoader::~UpscaleReviewLoader() {
    m_watcher.waitForFinished();
}

void UpscaleReviewLoader::load(const std::filesystem::path& libraryRoot, ripen::AssetId upscale) {
    m_root = libraryRoot;
    m_asset = upscale;
    if (m_watcher.isRunning()) {
        m_pending = true; // started again when the running load lands
        return;
    }
    start();
}

void UpscaleReviewLoader::start() {
    m_pending = false;
    m_watcher.setFuture(QtConcurrent::run(&UpscaleReviewLoader::loadNow, m_root, m_asset));
}

void UpscaleReviewLoader::onFinished() {
    if (m_pending) {
        start();
        return;
    }
    emit loaded(m_watcher.result());
}

std::shared_ptr<const UpscaleReviewSnapshot>
UpscaleReviewLoader::loadNow(const std::filesystem::path& libraryRoot, ripen::AssetId upscale) {
    auto library = ripen::Library::open(libraryRoot);
    if (!library) {
        return failed(QString::fromStdString(library.error().message));
    }
    ripen::Catalog& catalog = (*library)->catalog();
    auto asset = catalog.asset(upscale);
    if (!asset) {
        return failed(QString::fromStdString(asset.error().message));
    }
    if (asset->parents.empty()) {
        return failed(QObject::tr("Asset %1 has no original: the upscale review compares an "
                                  "upscale with the image it was made from.")
                          .arg(upscale));
    }
    auto original = catalog.asset(asset->parents.front());
    if (!original) {
        return failed(QString::fromStdString(original.error().message));
    }
    auto upscaledPixels = decodeBlob(**library, *asset);
    auto originalPixels = decodeBlob(**library, *original);
    if (!upscaledPixels || !originalPixels) {
        const auto& error = !upscaledPixels ? upscaledPixels.error() : originalPixels.error();
        return failed(QString::fromStdString(error.message));
    }
    auto report = ripen::ArtifactAnalysis::analyse(*originalPixels, *upscaledPixels);
    if (!report) {
        return failed(QString::fromStdString(report.error().message));
    }
    auto snapshot = std::make_shared<UpscaleReviewSnapshot>();
    cv::Mat resampled;
    cv::resize(*originalPixels, resampled, upscaledPixels->size(), 0, 0, cv::INTER_LANCZOS4);
    snapshot->upscale = *asset;
    snapshot->original = *original;
    snapshot->originalBlob = (*library)->blobFile(*original);
    snapshot->upscaled = toQImage(*upscaledPixels);
    snapshot->originalResampled = toQImage(resampled);
    snapshot->noiseOverlay = toQImage(ripen::artifactOverlay(*report, ripen::ArtifactMap::Noise));
    snapshot->overshootOverlay =
        toQImage(ripen::artifactOverlay(*report, ripen::ArtifactMap::Overshoot));
    snapshot->report = std::move(*report);
    snapshot->candidates = candidatesOf(catalog, *original, *asset);
    snapshot->neuralModels =
        ripen::ModelRegistry(ripen::ModelRegistry::defaultFolders(libraryRoot)).list();
    return snapshot;
}

} // namespace ripen::ui
