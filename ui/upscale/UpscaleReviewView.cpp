#include "upscale/UpscaleReviewView.h"

#include "CoreBridge.h"
#include "imaging/PrintSize.h"
#include "imaging/upscale/UpscaleTarget.h"
#include "jobs/JobStore.h"
#include "jobs/UpscaleJob.h"
#include "queue/JobLane.h"
#include "upscale/UpscaleCompareCanvas.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>
#include <cmath>

namespace ripen::ui {
namespace {

// Engines offered for a re-run; any other name can be typed.
const char* const kEngines[] = {
    "lanczos", "stability:fast", "stability:conservative", "stability:creative", "automatic1111",
    "comfyui", "google"};
constexpr double kPrintReadyDpi = 300;
constexpr double kPrintFairDpi = 150;

QString figure(double value) {
    return QString::number(value, 'f', 2);
}

QString verdictText(ripen::ArtifactAnalysis::Verdict verdict) {
    switch (verdict) {
    case ripen::ArtifactAnalysis::Verdict::Clean:
        return QObject::tr("Clean");
    case ripen::ArtifactAnalysis::Verdict::Check:
        return QObject::tr("Check at 100%");
    case ripen::ArtifactAnalysis::Verdict::LikelyArtifacts:
        return QObject::tr("Likely artifacts");
    }
    return {};
}

QString verdictColour(ripen::ArtifactAnalysis::Verdict verdict) {
    switch (verdict) {
    case ripen::ArtifactAnalysis::Verdict::Clean:
        return QStringLiteral("#3fa34d");
    case ripen::ArtifactAnalysis::Verdict::Check:
        return QStringLiteral("#d9a21b");
    case ripen::ArtifactAnalysis::Verdict::LikelyArtifacts:
        return QStringLiteral("#d64541");
    }
    return {};
}

QString engineOf(const ripen::Asset& asset) {
    const auto& params = asset.generation.params;
    if (params.is_object() && params.contains("upscale_engine") &&
        params["upscale_engine"].is_string()) {
        return QString::fromStdString(params["upscale_engine"].get<std::string>());
    }
    return QString::fromStdString(asset.generation.provider.empty() ? "imported"
                                                                    : asset.generation.provider);
}

// The target the reviewed upscale was made for; the nearest factor when it does not say.
ripen::Result<ripen::UpscaleTarget> targetOf(const UpscaleReviewSnapshot& snapshot) {
    const auto& params = snapshot.upscale.generation.params;
    if (params.is_object() && params.contains("upscale_target") &&
        params["upscale_target"].is_object()) {
        const std::string spec = params["upscale_target"].value("spec", "");
        if (auto target = ripen::UpscaleTarget::parse(spec)) {
            return target;
        }
    }
    const double factor =
        static_cast<double>(snapshot.upscale.width) / std::max(1, snapshot.original.width);
    int nearest = 2;
    for (const int f : {2, 3, 4, 8}) {
        if (std::abs(f - factor) < std::abs(nearest - factor)) {
            nearest = f;
        }
    }
    return ripen::UpscaleTarget::scale(std::to_string(nearest));
}

} // namespace

UpscaleReviewView::UpscaleReviewView(CoreBridge& bridge, QWidget* parent)
    : QWidget(parent), m_bridge(bridge), m_loader(new UpscaleReviewLoader(this)),
      m_canvas(new UpscaleCompareCanvas(this)) {
    setObjectName(QStringLiteral("upscaleReview"));
    auto* centre = new QVBoxLayout;
    centre->setContentsMargins(0, 0, 0, 0);
    centre->addWidget(buildToolbar());
    centre->addWidget(m_canvas, 1);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(centre, 1);
    layout->addWidget(buildSidePanel());
    connect(m_loader, &UpscaleReviewLoader::loaded, this, &UpscaleReviewView::onLoaded);
    // A re-run landing adds a candidate: reload the list (and the view) when jobs store.
    connect(&m_bridge, &CoreBridge::libraryChanged, this, [this] {
        if (isVisible() && m_asset != 0) {
            m_loader->load(m_bridge.libraryRoot(), m_asset);
        }
    });
}

QWidget* UpscaleReviewView::buildToolbar() {
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 4);
    m_mode = new QComboBox(bar);
    m_mode->addItems({tr("Side by side"), tr("Wipe")});
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_canvas->setMode(index == 1 ? UpscaleCompareCanvas::Mode::Wipe
                                     : UpscaleCompareCanvas::Mode::SideBySide);
    });
    m_overlay = new QComboBox(bar);
    m_overlay->addItems({tr("No overlay"), tr("Micro-noise map"), tr("Over-sharpening map")});
    m_overlay->setToolTip(tr("Amber where a figure reaches \"check\", red from \"likely "
                             "artifacts\" (O cycles)"));
    connect(m_overlay, &QComboBox::currentIndexChanged, this, &UpscaleReviewView::showOverlay);
    auto* fit = new QPushButton(tr("Fit (F)"), bar);
    connect(fit, &QPushButton::clicked, m_canvas, &UpscaleCompareCanvas::zoomToFit);
    auto* actual = new QPushButton(tr("100% (Z)"), bar);
    connect(actual, &QPushButton::clicked, m_canvas, &UpscaleCompareCanvas::zoomToActualSize);
    auto* loupe = new QPushButton(tr("Loupe (L)"), bar);
    loupe->setCheckable(true);
    connect(loupe, &QPushButton::toggled, m_canvas, &UpscaleCompareCanvas::setLoupe);
    auto* cycle = new QShortcut(QKeySequence(Qt::Key_O), this);
    cycle->setContext(Qt::WidgetWithChildrenShortcut);
    connect(cycle, &QShortcut::activated, this,
            [this] { m_overlay->setCurrentIndex((m_overlay->currentIndex() + 1) % 3); });
    row->addWidget(m_mode);
    row->addWidget(m_overlay);
    row->addStretch(1);
    row->addWidget(fit);
    row->addWidget(actual);
    row->addWidget(loupe);
    return bar;
}

