#include "motion/MotionView.h"

#include "AssetDetails.h"
#include "CoreBridge.h"
#include "MoneyText.h"
#include "PathText.h"
#include "loupe/FullImageLoader.h"
#include "motion/ClipConsistency.h"
#include "motion/ConsistencyStrip.h"
#include "motion/FramePlayer.h"
#include "motion/PathEditor.h"
#include "motion/PathPanel.h"
#include "queue/JobLane.h"
#include "theme/Theme.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSlider>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <optional>

namespace ripen::ui {
namespace {

constexpr int kClipFileRole = Qt::UserRole + 1;
constexpr int kClipFpsRole = Qt::UserRole + 2;
constexpr int kClipSecondsRole = Qt::UserRole + 3;
constexpr int kClipIdRole = Qt::UserRole + 4;
constexpr int kPreviewDebounceMs = 150;
constexpr int kMomentSecondsRole = Qt::UserRole + 5;
// The move box's data for "Keyframed path" (the presets carry their CameraMove).
constexpr int kPathMove = -1;

struct MoveChoice {
    ripen::CameraMove move;
    const char* label;
};

const MoveChoice kMoves[] = {
    {ripen::CameraMove::ZoomIn, QT_TRANSLATE_NOOP("MotionView", "Zoom in")},
    {ripen::CameraMove::ZoomOut, QT_TRANSLATE_NOOP("MotionView", "Zoom out")},
    {ripen::CameraMove::Dolly, QT_TRANSLATE_NOOP("MotionView", "Dolly (zoom with drift)")},
    {ripen::CameraMove::PanLeft, QT_TRANSLATE_NOOP("MotionView", "Pan left")},
    {ripen::CameraMove::PanRight, QT_TRANSLATE_NOOP("MotionView", "Pan right")},
    {ripen::CameraMove::PanUp, QT_TRANSLATE_NOOP("MotionView", "Pan up")},
    {ripen::CameraMove::PanDown, QT_TRANSLATE_NOOP("MotionView", "Pan down")},
};

struct SizeChoice {
    QSize size;
    const char* label;
};

const SizeChoice kSizes[] = {
    {{1920, 1080}, "1920 × 1080 (16:9)"}, {{1280, 720}, "1280 × 720 (16:9)"},
    {{3840, 2160}, "3840 × 2160 (4K)"},   {{1080, 1920}, "1080 × 1920 (9:16)"},
    {{1080, 1080}, "1080 × 1080 (1:1)"},
};

QString seconds(double value) {
    return QStringLiteral("%1 s").arg(value, 0, 'f', 1);
}

struct ReframeChoice {
    double aspect; // 0: keep the clip's
    const char* label;
};

const ReframeChoice kReframes[] = {
    {0, QT_TRANSLATE_NOOP("MotionView", "Keep")},
    {16.0 / 9, "16:9"},
    {9.0 / 16, "9:16"},
    {1.0, "1:1"},
    {4.0 / 5, "4:5"},
};

struct AnchorChoice {
    ripen::CropAnchor anchor;
    const char* label;
};

const AnchorChoice kAnchors[] = {
    {ripen::CropAnchor::Center, QT_TRANSLATE_NOOP("MotionView", "Centre")},
    {ripen::CropAnchor::Left, QT_TRANSLATE_NOOP("MotionView", "Left")},
    {ripen::CropAnchor::Right, QT_TRANSLATE_NOOP("MotionView", "Right")},
    {ripen::CropAnchor::Top, QT_TRANSLATE_NOOP("MotionView", "Top")},
    {ripen::CropAnchor::Bottom, QT_TRANSLATE_NOOP("MotionView", "Bottom")},
};

// "0.4, 2, 3.25" (commas or spaces) into seconds; nullopt names nothing, the caller says.
std::optional<std::vector<double>> parseTimes(const QString& text) {
    std::vector<double> times;
    for (const QString& item :
         text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double value = item.toDouble(&ok);
        if (!ok) {
            return std::nullopt;
        }
        times.push_back(value);
    }
    return times;
}

} // namespace

MotionView::MotionView(CoreBridge& bridge, QWidget* parent)
    : QWidget(parent), m_bridge(bridge), m_loader(new FullImageLoader(this)),
      m_preview(new MovePreview(this)), m_player(new FramePlayer(this)), m_title(new QLabel(this)),
      m_status(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_consistency(new ClipConsistency(this)) {
    setObjectName(QStringLiteral("motionView"));
    m_player->setObjectName(QStringLiteral("motionPlayer"));
    m_pathEditor = new PathEditor(this);
    m_status->setWordWrap(true);
    m_progress->setVisible(false);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setText(tr("No keyframe: open an image from the gallery"));

    auto* side = new QScrollArea(this);
    side->setWidget(createSidePanel());
    side->setWidgetResizable(true);
    side->setFrameShape(QFrame::NoFrame);
    side->setFixedWidth(38 * Theme::kGrid);
    side->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(Theme::kGrid, Theme::kGrid, Theme::kGrid, Theme::kGrid);
    layout->addWidget(createPlayerArea(), 1);
    layout->addWidget(side);

    m_previewDebounce.setSingleShot(true);
    m_previewDebounce.setInterval(kPreviewDebounceMs);
    connect(&m_previewDebounce, &QTimer::timeout, this, &MotionView::renderPreview);
    connect(m_preview, &MovePreview::framesReady, this, [this](const MovePreview::Frames& frames) {
        const bool playing = m_player->isPlaying();
        m_player->setFrames(frames.images, frames.fps, frames.crops);
        m_scrub->setRange(0, std::max(0, m_player->frameCount() - 1));
        m_player->setPlaying(playing || !frames.crops.isEmpty());
    });
    connect(m_preview, &MovePreview::failed, this, &MotionView::setStatus);
    connect(m_loader, &FullImageLoader::imageReady, this, &MotionView::stillLoaded);
    connect(m_loader, &FullImageLoader::imageFailed, this,
            [this](const QString& file, const QString& message) {
                if (file == m_stillFile) {
                    setStatus(message);
                }
            });
    connect(&m_bridge, &CoreBridge::assetDetailsReady, this,
            [this](quint64 request, const AssetDetails& details) {
                if (request == m_detailsRequest) {
                    showDetails(details);
                }
            });
    connect(&m_bridge, &CoreBridge::requestFailed, this,
            [this](quint64 request, const ripen::Error& error) {
                if (request == m_detailsRequest || request == m_renderRequest ||
                    request == m_deriveRequest) {
                    m_progress->setVisible(false);
                    m_cancel->setEnabled(false);
                    m_render->setEnabled(true);
                    setStatus(QString::fromStdString(error.message));
                }
            });
    connect(&m_bridge, &CoreBridge::moveProgress, this, [this](qint64 done, qint64 total) {
        m_progress->setRange(0, static_cast<int>(total));
        m_progress->setValue(static_cast<int>(done));
    });
    connect(&m_bridge, &CoreBridge::moveRendered, this,
            [this](quint64 request, const AssetRecord& clip) {
                if (request != m_renderRequest) {
                    return;
                }
                m_progress->setVisible(false);
                m_cancel->setEnabled(false);
                m_render->setEnabled(true);
                setStatus(tr("Clip %1 rendered and kept with the keyframe").arg(clip.asset.id));
                m_detailsRequest = m_bridge.loadAssetDetails(m_asset); // lists it
                emit clipRendered(clip.asset.id);
            });

    JobLane& lane = m_bridge.jobs();
    connect(&lane, &JobLane::servicesReady, this, &MotionView::fillCloudEngines);
    connect(&lane, &JobLane::providersChanged, this, &MotionView::fillCloudEngines);
    connect(&lane, &JobLane::jobsChanged, this, &MotionView::checkJobs);
    connect(&lane, &JobLane::enqueued, this, [this](quint64 request, const QList<qint64>& jobs) {
        if (request != m_enqueueRequest) {
            return;
        }
        m_pendingJobs.add(jobs);
        setStatus(tr("Image-to-video queued as job %1").arg(jobs.value(0)));
    });
    connect(&lane, &JobLane::enqueueFailed, this,
            [this](quint64 request, const ripen::Error& error) {
                if (request == m_enqueueRequest) {
                    setStatus(QString::fromStdString(error.message));
                }
            });

    auto* back = new QAction(this);
    back->setShortcut(QKeySequence(Qt::Key_Escape));
    back->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(back, &QAction::triggered, this, &MotionView::closeRequested);
    addAction(back);
    fillCloudEngines();
}

MotionView::~MotionView() = default;

QWidget* MotionView::createPlayerArea() {
    auto* area = new QWidget(this);
    auto* layout = new QVBoxLayout(area);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    m_stage = new QStackedWidget(area);
    m_stage->addWidget(m_player);
    m_stage->addWidget(m_pathEditor);
    layout->addWidget(m_stage, 1);
    auto* transport = new QHBoxLayout;
    m_play = new QPushButton(tr("Play"), area);
    m_play->setObjectName(QStringLiteral("motionPlay"));
    m_play->setCheckable(true);
    m_play->setToolTip(tr("Play or pause (Space)"));
    m_play->setShortcut(QKeySequence(Qt::Key_Space));
    m_scrub = new QSlider(Qt::Horizontal, area);
    m_scrub->setObjectName(QStringLiteral("motionScrub"));
    auto* time = new QLabel(seconds(0), area);
    time->setMinimumWidth(6 * Theme::kGrid);
    transport->addWidget(m_play);
    transport->addWidget(m_scrub, 1);
    transport->addWidget(time);
    layout->addLayout(transport);
    layout->addWidget(createConsistencyArea(area));
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    connect(m_play, &QPushButton::toggled, m_player, &FramePlayer::setPlaying);
    connect(m_player, &FramePlayer::playingChanged, this, [this](bool playing) {
        const QSignalBlocker quiet(m_play);
        m_play->setChecked(playing);
        m_play->setText(playing ? tr("Pause") : tr("Play"));
    });
    connect(m_scrub, &QSlider::valueChanged, m_player, &FramePlayer::showFrame);
    connect(m_player, &FramePlayer::frameChanged, this, [this, time](int index) {
        const QSignalBlocker quiet(m_scrub);
        m_scrub->setValue(index);
        time->setText(seconds(m_player->fps() > 0 ? index / m_player->fps() : 0));
        m_strip->setCursorSeconds(m_player->fps() > 0 ? index / m_player->fps() : -1);
    });
    return area;
}

QWidget* MotionView::createConsistencyArea(QWidget* parent) {
    auto* area = new QWidget(parent);
    auto* layout = new QVBoxLayout(area);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(Theme::kGrid / 2);
    m_strip = new ConsistencyStrip(area);
    m_consistencySummary = new QLabel(area);
    m_consistencySummary->setObjectName(QStringLiteral("motionConsistencySummary"));
    m_worst = new QListWidget(area);
    m_worst->setObjectName(QStringLiteral("motionWorstMoments"));
    m_worst->setToolTip(tr("The worst moments of the clip: click one to see it"));
    m_worst->setMaximumHeight(9 * Theme::kGrid);
    m_worst->setVisible(false);
    layout->addWidget(m_strip);
    layout->addWidget(m_consistencySummary);
    layout->addWidget(m_worst);
    connect(m_strip, &ConsistencyStrip::seekRequested, this, &MotionView::seekTo);
    connect(m_worst, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { seekTo(item->data(kMomentSecondsRole).toDouble()); });
    connect(m_consistency, &ClipConsistency::checked, this, &MotionView::showConsistency);
    connect(m_consistency, &ClipConsistency::failed, this,
            [this](const QString& file, const QString& message) {
                if (file == m_checkingFile) {
                    m_consistencySummary->setText(tr("Consistency check failed: %1").arg(message));
                }
            });
    return area;
}

void MotionView::clearConsistency() {
    m_checkingFile.clear();
    m_strip->clear();
    m_worst->clear();
    m_worst->setVisible(false);
    m_consistencySummary->clear();
}

void MotionView::showConsistency(const QString& clipFile, const ripen::ConsistencyReport& report) {
    if (clipFile != m_checkingFile) {
        return; // another clip is on the player now
    }
    double clipSeconds = 0;
    for (int row = 0; row < m_clips->count(); ++row) {
        if (m_clips->item(row)->data(kClipFileRole).toString() == clipFile) {
            clipSeconds = m_clips->item(row)->data(kClipSecondsRole).toDouble();
        }
    }
    m_strip->setReport(report, clipSeconds);
    m_worst->clear();
    for (const ripen::FrameChange& moment : report.worst) {
        auto* item =
            new QListWidgetItem(tr("%1 · frame %2 · change %3 (spike above %4), flicker %5")
                                    .arg(seconds(moment.seconds))
                                    .arg(moment.index)
                                    .arg(moment.structural, 0, 'f', 3)
                                    .arg(report.structuralThreshold, 0, 'f', 3)
                                    .arg(moment.flicker, 0, 'f', 3),
                                m_worst);
        item->setData(kMomentSecondsRole, moment.seconds);
    }
    m_worst->setVisible(!report.worst.empty());
    m_consistencySummary->setText(
        report.flaggedCount == 0
            ? tr("Consistent: no morphing or flicker spikes in %n frame(s)", nullptr,
                 static_cast<int>(report.changes.size()))
            : tr("%n frame(s) flagged for morphing or flicker; the worst are listed", nullptr,
                 report.flaggedCount));
}

void MotionView::seekTo(double at) {
    if (m_player->frameCount() == 0) {
        return;
    }
    m_player->setPlaying(false);
    // The player's frames span the clip evenly; its rate may be a guess (a provider's clip
    // without an fps in its provenance), the clip's length is not.
    const double length = m_strip->clipSeconds();
    const auto index = static_cast<int>(
        std::lround(length > 0 ? at / length * m_player->frameCount() : at * m_player->fps()));
    m_player->showFrame(std::clamp(index, 0, m_player->frameCount() - 1));
}

QWidget* MotionView::createSidePanel() {
    auto* panel = new QWidget(this);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, Theme::kGrid, 0);
    layout->addWidget(createMoveControls(panel));
    layout->addWidget(createPathControls(panel));
    layout->addWidget(createCloudControls(panel));
    auto* clipsBox = new QGroupBox(tr("Clips of this keyframe"), panel);
    auto* clipsLayout = new QVBoxLayout(clipsBox);
    m_clips = new QListWidget(clipsBox);
    m_clips->setObjectName(QStringLiteral("motionClips"));
    m_clips->setMinimumHeight(10 * Theme::kGrid);
    m_clips->setToolTip(tr("Double-click to play a clip"));
    clipsLayout->addWidget(m_clips);
    clipsLayout->addWidget(createClipControls(clipsBox));
    connect(m_clips, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { playClip(m_clips->row(item)); });
    layout->addWidget(clipsBox);
    layout->addStretch(1);
    return panel;
}

QWidget* MotionView::createClipControls(QWidget* parent) {
    auto* controls = new QWidget(parent);
    auto* form = new QFormLayout(controls);
    form->setContentsMargins(0, 0, 0, 0);
    m_cutMode = new QComboBox(controls);
    m_cutMode->setObjectName(QStringLiteral("motionCutMode"));
    m_cutMode->addItem(tr("Every N seconds"), static_cast<int>(ripen::CutMode::Every));
    m_cutMode->addItem(tr("Scene changes"), static_cast<int>(ripen::CutMode::Scenes));
    m_cutMode->addItem(tr("In/out points"), static_cast<int>(ripen::CutMode::At));
    m_everyRow = new QWidget(controls);
    auto* everyLayout = new QHBoxLayout(m_everyRow);
    everyLayout->setContentsMargins(0, 0, 0, 0);
    m_cutEvery = new QDoubleSpinBox(m_everyRow);
    m_cutEvery->setRange(0.5, 600);
    m_cutEvery->setDecimals(1);
    m_cutEvery->setValue(2);
    m_cutEvery->setSuffix(tr(" s"));
    everyLayout->addWidget(m_cutEvery);
    m_timesRow = new QWidget(controls);
    auto* timesLayout = new QHBoxLayout(m_timesRow);
    timesLayout->setContentsMargins(0, 0, 0, 0);
    m_cutTimes = new QLineEdit(m_timesRow);
    m_cutTimes->setObjectName(QStringLiteral("motionCutTimes"));
    m_cutTimes->setPlaceholderText(tr("seconds: 1.5, 4"));
    m_cutTimes->setToolTip(tr("Cut points in seconds from the clip's start"));
    auto* mark = new QPushButton(tr("Mark"), m_timesRow);
    mark->setObjectName(QStringLiteral("motionMarkCut"));
    mark->setToolTip(tr("Add the player's position as an in/out point (M)"));
    mark->setShortcut(QKeySequence(Qt::Key_M));
    timesLayout->addWidget(m_cutTimes, 1);
    timesLayout->addWidget(mark);
    m_reframe = new QComboBox(controls);
    m_reframe->setObjectName(QStringLiteral("motionReframe"));
    for (const ReframeChoice& choice : kReframes) {
        m_reframe->addItem(tr(choice.label), choice.aspect);
    }
    m_anchor = new QComboBox(controls);
    m_anchor->setObjectName(QStringLiteral("motionAnchor"));
    for (const AnchorChoice& choice : kAnchors) {
        m_anchor->addItem(tr(choice.label), static_cast<int>(choice.anchor));
    }
    auto* cut = new QPushButton(tr("Cut into Segments"), controls);
    cut->setObjectName(QStringLiteral("motionCut"));
    cut->setToolTip(tr("Cut the selected clip: every segment is kept as a clip of its own"));
    auto* poster = new QPushButton(tr("Poster Frame"), controls);
    poster->setToolTip(tr("Keep the sharpest frame of the selected clip as an image"));
    m_openFrame = new QPushButton(tr("Open Frame as Keyframe"), controls);
    m_openFrame->setEnabled(false);
    form->addRow(tr("Cut at"), m_cutMode);
    form->addRow(tr("Length"), m_everyRow);
    form->addRow(tr("Points"), m_timesRow);
    form->addRow(tr("Reframe"), m_reframe);
    form->addRow(tr("Anchor"), m_anchor);
    form->addRow(cut);
    form->addRow(poster);
    form->addRow(m_openFrame);
    connect(m_cutMode, &QComboBox::currentIndexChanged, this, &MotionView::updateCutControls);
    connect(m_reframe, &QComboBox::currentIndexChanged, this, &MotionView::updateCutControls);
    connect(mark, &QPushButton::clicked, this, &MotionView::markCutAtPlayhead);
    connect(cut, &QPushButton::clicked, this, [this] { cutClip(m_clips->currentRow()); });
    connect(poster, &QPushButton::clicked, this, [this] { extractPoster(m_clips->currentRow()); });
    connect(m_openFrame, &QPushButton::clicked, this, &MotionView::openFrameAsKeyframe);
    connect(&m_bridge, &CoreBridge::clipDerived, this,
            [this](quint64 request, const AssetRecords& assets) {
                if (request == m_deriveRequest) {
                    showDerived(assets);
                }
            });
    updateCutControls();
    return controls;
}

void MotionView::updateCutControls() {
    const auto mode = static_cast<ripen::CutMode>(m_cutMode->currentData().toInt());
    auto* form = static_cast<QFormLayout*>(m_everyRow->parentWidget()->layout());
    form->setRowVisible(m_everyRow, mode == ripen::CutMode::Every);
    form->setRowVisible(m_timesRow, mode == ripen::CutMode::At);
    m_anchor->setEnabled(m_reframe->currentData().toDouble() > 0);
}

void MotionView::markCutAtPlayhead() {
    // As seekTo: the player's frames span the clip evenly and its rate may be a guess.
    const double length = m_strip->clipSeconds();
    const int frames = m_player->frameCount();
    const double at = length > 0 && frames > 0 ? length * m_player->currentFrame() / frames
                      : m_player->fps() > 0    ? m_player->currentFrame() / m_player->fps()
                                               : 0;
    const QString text = m_cutTimes->text().trimmed();
    m_cutTimes->setText((text.isEmpty() ? QString() : text + QStringLiteral(", ")) +
                        QString::number(at, 'f', 2));
    m_cutMode->setCurrentIndex(m_cutMode->findData(static_cast<int>(ripen::CutMode::At)));
}

QWidget* MotionView::createMoveControls(QWidget* parent) {
    auto* box = new QGroupBox(tr("Camera move (local, free)"), parent);
    auto* form = new QFormLayout(box);
    m_move = new QComboBox(box);
    m_move->setObjectName(QStringLiteral("motionMove"));
    for (const MoveChoice& choice : kMoves) {
        m_move->addItem(tr(choice.label), static_cast<int>(choice.move));
    }
    m_move->addItem(tr("Keyframed path"), kPathMove);
    m_duration = new QDoubleSpinBox(box);
    m_duration->setRange(0.5, 600);
    m_duration->setDecimals(1);
    m_duration->setSingleStep(0.5);
    m_duration->setValue(6);
    m_duration->setSuffix(tr(" s"));
    m_size = new QComboBox(box);
    for (const SizeChoice& choice : kSizes) {
        m_size->addItem(QString::fromUtf8(choice.label), choice.size);
    }
    m_fps = new QComboBox(box);
    for (const int fps : {24, 25, 30, 60}) {
        m_fps->addItem(tr("%1 fps").arg(fps), fps);
    }
    m_fps->setCurrentIndex(2);
    m_render = new QPushButton(tr("Render MP4"), box);
    m_render->setObjectName(QStringLiteral("motionRender"));
    m_render->setToolTip(tr("Render the move as an H.264 MP4 kept with the keyframe"));
    m_cancel = new QPushButton(tr("Cancel"), box);
    m_cancel->setEnabled(false);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_render, 1);
    buttons->addWidget(m_cancel);
    form->addRow(tr("Move"), m_move);
    form->addRow(tr("Duration"), m_duration);
    form->addRow(tr("Size"), m_size);
    form->addRow(tr("Rate"), m_fps);
    form->addRow(buttons);
    connect(m_move, &QComboBox::currentIndexChanged, this, &MotionView::moveChanged);
    connect(m_duration, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        m_pathPanel->setDuration(value);
        schedulePreview();
    });
    connect(m_size, &QComboBox::currentIndexChanged, this, &MotionView::outputSizeChanged);
    connect(m_fps, &QComboBox::currentIndexChanged, this, &MotionView::schedulePreview);
    connect(m_render, &QPushButton::clicked, this, &MotionView::renderMove);
    connect(m_cancel, &QPushButton::clicked, this, &MotionView::cancelRender);
    return box;
}

