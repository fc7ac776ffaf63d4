#pragma once

#include "catalog/Asset.h"
#include "imaging/review/ArtifactAnalysis.h"
#include "imaging/upscale/ModelRegistry.h"

#include <QFutureWatcher>
#include <QImage>
#include <QObject>
#include <QString>
#include <filesystem>
#include <memory>
#include <vector>

namespace ripen::ui {

// Everything the upscale review shows about one upscaled asset: the upscale, its original
// (the asset's first parent) resampled with Lanczos to the upscale's size, the artifact
// analysis and its two overlays, and the other upscales of the same original to compare.
struct UpscaleReviewSnapshot {
    ripen::Asset upscale;
    ripen::Asset original;
    std::filesystem::path originalBlob; // for a re-run with another engine
    QImage upscaled;
    QImage originalResampled;
    QImage noiseOverlay;     // ARGB, one pixel per analysis block
    QImage overshootOverlay; // ARGB, one pixel per analysis block
    ripen::ArtifactAnalysis::Report report;
    std::vector<ripen::Asset> candidates; // upscales of the same original, this one included
    std::vector<ripen::UpscaleModelInfo> neuralModels; // the local models a re-run may use
    QString error;                                     // set when nothing else is
};

// Loads UpscaleReviewSnapshots off the GUI thread: each load opens its own Library on a
// worker of Qt's global pool (a catalog connection has thread affinity), decodes both
// images within Ripen's limits, resamples and analyses there; the GUI thread receives
// finished QImages only. Like the credits dashboard's loader, it lives beside its view so
// the view plugs in without changing the bridge. A newer load supersedes an older one.
//
// Thread affinity: GUI thread.
class UpscaleReviewLoader final : public QObject {
    Q_OBJECT
public:
    explicit UpscaleReviewLoader(QObject* parent = nullptr);
    ~UpscaleReviewLoader() override;

    void load(const std::filesystem::path& libraryRoot, ripen::AssetId upscale);
    bool isBusy() const { return m_watcher.isRunning() || m_pending; }

    // The work itself, on the calling thread (the worker; tests call it directly).
    static std::shared_ptr<const UpscaleReviewSnapshot>
    loadNow(const std::filesystem::path& libraryRoot, ripen::AssetId upscale);

signals:
    void loaded(std::shared_ptr<const ripen::ui::UpscaleReviewSnapshot> snapshot);

private:
    void start();
    void onFinished();

    QFutureWatcher<std::shared_ptr<const UpscaleReviewSnapshot>> m_watcher;
    std::filesystem::path m_root;
    ripen::AssetId m_asset = 0;
    bool m_pending = false;
};

} // namespace ripen::ui