QWidget* UpscaleReviewView::buildSidePanel() {
    auto* panel = new QWidget(this);
    panel->setFixedWidth(300);
    auto* column = new QVBoxLayout(panel);
    column->setContentsMargins(8, 0, 0, 0);
    m_verdict = new QLabel(panel);
    m_figures = new QLabel(panel);
    m_figures->setWordWrap(true);
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tiles = new QListWidget(panel);
    m_tiles->setObjectName(QStringLiteral("worstTiles"));
    connect(m_tiles, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        m_canvas->showAtActualSize(item->data(Qt::UserRole).toRectF());
        m_canvas->setFocus();
    });
    m_print = new QLineEdit(QStringLiteral("18x24in"), panel);
    m_print->setToolTip(tr("Print size in inches, e.g. 18x24in (turned like the image)"));
    connect(m_print, &QLineEdit::textChanged, this, &UpscaleReviewView::showPrintReadiness);
    m_readiness = new QLabel(panel);
    m_readiness->setWordWrap(true);
    m_candidates = new QListWidget(panel);
    m_candidates->setObjectName(QStringLiteral("candidates"));
    m_candidates->setMaximumHeight(120);
    connect(m_candidates, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const auto id = item->data(Qt::UserRole).toLongLong();
        if (id != m_asset) {
            showAsset(id);
        }
    });
    m_engine = new QComboBox(panel);
    m_engine->setEditable(true);
    for (const char* engine : kEngines) {
        m_engine->addItem(QString::fromLatin1(engine));
    }
    auto* rerunButton = new QPushButton(tr("Re-run"), panel);
    connect(rerunButton, &QPushButton::clicked, this, &UpscaleReviewView::rerun);
    auto* engineRow = new QHBoxLayout;
    engineRow->addWidget(m_engine, 1);
    engineRow->addWidget(rerunButton);
    auto* acceptButton = new QPushButton(tr("Accept (pick)"), panel);
    connect(acceptButton, &QPushButton::clicked, this, &UpscaleReviewView::accept);
    auto* rejectButton = new QPushButton(tr("Reject"), panel);
    connect(rejectButton, &QPushButton::clicked, this, &UpscaleReviewView::reject);
    auto* decisionRow = new QHBoxLayout;
    decisionRow->addWidget(acceptButton);
    decisionRow->addWidget(rejectButton);
    m_status = new QLabel(panel);
    m_status->setWordWrap(true);

    column->addWidget(m_verdict);
    column->addWidget(m_figures);
    column->addWidget(new QLabel(tr("Worst tiles (click: 100%)"), panel));
    column->addWidget(m_tiles, 1);
    column->addWidget(new QLabel(tr("Print readiness"), panel));
    column->addWidget(m_print);
    column->addWidget(m_readiness);
    column->addWidget(new QLabel(tr("Candidates"), panel));
    column->addWidget(m_candidates);
    column->addLayout(engineRow);
    column->addLayout(decisionRow);
    column->addWidget(m_status);
    return panel;
}

