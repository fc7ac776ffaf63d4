#pragma once

#include "AssetRecord.h"
#include "motion/MovePreview.h"
#include "providers/GenerationRequest.h"
#include "queue/JobWatch.h"
#include "video/CameraPath.h"
#include "video/ClipCutter.h"
#include "video/ConsistencyCheck.h"
#include "video/StillMove.h"

#include <QTimer>
#include <QWidget>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSlider;
class QStackedWidget;

namespace ripen::ui {

class ClipConsistency;
class ConsistencyStrip;
class CoreBridge;
class FramePlayer;
class FullImageLoader;
class PathEditor;
class PathPanel;
struct AssetDetails;

// The Motion view: a keyframe (an image asset) animated into clips. A local camera move
// (the presets of core/video) previews live at a small size as it is chosen, with its crop
// drawn over the still, and renders to an H.264 MP4 kept as a video asset, child of the
// keyframe; or a cloud engine (Veo, Kling) animates it through the job queue, its cost
// shown before anything is sent. The keyframe's clips are listed and play inside Ripen,
// each checked for morphing and flicker as it plays: the consistency strip under the player
// shows the change between neighbouring frames with the spikes marked, and the worst
// moments are listed; clicking either seeks the player there.
// "Keyframed path" swaps the player for a path editor over the still: crop rectangles at
// chosen times, moved with the mouse, with an easing each, the route between them drawn as
// rectangles; the path previews like a preset, saves and loads as the path file
// `ripen-cli video move path:FILE` reads, and renders through that same code. A clip cuts
// into segments every N seconds, at scene changes or at in/out points (marked at the
// player's position or typed), optionally reframed to another aspect about an anchor;
// every segment is a video asset, child of its clip.
// The still, previews and clips decode off the GUI thread; renders run on the CoreBridge's
// motion lane, jobs on its job lane, path files on their own worker.
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
    // Cuts the listed clip at `row` into segments as the cut controls say (every N s, at
    // scene changes, at in/out points; reframed or not), or keeps its poster frame as an
    // image asset; both appear with the clip.
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
    QComboBox& cutModeBox() { return *m_cutMode; }
    QLineEdit& cutTimesField() { return *m_cutTimes; }
    QComboBox& reframeBox() { return *m_reframe; }
    QComboBox& anchorBox() { return *m_anchor; }
    // Adds the player's position to the in/out points (and cuts at them from now on).
    void markCutAtPlayhead();

    // The keyframed path: on when the move box says "Keyframed path".
    bool pathMode() const;
    PathEditor& pathEditor() { return *m_pathEditor; }
    PathPanel& pathPanel() { return *m_pathPanel; }
    // True while the path editor (not the player) is on screen.
    bool isEditingPath() const;
    // Plays the path's preview (true) or goes back to editing it.
    void showPathPreview(bool preview);
    // Writes the path as a path file / replaces it with one (checked against the still and
    // the video's size and duration); both off the GUI thread, answered in the status.
    void savePath(const QString& file);
    void loadPath(const QString& file);

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
    QWidget* createPathControls(QWidget* parent);
    void moveChanged();
    void outputSizeChanged();
    ripen::PathLimits pathLimits() const;
    void updateCutControls();

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
    QComboBox* m_cutMode;
    QLineEdit* m_cutTimes;
    QWidget* m_everyRow;
    QWidget* m_timesRow;
    QComboBox* m_reframe;
    QComboBox* m_anchor;
    QStackedWidget* m_stage;
    PathEditor* m_pathEditor;
    PathPanel* m_pathPanel;
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