QWidget* MotionView::createPathControls(QWidget* parent) {
    m_pathPanel = new PathPanel(*m_pathEditor, parent);
    m_pathPanel->setDuration(m_duration->value());
    m_pathPanel->setVisible(false);
    connect(m_pathPanel, &PathPanel::keysChanged, this, &MotionView::schedulePreview);
    connect(m_pathPanel, &PathPanel::previewToggled, this, &MotionView::showPathPreview);
    connect(m_pathPanel, &PathPanel::status, this, &MotionView::setStatus);
    connect(m_pathPanel, &PathPanel::loadRequested, this, &MotionView::loadPath);
    return m_pathPanel;
}

bool MotionView::pathMode() const {
    return m_move->currentData().toInt() == kPathMove;
}

bool MotionView::isEditingPath() const {
    return m_stage->currentWidget() == m_pathEditor;
}

void MotionView::moveChanged() {
    const bool path = pathMode();
    m_pathPanel->setVisible(path);
    m_pathPanel->setPreviewShown(false);
    m_stage->setCurrentWidget(path ? static_cast<QWidget*>(m_pathEditor) : m_player);
    if (path && m_pathEditor->keys().empty()) {
        setStatus(tr("Click the still where the camera starts: each click adds a key"));
    }
    schedulePreview();
}

