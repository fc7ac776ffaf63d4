#include "motion/MotionView.h"

#include "AssetDetails.h"
#include "CoreBridge.h"
#include "MoneyText.h"
#include "PathText.h"
#include "loupe/FullImageLoader.h"
#include "motion/ClipConsistency.h"
#include "motion/ConsistencyStrip.h"
#include "motion/FramePlayer.h"
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
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace ripen::ui {
namespace {

constexpr int kClipFileRole = Qt::UserRole + 1;
constexpr int kClipFpsRole = Qt::UserRole + 2;
constexpr int kClipSecondsRole = Qt::UserRole + 3;
constexpr int kClipIdRole = Qt::UserRole + 4;
constexpr int kPreviewDebounceMs = 150;
constexpr int kMomentSecondsRole = Qt::UserRole + 5;

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

} // namespace

MotionView::MotionView(CoreBridge& bridge, QWidget* parent)
    : QWidget(parent), m_bridge(bridge), m_loader(new FullImageLoader(this)),
      m_preview(new MovePreview(this)), m_player(new FramePlayer(this)), m_title(new QLabel(this)),
      m_status(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_consistency(new ClipConsistency(this)) {
    setObjectName(QStringLiteral("motionView"));
    m_player->setObjectName(QStringLiteral("motionPlayer"));
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
    layout->addWidget(m_player, 1);
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
    auto* grid = new QGridLayout(controls);
    grid->setContentsMargins(0, 0, 0, 0);
    m_cutEvery = new QDoubleSpinBox(controls);
    m_cutEvery->setRange(0.5, 600);
    m_cutEvery->setDecimals(1);
    m_cutEvery->setValue(2);
    m_cutEvery->setSuffix(tr(" s"));
    auto* cut = new QPushButton(tr("Cut Every"), controls);
    cut->setToolTip(tr("Cut the selected clip into segments of this length"));
    auto* poster = new QPushButton(tr("Poster Frame"), controls);
    poster->setToolTip(tr("Keep the sharpest frame of the selected clip as an image"));
    m_openFrame = new QPushButton(tr("Open Frame as Keyframe"), controls);
    m_openFrame->setEnabled(false);
    grid->addWidget(cut, 0, 0);
    grid->addWidget(m_cutEvery, 0, 1);
    grid->addWidget(poster, 1, 0, 1, 2);
    grid->addWidget(m_openFrame, 2, 0, 1, 2);
    connect(cut, &QPushButton::clicked, this, [this] { cutClip(m_clips->currentRow()); });
    connect(poster, &QPushButton::clicked, this, [this] { extractPoster(m_clips->currentRow()); });
    connect(m_openFrame, &QPushButton::clicked, this, &MotionView::openFrameAsKeyframe);
    connect(&m_bridge, &CoreBridge::clipDerived, this,
            [this](quint64 request, const AssetRecords& assets) {
                if (request == m_deriveRequest) {
                    showDerived(assets);
                }
            });
    return controls;
}

QWidget* MotionView::createMoveControls(QWidget* parent) {
    auto* box = new QGroupBox(tr("Camera move (local, free)"), parent);
    auto* form = new QFormLayout(box);
    m_move = new QComboBox(box);
    m_move->setObjectName(QStringLiteral("motionMove"));
    for (const MoveChoice& choice : kMoves) {
        m_move->addItem(tr(choice.label), static_cast<int>(choice.move));
    }
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
    connect(m_move, &QComboBox::currentIndexChanged, this, &MotionView::schedulePreview);
    connect(m_duration, &QDoubleSpinBox::valueChanged, this, &MotionView::schedulePreview);
    connect(m_size, &QComboBox::currentIndexChanged, this, &MotionView::schedulePreview);
    connect(m_fps, &QComboBox::currentIndexChanged, this, &MotionView::schedulePreview);
    connect(m_render, &QPushButton::clicked, this, &MotionView::renderMove);
    connect(m_cancel, &QPushButton::clicked, this, &MotionView::cancelRender);
    return box;
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
    setStatus(tr("Cutting into %1 segments…").arg(seconds(m_cutEvery->value())));
    m_deriveRequest = m_bridge.cutClip(item->data(kClipIdRole).toLongLong(), m_cutEvery->value());
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
    renderPreview();
}

void MotionView::schedulePreview() {
    m_previewDebounce.start();
}

ripen::StillMoveRequest MotionView::moveRequest() const {
    ripen::StillMoveRequest request;
    request.move =
        std::string(ripen::toString(static_cast<ripen::CameraMove>(m_move->currentData().toInt())));
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
    m_preview->render(m_still, static_cast<ripen::CameraMove>(m_move->currentData().toInt()),
                      m_duration->value(), m_size->currentData().toSize(),
                      m_fps->currentData().toInt());
}

void MotionView::renderMove() {
    if (m_record.asset.id == 0) {
        setStatus(tr("Open a keyframe from the gallery first"));
        return;
    }
    m_render->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    setStatus(tr("Rendering %1…").arg(m_move->currentText()));
    m_renderRequest = m_bridge.renderMove(m_record.asset.id, moveRequest());
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
           m_consistency->isBusy() || m_bridge.isBusy();
}

} // namespace ripen::ui
