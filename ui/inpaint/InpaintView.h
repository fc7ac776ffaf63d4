#pragma once

#include "AssetRecord.h"
#include "inpaint/InpaintEngines.h"
#include "queue/JobWatch.h"

#include <QWidget>
#include <vector>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QToolBar;

namespace ripen::ui {

class CoreBridge;
class FullImageLoader;
class MaskCanvas;
struct AssetDetails;

// The inpaint editor, a view of the main window: an image asset on the mask canvas with
// its tools, the masks kept for it, the engine, prompt and feather of a run, and the
// results as candidates to compare against the image (A/B toggle or wipe) and accept as
// the new master. Everything slow goes through the CoreBridge (the asset and its masks and
// results, saving the mask, accepting) and its job lane (the inpaint itself, queued like
// any job, so pixels outside the mask are the original's whatever the engine returns);
// images decode on the loader's workers.
//
// Thread affinity: GUI thread.
class InpaintView final : public QWidget {
    Q_OBJECT
public:
    explicit InpaintView(CoreBridge& bridge, QWidget* parent = nullptr);
    ~InpaintView() override;

    // Shows the image asset `id` with an empty mask, offering its saved masks and earlier
    // results.
    void openAsset(ripen::AssetId id);
    ripen::AssetId assetId() const { return m_asset; }
    bool hasImage() const;

    // Keeps the painted mask as a mask asset of the image.
    void saveMask();
    // Puts the saved mask at `index` of the mask list on the canvas (one undo step).
    void useSavedMask(int index);
    // Saves the mask when it changed, then queues the inpaint with the chosen engine.
    void runInpaint();
    // Shows the selected result over the image (1) or the image (0), or both split at a
    // wipe position between.
    void setWipe(double fraction);
    // Makes the selected result the master.
    void acceptSelected();

    MaskCanvas& canvas() { return *m_canvas; }
    QComboBox& engineBox() { return *m_engine; }
    QComboBox& savedMasks() { return *m_masks; }
    QPlainTextEdit& promptField() { return *m_prompt; }
    QListWidget& candidates() { return *m_candidates; }
    QSpinBox& featherBox() { return *m_feather; }
    QSlider& brushOpacity() { return *m_brushOpacity; }
    QComboBox& overlayColourBox() { return *m_overlayColour; }
    QCheckBox& matchColourBox() { return *m_matchColour; }
    QString statusText() const;
    QString estimateText() const;
    // Requests, decodes or queued inpaints still on their way (for tests and screenshots).
    bool isBusy() const;

signals:
    // Escape: back to the gallery.
    void closeRequested();
    // A result became the master.
    void masterAccepted(qint64 assetId);

private:
    QToolBar* createToolBar();
    QWidget* createSidePanel();
    void showDetails(const AssetDetails& details);
    void showImageIfLoaded();
    void imageLoaded(const QString& file);
    void fillEngines();
    void updateEstimate();
    void updateCandidateActions();
    void showSelectedCandidate();
    void checkJobs();
    void enqueue();
    void setStatus(const QString& text);
    std::optional<InpaintChoice> currentChoice() const;

    CoreBridge& m_bridge;
    FullImageLoader* m_loader;
    MaskCanvas* m_canvas;
    QLabel* m_title;
    QLabel* m_status;
    QSlider* m_size;
    QSlider* m_hardness;
    QSlider* m_opacity;
    QSlider* m_brushOpacity;
    QComboBox* m_overlayColour;
    QCheckBox* m_matchColour;
    QComboBox* m_masks;
    QPushButton* m_useMask;
    QPushButton* m_saveMask;
    QPlainTextEdit* m_prompt;
    QComboBox* m_engine;
    QSpinBox* m_feather;
    QCheckBox* m_onlyMasked;
    QSpinBox* m_padding;
    QLabel* m_estimate;
    QPushButton* m_run;
    QListWidget* m_candidates;
    QSlider* m_wipe;
    QAction* m_showResult;
    QPushButton* m_accept;

    std::vector<InpaintEngine> m_engines;
    ripen::AssetId m_asset = 0;
    AssetRecord m_record;
    QString m_imageFile; // the blob being shown, once known
    bool m_imageShown = false;
    QString m_maskFile;        // the saved mask the canvas holds, empty when unsaved
    QString m_pendingMaskFile; // a saved mask being decoded to be used
    bool m_runAfterSave = false;
    quint64 m_detailsRequest = 0;
    quint64 m_saveRequest = 0;
    quint64 m_acceptRequest = 0;
    quint64 m_enqueueRequest = 0;
    JobWatch m_pendingJobs;
};

} // namespace ripen::ui