void MotionView::showPathPreview(bool preview) {
    m_pathPanel->setPreviewShown(preview);
    m_stage->setCurrentWidget(preview || !pathMode() ? static_cast<QWidget*>(m_player)
                                                     : m_pathEditor);
    m_player->setPlaying(preview && m_player->frameCount() > 0);
}

void MotionView::outputSizeChanged() {
    const QSize size = m_size->currentData().toSize();
    m_pathEditor->setOutputAspect(static_cast<double>(size.width()) / size.height());
    schedulePreview();
}

ripen::PathLimits MotionView::pathLimits() const {
    const QSize size = m_size->currentData().toSize();
    return {m_pathEditor->sourceSize().width(), m_pathEditor->sourceSize().height(),
            static_cast<double>(size.width()) / size.height(), m_duration->value()};
}

void MotionView::savePath(const QString& file) {
    m_pathPanel->savePath(file);
}

void MotionView::loadPath(const QString& file) {
    if (m_pathEditor->sourceSize().isEmpty()) {
        setStatus(tr("Open a keyframe before loading a path for it"));
        return;
    }
    m_pathPanel->loadPath(file, pathLimits());
}

QWidget* MotionView::createCloudControls(QWidget* parent) {
    auto* box = new QGroupBox(tr("Image to video (cloud)"), parent);
    auto* form = new QFormLayout(box);
    m_cloudEngine = new QComboBox(box);
    m_cloudEngine->setObjectName(QStringLiteral("motionCloudEngine"));
    m_cloudEngine->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_cloudEngine->setMinimumContentsLength(14);
    m_cloudPrompt = new QPlainTextEdit(box);
    m_cloudPrompt->setPlaceholderText(tr("How the scene moves"));
    m_cloudPrompt->setFixedHeight(7 * Theme::kGrid);
    m_cloudDuration = new QComboBox(box);
    m_cloudAspect = new QComboBox(box);
    m_cloudEstimate = new QLabel(box);
    m_cloudEstimate->setObjectName(QStringLiteral("motionCloudEstimate"));
    m_cloudEstimate->setWordWrap(true);
    m_send = new QPushButton(tr("Send to Queue"), box);
    m_send->setObjectName(QStringLiteral("motionSend"));
    form->addRow(tr("Engine"), m_cloudEngine);
    form->addRow(m_cloudPrompt);
    form->addRow(tr("Duration"), m_cloudDuration);
    form->addRow(tr("Aspect"), m_cloudAspect);
    form->addRow(m_cloudEstimate);
    form->addRow(m_send);
    connect(m_cloudEngine, &QComboBox::currentIndexChanged, this, &MotionView::updateCloudOptions);
    connect(m_cloudDuration, &QComboBox::currentIndexChanged, this,
            &MotionView::updateCloudEstimate);
    connect(m_cloudAspect, &QComboBox::currentIndexChanged, this, &MotionView::updateCloudEstimate);
    connect(m_send, &QPushButton::clicked, this, &MotionView::sendImageToVideo);
    return box;
}