void UpscaleReviewView::showAsset(ripen::AssetId upscale) {
    m_asset = upscale;
    m_status->setText(tr("Loading and analysing asset %1…").arg(upscale));
    m_loader->load(m_bridge.libraryRoot(), upscale);
}

ripen::AssetId UpscaleReviewView::asset() const {
    return m_asset;
}

void UpscaleReviewView::onLoaded(std::shared_ptr<const UpscaleReviewSnapshot> snapshot) {
    if (!snapshot->error.isEmpty()) {
        m_snapshot.reset();
        m_canvas->setImages({}, {});
        m_verdict->setText(tr("Cannot review"));
        m_figures->clear();
        m_tiles->clear();
        m_candidates->clear();
        m_status->setText(snapshot->error);
        return;
    }
    const bool sameAsset = m_snapshot && m_snapshot->upscale.id == snapshot->upscale.id;
    m_snapshot = std::move(snapshot);
    for (const auto& model : m_snapshot->neuralModels) {
        if (m_engine->findText(QString::fromStdString(model.name)) < 0) {
            m_engine->addItem(QString::fromStdString(model.name));
        }
    }
    // Once the local models are known, the default engine is chosen (the GAN model when
    // installed, else lanczos); from then on the choice is the user's.
    if (!m_engineDefaulted) {
        m_engineDefaulted = true;
        const auto chosen =
            QString::fromStdString(ripen::defaultUpscaleEngine(m_snapshot->neuralModels));
        m_engine->setCurrentIndex(m_engine->findText(chosen));
    }
    if (!sameAsset) {
        m_canvas->setImages(m_snapshot->originalResampled, m_snapshot->upscaled);
    }
    showOverlay();
    showFigures();
    showPrintReadiness();
    m_candidates->clear();
    for (const auto& candidate : m_snapshot->candidates) {
        auto* item = new QListWidgetItem(tr("#%1  %2  %3x%4")
                                             .arg(candidate.id)
                                             .arg(engineOf(candidate))
                                             .arg(candidate.width)
                                             .arg(candidate.height),
                                         m_candidates);
        item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(candidate.id));
        if (candidate.id == m_snapshot->upscale.id) {
            m_candidates->setCurrentItem(item);
        }
    }
    m_status->setText(tr("Upscale #%1 of #%2 by %3")
                          .arg(m_snapshot->upscale.id)
                          .arg(m_snapshot->original.id)
                          .arg(engineOf(m_snapshot->upscale)));
}

void UpscaleReviewView::showFigures() {
    const auto& report = m_snapshot->report;
    m_verdict->setText(QStringLiteral("<span style='font-size:16pt;font-weight:600;color:%1'>%2"
                                      "</span>")
                           .arg(verdictColour(report.verdict), verdictText(report.verdict)));
    m_figures->setText(tr("Micro-noise: worst %1, mean %2 (check %3, likely %4)\n"
                          "Over-sharpening: worst %5, mean %6 (check %7, likely %8)\n"
                          "%9x%10 from %11x%12, luma levels")
                           .arg(figure(report.worstNoise), figure(report.meanNoise),
                                figure(ripen::ArtifactAnalysis::kNoiseCheck),
                                figure(ripen::ArtifactAnalysis::kNoiseLikely),
                                figure(report.worstOvershoot), figure(report.meanOvershoot),
                                figure(ripen::ArtifactAnalysis::kOvershootCheck),
                                figure(ripen::ArtifactAnalysis::kOvershootLikely))
                           .arg(report.upscaled.width)
                           .arg(report.upscaled.height)
                           .arg(report.original.width)
                           .arg(report.original.height));
    m_tiles->clear();
    for (const auto& tile : report.worstTiles) {
        auto* item = new QListWidgetItem(tr("x %1, y %2   noise %3   overshoot %4")
                                             .arg(tile.rect.x)
                                             .arg(tile.rect.y)
                                             .arg(figure(tile.noise), figure(tile.overshoot)),
                                         m_tiles);
        item->setData(Qt::UserRole,
                      QRectF(tile.rect.x, tile.rect.y, tile.rect.width, tile.rect.height));
    }
}

