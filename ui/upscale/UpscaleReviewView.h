#pragma once

#include "catalog/Asset.h"
#include "upscale/UpscaleReviewLoader.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace ripen::ui {

class CoreBridge;
class UpscaleCompareCanvas;

// The upscale review: an upscaled asset against its original at any zoom, side by side or
// as a wipe, with the micro-noise or over-sharpening map over it, the worst tiles one click
// from 100%, the verdict and its figures, print readiness at a chosen print size, the
// other upscales of the same original, and accept / reject / re-run with another engine
// (an upscale job on the bridge's queue). Loading and analysis run on a worker
// (UpscaleReviewLoader); this widget only arranges what lands.
//
// Thread affinity: GUI thread.
class UpscaleReviewView final : public QWidget {
    Q_OBJECT
public:
    explicit UpscaleReviewView(CoreBridge& bridge, QWidget* parent = nullptr);

    // Loads `upscale` (an asset with its original as first parent).
    void showAsset(ripen::AssetId upscale);
    ripen::AssetId asset() const;
    bool isLoading() const { return m_loader->isBusy(); }

    UpscaleCompareCanvas& canvas() { return *m_canvas; }
    QListWidget& worstTiles() { return *m_tiles; }
    QListWidget& candidates() { return *m_candidates; }
    QComboBox& overlayChoice() { return *m_overlay; }
    QComboBox& modeChoice() { return *m_mode; }
    QComboBox& engineChoice() { return *m_engine; }
    QLineEdit& printSize() { return *m_print; }
    QLabel& verdict() { return *m_verdict; }
    QLabel& printReadiness() { return *m_readiness; }
    QLabel& status() { return *m_status; }

    // Queues an upscale of the original with the engine chosen, to the same target.
    void rerun();
    void accept();
    void reject();

signals:
    // An upscale was queued; the id is the job lane's request.
    void rerunQueued(quint64 request);

private:
    void onLoaded(std::shared_ptr<const UpscaleReviewSnapshot> snapshot);
    void showFigures();
    void showPrintReadiness();
    void showOverlay();
    void flag(ripen::Flag flag);
    QWidget* buildSidePanel();
    QWidget* buildToolbar();

    CoreBridge& m_bridge;
    UpscaleReviewLoader* m_loader;
    std::shared_ptr<const UpscaleReviewSnapshot> m_snapshot;
    ripen::AssetId m_asset = 0;
    UpscaleCompareCanvas* m_canvas;
    QComboBox* m_mode = nullptr;
    QComboBox* m_overlay = nullptr;
    QComboBox* m_engine = nullptr;
    bool m_engineDefaulted = false; // the default engine was chosen once the models were known
    QLineEdit* m_print = nullptr;
    QLabel* m_verdict = nullptr;
    QLabel* m_figures = nullptr;
    QLabel* m_readiness = nullptr;
    QLabel* m_status = nullptr;
    QListWidget* m_tiles = nullptr;
    QListWidget* m_candidates = nullptr;
};

} // namespace ripen::ui