void MotionView::openAsset(ripen::AssetId id) {
    m_asset = id;
    m_record = {};
    m_stillFile.clear();
    m_still = {};
    m_pendingJobs.clear();
    m_player->setPlaying(false);
    m_player->clear();
    m_player->setStill({});
    m_clips->clear();
    clearConsistency();
    m_lastFrame = 0;
    m_openFrame->setEnabled(false);
    m_pathEditor->setStill({}, {});
    m_pathEditor->setKeys({});
    m_pathPanel->newKeyTimeBox().setValue(0);
    m_title->setText(tr("Keyframe %1").arg(id));
    setStatus(tr("Loading asset %1…").arg(id));
    m_detailsRequest = m_bridge.loadAssetDetails(id);
}

void MotionView::showDetails(const AssetDetails& details) {
    const ripen::Asset& asset = details.record.asset;
    if (asset.kind != ripen::AssetKind::Image) {
        setStatus(tr("Asset %1 is not an image: a keyframe is a still").arg(asset.id));
        return;
    }
    m_record = details.record;
    m_title->setText(tr("Keyframe %1 · %2 × %3").arg(asset.id).arg(asset.width).arg(asset.height));
    m_clips->clear();
    for (const AssetRecord& child : details.children) {
        if (child.asset.kind != ripen::AssetKind::Video) {
            continue;
        }
        addClipItem(child, tr("Clip %1").arg(child.asset.id));
    }
    if (m_stillFile != details.record.blobFile) {
        m_stillFile = details.record.blobFile;
        stillLoaded(m_stillFile);
        setStatus(tr("Choose a move: the preview plays as you change it"));
    }
}