void UpscaleReviewView::showPrintReadiness() {
    if (!m_snapshot) {
        return;
    }
    const cv::Size pixels(m_snapshot->upscale.width, m_snapshot->upscale.height);
    auto print = ripen::PrintSize::parse(m_print->text().toStdString());
    if (!print) {
        m_readiness->setText(QString::fromStdString(print.error().message));
        return;
    }
    const ripen::PrintSize turned = print->orientedLike(pixels);
    const double dpi = turned.effectiveDpi(pixels);
    const QString grade = dpi >= kPrintReadyDpi  ? tr("print-ready")
                          : dpi >= kPrintFairDpi ? tr("fair for viewing at a distance")
                                                 : tr("too soft for print");
    m_readiness->setText(tr("%1x%2 px: %3 DPI at %4x%5 in (%6)")
                             .arg(pixels.width)
                             .arg(pixels.height)
                             .arg(std::lround(dpi))
                             .arg(turned.widthInches)
                             .arg(turned.heightInches)
                             .arg(grade));
}

void UpscaleReviewView::showOverlay() {
    if (!m_snapshot) {
        return;
    }
    switch (m_overlay->currentIndex()) {
    case 1:
        m_canvas->setOverlay(m_snapshot->noiseOverlay);
        break;
    case 2:
        m_canvas->setOverlay(m_snapshot->overshootOverlay);
        break;
    default:
        m_canvas->setOverlay({});
    }
}

void UpscaleReviewView::rerun() {
    if (!m_snapshot) {
        return;
    }
    JobLane& lane = m_bridge.jobs();
    if (lane.models() == nullptr) {
        m_status->setText(tr("The job queue is still starting; try again in a moment."));
        return;
    }
    std::vector<std::string> providers;
    for (const auto& provider : lane.providers()) {
        providers.push_back(provider.id);
    }
    const std::string name = m_engine->currentText().trimmed().toStdString();
    auto engine =
        ripen::resolveUpscaleEngine(name, *lane.models(), providers, m_snapshot->neuralModels);
    auto target = targetOf(*m_snapshot);
    if (!engine || !target) {
        m_status->setText(
            QString::fromStdString(!engine ? engine.error().message : target.error().message));
        return;
    }
    auto request =
        ripen::upscaleRequest(*engine, m_snapshot->originalBlob,
                              {m_snapshot->original.width, m_snapshot->original.height}, *target);
    if (!request) {
        m_status->setText(QString::fromStdString(request.error().message));
        return;
    }
    ripen::EnqueueOptions options;
    options.stage = ripen::Stage::Upscaled;
    options.project = m_snapshot->original.project;
    const auto id = lane.enqueue(*request, options);
    m_status->setText(tr("Queued an upscale of #%1 to %2 with %3; it appears under Candidates "
                         "when it lands.")
                          .arg(m_snapshot->original.id)
                          .arg(QString::fromStdString(target->text()))
                          .arg(QString::fromStdString(name)));
    emit rerunQueued(id);
}

void UpscaleReviewView::flag(ripen::Flag value) {
    if (!m_snapshot) {
        return;
    }
    CurationChange change;
    change.ids = {m_snapshot->upscale.id};
    change.flag = value;
    m_bridge.applyCuration(change);
    m_status->setText(value == ripen::Flag::Pick
                          ? tr("Accepted #%1 (flagged pick)").arg(m_snapshot->upscale.id)
                          : tr("Rejected #%1").arg(m_snapshot->upscale.id));
}

void UpscaleReviewView::accept() {
    flag(ripen::Flag::Pick);
}

void UpscaleReviewView::reject() {
    flag(ripen::Flag::Reject);
}

} // namespace ripen::ui
