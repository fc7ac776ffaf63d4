#pragma once

#include "AssetRecord.h"
#include "motion/MovePreview.h"
#include "providers/GenerationRequest.h"
#include "queue/JobWatch.h"
#include "video/ConsistencyCheck.h"
#include "video/StillMove.h"

#include <QTimer>
#include <QWidget>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSlider;

namespace ripen::ui {

class ClipConsistency;
class ConsistencyStrip;
class CoreBridge;
class FramePlayer;
class FullImageLoader;
struct AssetDetails;

// The Motion view: a keyframe (an image asset) animated into clips. A local camera move
// (the presets of core/video) previews live at a small size as it is chosen, with its crop
// drawn over the still, and renders to an H.264 MP4 kept as a video asset, child of the
// keyframe; or a cloud engine (Veo, Kling) animates it through the job queue, its cost
// shown before anything is sent. The keyframe's clips are listed and play inside Ripen,
// each checked for morphing and flicker as it plays: the consistency strip under the player
// shows the change between neighbouring frames with the spikes marked, and the worst
// moments are listed; clicking either seeks the player there.
// The still, previews and clips decode off the GUI thread; renders run on the CoreBridge's
// motion lane, jobs on its job lane.
//
// Thread affinity: GUI thread.
class MotionView final : public QWidget {
    Q_OBJECT
public:
    explicit MotionView(CoreBridge& bridge, QWidget* parent = nullptr);
    ~MotionView() override;

    // Shows the image asset `id` as the keyframe, with its clips.
    void openAsset(ripen::AssetId id);
    ripen::AssetId assetId() const { return m_asset; }
    bool hasKeyframe() const { return !m_still.isNull(); }

    // The camera move the controls describe (preset, duration, size, fps).
    ripen::StillMoveRequest moveRequest() const;
    // Renders it to MP4 as a video asset of the keyframe; cancelRender stops it.
    void renderMove();
    void cancelRender();
    // Queues the image-to-video job the cloud controls describe.
    void sendImageToVideo();
    // The job the cloud controls describe, or why it cannot be sent.
    Result<ripen::GenerationRequest> imageToVideoRequest() const;
    // Plays the listed clip at `row` in the player.
    void playClip(int row);
    // Cuts the listed clip at `row` into segments of the chosen length, or keeps its
    // poster frame as an image asset; both appear with the clip.
    void cutClip(int row);
    void extractPoster(int row);
    // Opens the last extracted frame as the keyframe (a good frame starts the next clip).
    void openFrameAsKeyframe();

    FramePlayer& player() { return *m_player; }
    QComboBox& moveBox() { return *m_move; }
    QDoubleSpinBox& durationBox() { return *m_duration; }
    QComboBox& sizeBox() { return *m_size; }
    QComboBox& fpsBox() { return *m_fps; }
    QComboBox& cloudEngineBox() { return *m_cloudEngine; }
    QPlainTextEdit& cloudPrompt() { return *m_cloudPrompt; }
    QListWidget& clips() { return *m_clips; }
    QDoubleSpinBox& cutEveryBox() { return *m_cutEvery; }
    ConsistencyStrip& consistencyStrip() { return *m_strip; }
    QListWidget& worstMoments() { return *m_worst; }
    // Shows the moment `seconds` into the playing clip (paused there).
    void seekTo(double seconds);
    QString statusText() const;
    QString cloudEstimateText() const;
    // Decodes, previews, renders or requests still on their way (tests, screenshots).
    bool isBusy() const;

signals:
    // Escape: back to the gallery.
    void closeRequested();
    void clipRendered(qint64 assetId);
    // Segments or a frame were made from a clip.
    void clipDerived(const ripen::ui::AssetRecords& assets);

private:
    QWidget* createPlayerArea();
    QWidget* createSidePanel();
    QWidget* createMoveControls(QWidget* parent);
    QWidget* createCloudControls(QWidget* parent);
    void showDetails(const AssetDetails& details);
    void stillLoaded(const QString& file);
    void schedulePreview();
    void renderPreview();
    void fillCloudEngines();
    void updateCloudOptions();
    void updateCloudEstimate();
    void checkJobs();
    void setStatus(const QString& text);
    void addClipItem(const AssetRecord& clip, const QString& text);
    void showDerived(const AssetRecords& assets);
    QWidget* createClipControls(QWidget* parent);
    QWidget* createConsistencyArea(QWidget* parent);
    void showConsistency(const QString& clipFile, const ripen::ConsistencyReport& report);
    void clearConsistency();

    CoreBridge& m_bridge;
    FullImageLoader* m_loader;
    MovePreview* m_preview;
    FramePlayer* m_player;
    QPushButton* m_play;
    QSlider* m_scrub;
    QLabel* m_title;
    QLabel* m_status;
    QProgressBar* m_progress;
    QComboBox* m_move;
    QDoubleSpinBox* m_duration;
    QComboBox* m_size;
    QComboBox* m_fps;
    QPushButton* m_render;
    QPushButton* m_cancel;
    QComboBox* m_cloudEngine;
    QPlainTextEdit* m_cloudPrompt;
    QComboBox* m_cloudDuration;
    QComboBox* m_cloudAspect;
    QLabel* m_cloudEstimate;
    QPushButton* m_send;
    QListWidget* m_clips;
    QDoubleSpinBox* m_cutEvery;
    QPushButton* m_openFrame;
    ClipConsistency* m_consistency;
    ConsistencyStrip* m_strip;
    QListWidget* m_worst;
    QLabel* m_consistencySummary;
    QString m_checkingFile; // the clip whose figures the strip shows or awaits
    ripen::AssetId m_lastFrame = 0;
    quint64 m_deriveRequest = 0;
    QTimer m_previewDebounce;

    ripen::AssetId m_asset = 0;
    AssetRecord m_record;
    QString m_stillFile;
    QImage m_still;
    quint64 m_detailsRequest = 0;
    quint64 m_renderRequest = 0;
    quint64 m_enqueueRequest = 0;
    JobWatch m_pendingJobs;
};

} // namespace ripen::ui