void MotionView::addClipItem(const AssetRecord& clip, const QString& text) {
    const double length = clip.asset.durationMicros.value_or(0) / 1e6;
    auto* item = new QListWidgetItem(tr("%1 · %2 × %3 · %4")
                                         .arg(text)
                                         .arg(clip.asset.width)
                                         .arg(clip.asset.height)
                                         .arg(seconds(length)),
                                     m_clips);
    const nlohmann::json& params = clip.asset.generation.params;
    const double fps = params.is_object() && params.value("fps", nlohmann::json()).is_number()
                           ? params["fps"].get<double>()
                           : 0.0; // unknown: the preview reads the file's own rate
    item->setData(kClipFileRole, clip.blobFile);
    item->setData(kClipFpsRole, fps);
    item->setData(kClipSecondsRole, length);
    item->setData(kClipIdRole, QVariant::fromValue<qint64>(clip.asset.id));
}

void MotionView::cutClip(int row) {
    QListWidgetItem* item = m_clips->item(row);
    if (item == nullptr) {
        setStatus(tr("Choose a clip to cut"));
        return;
    }
    ripen::CutChoice choice;
    choice.mode = static_cast<ripen::CutMode>(m_cutMode->currentData().toInt());
    choice.everySeconds = m_cutEvery->value();
    if (choice.mode == ripen::CutMode::At) {
        const auto times = parseTimes(m_cutTimes->text());
        if (!times || times->empty()) {
            setStatus(tr("Give the in/out points in seconds (\"1.5, 4\"), or mark them at the "
                         "player's position"));
            return;
        }
        choice.times = *times;
    }
    const double aspect = m_reframe->currentData().toDouble();
    const auto anchor = static_cast<ripen::CropAnchor>(m_anchor->currentData().toInt());
    switch (choice.mode) {
    case ripen::CutMode::Every:
        setStatus(tr("Cutting into %1 segments…").arg(seconds(choice.everySeconds)));
        break;
    case ripen::CutMode::Scenes:
        setStatus(tr("Finding the scene changes and cutting there…"));
        break;
    case ripen::CutMode::At:
        setStatus(tr("Cutting at %1…").arg(m_cutTimes->text()));
        break;
    }
    m_deriveRequest =
        m_bridge.cutClip(item->data(kClipIdRole).toLongLong(), choice,
                         aspect > 0 ? std::optional<double>(aspect) : std::nullopt, anchor);
}

void MotionView::extractPoster(int row) {
    QListWidgetItem* item = m_clips->item(row);
    if (item == nullptr) {
        setStatus(tr("Choose a clip to take its poster frame"));
        return;
    }
    setStatus(tr("Finding the sharpest frame…"));
    m_deriveRequest = m_bridge.extractPosterFrame(item->data(kClipIdRole).toLongLong());
}

void MotionView::showDerived(const AssetRecords& assets) {
    int segments = 0;
    for (const AssetRecord& record : assets) {
        if (record.asset.kind == ripen::AssetKind::Video) {
            ++segments;
            addClipItem(record, tr("  Segment %1").arg(record.asset.id));
        } else {
            m_lastFrame = record.asset.id;
            m_openFrame->setEnabled(true);
            setStatus(tr("Frame %1 kept as an image of the clip").arg(record.asset.id));
        }
    }
    if (segments > 0) {
        setStatus(tr("%n segment(s) kept with the clip", nullptr, segments));
    }
    emit clipDerived(assets);
}

void MotionView::openFrameAsKeyframe() {
    if (m_lastFrame != 0) {
        openAsset(m_lastFrame);
    }
}

void MotionView::stillLoaded(const QString& file) {
    if (file != m_stillFile || !m_still.isNull()) {
        return;
    }
    m_still = m_loader->image(file);
    if (m_still.isNull()) {
        return; // imageReady comes back here
    }
    m_player->setStill(m_still);
    m_pathEditor->setStill(m_still, m_still.size());
    renderPreview();
}

void MotionView::schedulePreview() {
    m_previewDebounce.start();
}

ripen::StillMoveRequest MotionView::moveRequest() const {
    ripen::StillMoveRequest request;
    request.move = pathMode() ? std::string("path") // the path file is written when it renders
                              : std::string(ripen::toString(
                                    static_cast<ripen::CameraMove>(m_move->currentData().toInt())));
    request.durationSeconds = m_duration->value();
    const QSize size = m_size->currentData().toSize();
    request.video.width = size.width();
    request.video.height = size.height();
    request.video.fps = m_fps->currentData().toInt();
    return request;
}

void MotionView::renderPreview() {
    if (m_still.isNull()) {
        return;
    }
    clearConsistency(); // the player shows the move, not a clip
    if (pathMode()) {
        if (!m_pathEditor->keys().empty()) {
            m_preview->renderPath(m_still, m_pathEditor->path(), m_duration->value(),
                                  m_size->currentData().toSize(), m_fps->currentData().toInt());
        }
        return;
    }
    m_preview->render(m_still, static_cast<ripen::CameraMove>(m_move->currentData().toInt()),
                      m_duration->value(), m_size->currentData().toSize(),
                      m_fps->currentData().toInt());
}

void MotionView::renderMove() {
    if (m_record.asset.id == 0) {
        setStatus(tr("Open a keyframe from the gallery first"));
        return;
    }
    if (pathMode() && m_pathEditor->keys().empty()) {
        setStatus(tr("Add a key to the path first: click the still"));
        return;
    }
    m_render->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    setStatus(tr("Rendering %1…").arg(m_move->currentText()));
    m_renderRequest = pathMode() ? m_bridge.renderPath(m_record.asset.id, moveRequest(),
                                                       ripen::cameraPathJson(m_pathEditor->path()))
                                 : m_bridge.renderMove(m_record.asset.id, moveRequest());
}

void MotionView::cancelRender() {
    m_bridge.cancelMove();
}

void MotionView::playClip(int row) {
    QListWidgetItem* item = m_clips->item(row);
    if (item == nullptr) {
        return;
    }
    m_preview->decodeClip(item->data(kClipFileRole).toString(), item->data(kClipFpsRole).toDouble(),
                          item->data(kClipSecondsRole).toDouble());
    if (pathMode()) {
        showPathPreview(true); // the clip plays where the path was edited
    }
    setStatus(tr("Playing %1").arg(item->text()));
    if (m_checkingFile != item->data(kClipFileRole).toString()) {
        clearConsistency();
        m_checkingFile = item->data(kClipFileRole).toString();
        m_consistencySummary->setText(tr("Checking the clip for morphing and flicker…"));
        m_consistency->check(m_checkingFile);
    }
}

void MotionView::fillCloudEngines() {
    const JobLane& lane = m_bridge.jobs();
    if (lane.models() == nullptr) {
        m_cloudEstimate->setText(tr("Loading engines and prices…"));
        return;
    }
    const auto providers = lane.providers();
    const QSignalBlocker quiet(m_cloudEngine);
    m_cloudEngine->clear();
    for (const ripen::ModelInfo& model : lane.models()->models()) {
        const bool animates =
            std::ranges::find(model.kinds, ripen::JobKind::ImageToVideo) != model.kinds.end();
        const auto provider =
            std::ranges::find(providers, model.provider, &JobLane::ProviderInfo::id);
        if (!animates || !model.retired.empty() || provider == providers.end()) {
            continue;
        }
        QString label = QStringLiteral("%1 — %2").arg(QString::fromStdString(provider->displayName),
                                                      QString::fromStdString(model.name));
        if (!provider->missingConfiguration.empty()) {
            label = tr("%1 (not set up)").arg(label);
        }
        m_cloudEngine->addItem(label, QStringList{QString::fromStdString(model.provider),
                                                  QString::fromStdString(model.id)});
    }
    updateCloudOptions();
}

void MotionView::updateCloudOptions() {
    const QStringList id = m_cloudEngine->currentData().toStringList();
    const JobLane& lane = m_bridge.jobs();
    const ripen::ModelInfo* model =
        id.size() == 2 && lane.models() != nullptr
            ? lane.models()->find(id[0].toStdString(), id[1].toStdString())
            : nullptr;
    {
        const QSignalBlocker quietDuration(m_cloudDuration);
        const QSignalBlocker quietAspect(m_cloudAspect);
        m_cloudDuration->clear();
        m_cloudAspect->clear();
        if (model != nullptr) {
            for (const int duration : model->durations) {
                m_cloudDuration->addItem(tr("%1 s").arg(duration), duration);
            }
            for (const std::string& aspect : model->aspectRatios) {
                m_cloudAspect->addItem(QString::fromStdString(aspect));
            }
        }
    }
    m_send->setEnabled(model != nullptr);
    updateCloudEstimate();
}

Result<ripen::GenerationRequest> MotionView::imageToVideoRequest() const {
    const QStringList id = m_cloudEngine->currentData().toStringList();
    if (id.size() != 2) {
        return fail(ErrorCode::InvalidArgument, "no image-to-video engine is available");
    }
    ripen::GenerationRequest request;
    request.kind = ripen::JobKind::ImageToVideo;
    request.provider = id[0].toStdString();
    request.model = id[1].toStdString();
    request.prompt = m_cloudPrompt->toPlainText().trimmed().toStdString();
    request.durationSeconds = m_cloudDuration->currentData().toInt();
    request.aspectRatio = m_cloudAspect->currentText().toStdString();
    if (!m_record.blobFile.isEmpty()) {
        request.images = {PathText::toPath(m_record.blobFile)};
    }
    return request;
}

void MotionView::updateCloudEstimate() {
    const ripen::PriceBook* prices = m_bridge.jobs().priceBook();
    auto request = imageToVideoRequest();
    if (prices == nullptr || !request) {
        m_cloudEstimate->setText(request ? tr("Loading prices…")
                                         : QString::fromStdString(request.error().message));
        return;
    }
    auto estimate = prices->estimate(*request);
    m_cloudEstimate->setText(estimate
                                 ? tr("Estimate: %1 for %2 s, reserved when sent")
                                       .arg(MoneyText::format(estimate->amount, estimate->unit))
                                       .arg(request->durationSeconds)
                                 : tr("No price for this engine in the price book"));
}

void MotionView::sendImageToVideo() {
    if (m_record.asset.id == 0) {
        setStatus(tr("Open a keyframe from the gallery first"));
        return;
    }
    auto request = imageToVideoRequest();
    if (!request) {
        setStatus(QString::fromStdString(request.error().message));
        return;
    }
    if (request->prompt.empty()) {
        setStatus(tr("Say how the scene moves in the prompt first"));
        return;
    }
    ripen::EnqueueOptions options;
    options.stage = ripen::Stage::Clip;
    options.project = m_record.asset.project;
    options.client = m_record.asset.client;
    m_enqueueRequest = m_bridge.jobs().enqueue(*request, options);
}

void MotionView::checkJobs() {
    bool landed = false;
    for (const ripen::Job& job : m_pendingJobs.takeFinished(m_bridge.jobs().jobs())) {
        landed = landed || job.state == ripen::JobState::Succeeded;
        setStatus(JobWatch::describe(job, tr("Job %1 done: its clip is listed").arg(job.id)));
    }
    if (landed) {
        m_detailsRequest = m_bridge.loadAssetDetails(m_asset);
    }
}

void MotionView::setStatus(const QString& text) {
    m_status->setText(text);
}

QString MotionView::statusText() const {
    return m_status->text();
}

QString MotionView::cloudEstimateText() const {
    return m_cloudEstimate->text();
}

bool MotionView::isBusy() const {
    return m_loader->isBusy() || m_preview->isBusy() || m_previewDebounce.isActive() ||
           m_consistency->isBusy() || m_pathPanel->isBusy() || m_bridge.isBusy();
}

} // namespace ripen::ui
