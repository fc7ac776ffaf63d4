#include "inpaint/InpaintView.h"

#include "AssetDetails.h"
#include "CoreBridge.h"
#include "MoneyText.h"
#include "PathText.h"
#include "inpaint/MaskCanvas.h"
#include "loupe/FullImageLoader.h"
#include "queue/JobLane.h"
#include "queue/JobWatch.h"
#include "theme/Theme.h"

#include <QAction>
#include <QActionGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>

namespace ripen::ui {
namespace {

constexpr int kAssetIdRole = Qt::UserRole + 1;
constexpr int kBlobRole = Qt::UserRole + 2;
constexpr int kIconSide = 96;

// A saved mask as the canvas holds it: grey, or the alpha of an alpha PNG (white or opaque
// means change, as ripen-cli inpaint reads masks).
QImage asMask(const QImage& decoded) {
    if (decoded.hasAlphaChannel()) {
        QImage alpha = decoded.convertToFormat(QImage::Format_Alpha8);
        return QImage(alpha.constBits(), alpha.width(), alpha.height(), alpha.bytesPerLine(),
                      QImage::Format_Grayscale8)
            .copy();
    }
    return decoded.convertToFormat(QImage::Format_Grayscale8);
}

QSlider* slider(int from, int to, int value, QWidget* parent) {
    auto* s = new QSlider(Qt::Horizontal, parent);
    s->setRange(from, to);
    s->setValue(value);
    return s;
}

} // namespace

InpaintView::InpaintView(CoreBridge& bridge, QWidget* parent)
    : QWidget(parent), m_bridge(bridge), m_loader(new FullImageLoader(this)),
      m_canvas(new MaskCanvas(this)), m_title(new QLabel(this)), m_status(new QLabel(this)) {
    setObjectName(QStringLiteral("inpaintView"));
    m_canvas->setObjectName(QStringLiteral("inpaintCanvas"));
    m_status->setObjectName(QStringLiteral("inpaintStatus"));
    m_status->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    auto* left = new QVBoxLayout;
    left->setContentsMargins(0, 0, 0, 0);
    left->setSpacing(Theme::kGrid / 2);
    left->addWidget(createToolBar());
    left->addWidget(m_canvas, 1);
    left->addWidget(m_status);

    auto* side = new QScrollArea(this);
    side->setWidget(createSidePanel());
    side->setWidgetResizable(true);
    side->setFrameShape(QFrame::NoFrame);
    side->setFixedWidth(38 * Theme::kGrid);
    side->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(Theme::kGrid, Theme::kGrid, Theme::kGrid, Theme::kGrid);
    layout->addLayout(left, 1);
    layout->addWidget(side);

    connect(m_loader, &FullImageLoader::imageReady, this, &InpaintView::imageLoaded);
    connect(m_loader, &FullImageLoader::imageFailed, this,
            [this](const QString& file, const QString& message) {
                if (file == m_imageFile || file == m_pendingMaskFile) {
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
                if (request != m_detailsRequest && request != m_saveRequest &&
                    request != m_acceptRequest) {
                    return;
                }
                m_runAfterSave = false;
                setStatus(QString::fromStdString(error.message));
            });
    connect(&m_bridge, &CoreBridge::maskSaved, this,
            [this](quint64 request, const AssetRecord& mask) {
                if (request != m_saveRequest) {
                    return;
                }
                m_maskFile = mask.blobFile;
                m_canvas->undoStack()->setClean();
                if (m_masks->findData(mask.blobFile) < 0) {
                    m_masks->addItem(tr("Mask %1").arg(mask.asset.id), mask.blobFile);
                }
                m_masks->setCurrentIndex(m_masks->findData(mask.blobFile));
                setStatus(tr("Mask %1 saved with the image").arg(mask.asset.id));
                if (std::exchange(m_runAfterSave, false)) {
                    enqueue();
                }
            });
    connect(&m_bridge, &CoreBridge::masterAccepted, this, [this](quint64 request, qint64 id) {
        if (request == m_acceptRequest) {
            setStatus(tr("Result %1 is now the master (picked)").arg(id));
            emit masterAccepted(id);
        }
    });

    JobLane& lane = m_bridge.jobs();
    connect(&lane, &JobLane::servicesReady, this, &InpaintView::fillEngines);
    connect(&lane, &JobLane::providersChanged, this, &InpaintView::fillEngines);
    connect(&lane, &JobLane::jobsChanged, this, &InpaintView::checkJobs);
    connect(&lane, &JobLane::jobUpdated, this, &InpaintView::checkJobs);
    connect(&lane, &JobLane::enqueued, this, [this](quint64 request, const QList<qint64>& jobs) {
        if (request != m_enqueueRequest) {
            return;
        }
        m_pendingJobs.add(jobs);
        setStatus(tr("Inpaint queued as job %1").arg(jobs.value(0)));
        checkJobs();
    });
    connect(&lane, &JobLane::enqueueFailed, this,
            [this](quint64 request, const ripen::Error& error) {
                if (request == m_enqueueRequest) {
                    setStatus(QString::fromStdString(error.message));
                }
            });
    fillEngines();
    updateCandidateActions();
}

InpaintView::~InpaintView() = default;

QToolBar* InpaintView::createToolBar() {
    auto* bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("inpaintTools"));
    bar->addWidget(m_title);
    bar->addSeparator();
    // The canvas handles the keys itself; the tooltips name them.
    auto* tools = new QActionGroup(this);
    const auto addTool = [&](const QString& text, const QString& key, auto choose) {
        QAction* action = bar->addAction(text, this, choose);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(text, key));
        action->setCheckable(true);
        tools->addAction(action);
        return action;
    };
    QAction* brush = addTool(tr("Brush"), QStringLiteral("B"), [this] {
        m_canvas->setTool(MaskCanvas::Tool::Brush);
        m_canvas->setErasing(false);
    });
    QAction* eraser = addTool(tr("Eraser"), QStringLiteral("E"), [this] {
        m_canvas->setTool(MaskCanvas::Tool::Brush);
        m_canvas->setErasing(true);
    });
    QAction* lasso = addTool(tr("Lasso"), QStringLiteral("L"),
                             [this] { m_canvas->setTool(MaskCanvas::Tool::Lasso); });
    QAction* rect = addTool(tr("Rectangle"), QStringLiteral("R"),
                            [this] { m_canvas->setTool(MaskCanvas::Tool::Rectangle); });
    QAction* ellipse = addTool(tr("Ellipse"), QStringLiteral("U"),
                               [this] { m_canvas->setTool(MaskCanvas::Tool::Ellipse); });
    brush->setChecked(true);
    const auto syncTools = [=, this] {
        switch (m_canvas->tool()) {
        case MaskCanvas::Tool::Brush:
            (m_canvas->brush().erase ? eraser : brush)->setChecked(true);
            break;
        case MaskCanvas::Tool::Lasso:
            lasso->setChecked(true);
            break;
        case MaskCanvas::Tool::Rectangle:
            rect->setChecked(true);
            break;
        case MaskCanvas::Tool::Ellipse:
            ellipse->setChecked(true);
            break;
        }
    };
    connect(m_canvas, &MaskCanvas::toolChanged, this, syncTools);
    connect(m_canvas, &MaskCanvas::brushChanged, this, syncTools);
    bar->addSeparator();
    QAction* undo = m_canvas->undoStack()->createUndoAction(this, tr("Undo"));
    QAction* redo = m_canvas->undoStack()->createRedoAction(this, tr("Redo"));
    bar->addAction(undo);
    bar->addAction(redo);
    bar->addSeparator();
    bar->addAction(tr("Invert"), this, [this] { m_canvas->applyEdit(MaskEdit::Invert); });
    bar->addAction(tr("Clear"), this, [this] { m_canvas->applyEdit(MaskEdit::Clear); });
    bar->addSeparator();
    bar->addAction(tr("Fit"), this, [this] { m_canvas->fitToWidget(); })->setToolTip(tr("Fit (0)"));
    bar->addAction(QStringLiteral("100%"), this,
                   [this] {
                       m_canvas->zoomAround(
                           QPointF(m_canvas->width() / 2.0, m_canvas->height() / 2.0),
                           1.0 / m_canvas->zoom());
                   })
        ->setToolTip(tr("Actual pixels (1)"));
    return bar;
}

QWidget* InpaintView::createSidePanel() {
    auto* panel = new QWidget(this);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, Theme::kGrid, 0);

    auto* brushBox = new QGroupBox(tr("Brush"), panel);
    auto* brushForm = new QFormLayout(brushBox);
    m_size = slider(MaskBrush::kMinSize, 400, m_canvas->brush().size, brushBox);
    m_size->setToolTip(tr("Brush size in image pixels ([ and ])"));
    m_hardness = slider(0, 100, static_cast<int>(m_canvas->brush().hardness * 100), brushBox);
    m_brushOpacity = slider(1, 100, 100, brushBox);
    m_brushOpacity->setObjectName(QStringLiteral("inpaintBrushOpacity"));
    m_brushOpacity->setToolTip(tr("The most one stroke marks, in percent: a stroke at 50% "
                                  "leaves half-strength mask however often it overlaps"));
    m_opacity = slider(0, 255, 128, brushBox);
    m_opacity->setToolTip(tr("How strongly the mask overlay covers the image (O or H hides it)"));
    m_overlayColour = new QComboBox(brushBox);
    m_overlayColour->setObjectName(QStringLiteral("inpaintOverlayColour"));
    m_overlayColour->setToolTip(tr("The overlay's colour, one that stands out on the image "
                                   "(M shows the mask alone)"));
    const std::pair<QString, QColor> kColours[] = {{tr("Red"), QColor(255, 40, 60)},
                                                   {tr("Green"), QColor(40, 220, 90)},
                                                   {tr("Blue"), QColor(40, 120, 255)},
                                                   {tr("Yellow"), QColor(255, 220, 40)},
                                                   {tr("Magenta"), QColor(230, 40, 230)}};
    for (const auto& [name, colour] : kColours) {
        QPixmap swatch(Theme::kGrid * 2, Theme::kGrid * 2);
        swatch.fill(colour);
        m_overlayColour->addItem(QIcon(swatch), name, colour);
    }
    brushForm->addRow(tr("Size"), m_size);
    brushForm->addRow(tr("Hardness"), m_hardness);
    brushForm->addRow(tr("Opacity"), m_brushOpacity);
    brushForm->addRow(tr("Overlay"), m_opacity);
    brushForm->addRow(tr("Colour"), m_overlayColour);
    connect(m_brushOpacity, &QSlider::valueChanged, this, [this](int percent) {
        MaskBrush brush = m_canvas->brush();
        brush.opacity = percent / 100.0;
        m_canvas->setBrush(brush);
    });
    connect(m_size, &QSlider::valueChanged, this, [this](int size) {
        MaskBrush brush = m_canvas->brush();
        brush.size = size;
        m_canvas->setBrush(brush);
    });
    connect(m_hardness, &QSlider::valueChanged, this, [this](int hardness) {
        MaskBrush brush = m_canvas->brush();
        brush.hardness = hardness / 100.0;
        m_canvas->setBrush(brush);
    });
    connect(m_canvas, &MaskCanvas::brushChanged, m_size, [this](int size, bool) {
        const QSignalBlocker quiet(m_size);
        m_size->setValue(size);
    });
    const auto showOverlay = [this] {
        QColor colour = m_overlayColour->currentData().value<QColor>();
        colour.setAlpha(m_opacity->value());
        m_canvas->setOverlayColor(colour);
    };
    connect(m_opacity, &QSlider::valueChanged, this, showOverlay);
    connect(m_overlayColour, &QComboBox::currentIndexChanged, this, showOverlay);

    auto* maskBox = new QGroupBox(tr("Mask"), panel);
    auto* maskLayout = new QGridLayout(maskBox);
    m_masks = new QComboBox(maskBox);
    m_masks->setObjectName(QStringLiteral("inpaintSavedMasks"));
    m_masks->setPlaceholderText(tr("No saved masks"));
    m_useMask = new QPushButton(tr("Use"), maskBox);
    m_useMask->setToolTip(tr("Put the chosen saved mask on the canvas"));
    m_saveMask = new QPushButton(tr("Save Mask"), maskBox);
    m_saveMask->setToolTip(tr("Keep the mask with the image, to reuse it later"));
    maskLayout->addWidget(m_masks, 0, 0);
    maskLayout->addWidget(m_useMask, 0, 1);
    maskLayout->addWidget(m_saveMask, 1, 0, 1, 2);
    // Grow, shrink and feather by a number of image pixels, each one undo step.
    auto* edits = new QHBoxLayout;
    auto* pixels = new QSpinBox(maskBox);
    pixels->setRange(1, ripen::InpaintSettings::kMaxPixels);
    pixels->setValue(8);
    pixels->setSuffix(tr(" px"));
    const std::pair<MaskEdit, QString> kEdits[] = {{MaskEdit::Grow, tr("Grow")},
                                                   {MaskEdit::Shrink, tr("Shrink")},
                                                   {MaskEdit::Feather, tr("Feather")}};
    for (const auto& [edit, text] : kEdits) {
        auto* button = new QPushButton(text, maskBox);
        connect(button, &QPushButton::clicked, this,
                [this, edit, pixels] { m_canvas->applyEdit(edit, pixels->value()); });
        edits->addWidget(button);
    }
    // The amount on its own row: with the three buttons beside it the panel outgrows its
    // fixed width and the right-hand controls are cut off.
    maskLayout->addWidget(pixels, 2, 0, 1, 2);
    maskLayout->addLayout(edits, 3, 0, 1, 2);
    connect(m_useMask, &QPushButton::clicked, this,
            [this] { useSavedMask(m_masks->currentIndex()); });
    connect(m_saveMask, &QPushButton::clicked, this, &InpaintView::saveMask);

    auto* runBox = new QGroupBox(tr("Inpaint"), panel);
    auto* runForm = new QFormLayout(runBox);
    m_prompt = new QPlainTextEdit(runBox);
    m_prompt->setPlaceholderText(tr("What to paint in the region (empty: remove the object)"));
    m_prompt->setFixedHeight(9 * Theme::kGrid);
    m_engine = new QComboBox(runBox);
    m_engine->setObjectName(QStringLiteral("inpaintEngine"));
    m_engine->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_engine->setMinimumContentsLength(16);
    m_feather = new QSpinBox(runBox);
    m_feather->setRange(0, ripen::InpaintSettings::kMaxPixels);
    m_feather->setSuffix(tr(" px"));
    m_feather->setValue(4);
    m_feather->setToolTip(tr("Soft edge outside the mask; pixels beyond it never change"));
    m_onlyMasked = new QCheckBox(tr("Only masked area"), runBox);
    m_onlyMasked->setToolTip(
        tr("The engine sees a box around the mask at its own working size, pasted back"));
    m_padding = new QSpinBox(runBox);
    m_padding->setRange(0, ripen::InpaintSettings::kMaxPixels);
    m_padding->setSuffix(tr(" px"));
    m_padding->setValue(32);
    m_padding->setEnabled(false);
    m_matchColour = new QCheckBox(tr("Match colour at the seam"), runBox);
    m_matchColour->setObjectName(QStringLiteral("inpaintMatchColour"));
    m_matchColour->setToolTip(tr("Poisson blending evens out a colour shift of the result "
                                 "along the mask's edge; pixels outside never change"));
    m_estimate = new QLabel(runBox);
    m_estimate->setObjectName(QStringLiteral("inpaintEstimate"));
    m_estimate->setWordWrap(true);
    m_run = new QPushButton(tr("Inpaint"), runBox);
    m_run->setObjectName(QStringLiteral("inpaintRun"));
    m_run->setToolTip(tr("Queue the inpaint (Ctrl+Return)"));
    m_run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    runForm->addRow(m_prompt);
    runForm->addRow(tr("Engine"), m_engine);
    runForm->addRow(tr("Feather"), m_feather);
    runForm->addRow(m_onlyMasked);
    runForm->addRow(tr("Padding"), m_padding);
    runForm->addRow(m_matchColour);
    runForm->addRow(m_estimate);
    runForm->addRow(m_run);
    connect(m_onlyMasked, &QCheckBox::toggled, m_padding, &QWidget::setEnabled);
    connect(m_engine, &QComboBox::currentIndexChanged, this, &InpaintView::updateEstimate);
    connect(m_prompt, &QPlainTextEdit::textChanged, this, &InpaintView::updateEstimate);
    connect(m_run, &QPushButton::clicked, this, &InpaintView::runInpaint);

    auto* resultBox = new QGroupBox(tr("Results"), panel);
    auto* resultLayout = new QVBoxLayout(resultBox);
    m_candidates = new QListWidget(resultBox);
    m_candidates->setObjectName(QStringLiteral("inpaintCandidates"));
    m_candidates->setIconSize(QSize(kIconSide, kIconSide));
    m_candidates->setMinimumHeight(3 * kIconSide / 2);
    m_showResult = new QAction(tr("Show Result"), this);
    m_showResult->setCheckable(true);
    m_showResult->setShortcut(QKeySequence(Qt::Key_Backslash));
    m_showResult->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_showResult->setToolTip(tr("A/B: the result or the image (\\)"));
    addAction(m_showResult);
    auto* toggle = new QPushButton(resultBox);
    toggle->setCheckable(true);
    toggle->setText(m_showResult->text());
    toggle->setToolTip(m_showResult->toolTip());
    connect(toggle, &QPushButton::toggled, m_showResult, &QAction::setChecked);
    connect(m_showResult, &QAction::toggled, toggle, &QPushButton::setChecked);
    connect(m_showResult, &QAction::toggled, this,
            [this](bool shown) { setWipe(shown ? 1.0 : 0.0); });
    m_wipe = slider(0, 100, 0, resultBox);
    m_wipe->setToolTip(tr("Wipe: the result left of the line, the image right of it"));
    connect(m_wipe, &QSlider::valueChanged, this, [this](int value) { setWipe(value / 100.0); });
    m_accept = new QPushButton(tr("Accept as Master"), resultBox);
    m_accept->setObjectName(QStringLiteral("inpaintAccept"));
    m_accept->setToolTip(tr("Make the selected result the master (stage master, picked)"));
    resultLayout->addWidget(m_candidates);
    resultLayout->addWidget(toggle);
    resultLayout->addWidget(m_wipe);
    resultLayout->addWidget(m_accept);
    connect(m_candidates, &QListWidget::currentRowChanged, this,
            &InpaintView::showSelectedCandidate);
    connect(m_accept, &QPushButton::clicked, this, &InpaintView::acceptSelected);

    for (QGroupBox* box : {brushBox, maskBox, runBox, resultBox}) {
        layout->addWidget(box);
    }
    layout->addStretch(1);

    auto* back = new QAction(this);
    back->setShortcut(QKeySequence(Qt::Key_Escape));
    back->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(back, &QAction::triggered, this, &InpaintView::closeRequested);
    addAction(back);
    return panel;
}

void InpaintView::openAsset(ripen::AssetId id) {
    m_asset = id;
    m_record = {};
    m_imageFile.clear();
    m_imageShown = false;
    m_maskFile.clear();
    m_pendingMaskFile.clear();
    m_runAfterSave = false;
    m_pendingJobs.clear();
    m_canvas->setImage(QImage());
    m_masks->clear();
    m_candidates->clear();
    m_title->setText(tr("Asset %1").arg(id));
    setStatus(tr("Loading asset %1…").arg(id));
    m_detailsRequest = m_bridge.loadAssetDetails(id);
    updateCandidateActions();
}

bool InpaintView::hasImage() const {
    return m_imageShown;
}

void InpaintView::showDetails(const AssetDetails& details) {
    if (details.record.asset.kind != ripen::AssetKind::Image) {
        setStatus(tr("Asset %1 is not an image: only images can be inpainted")
                      .arg(details.record.asset.id));
        return;
    }
    m_record = details.record;
    m_imageFile = details.record.blobFile;
    const auto& asset = details.record.asset;
    m_title->setText(tr("Asset %1 · %2 × %3").arg(asset.id).arg(asset.width).arg(asset.height));
    for (const AssetRecord& child : details.children) {
        if (child.asset.kind == ripen::AssetKind::Mask && m_masks->findData(child.blobFile) < 0) {
            m_masks->addItem(tr("Mask %1").arg(child.asset.id), child.blobFile);
        }
        const bool result = child.asset.kind == ripen::AssetKind::Image &&
                            (child.asset.stage == ripen::Stage::Inpainted ||
                             child.asset.stage == ripen::Stage::Master);
        bool listed = false;
        for (int row = 0; row < m_candidates->count(); ++row) {
            listed = listed ||
                     m_candidates->item(row)->data(kAssetIdRole).toLongLong() == child.asset.id;
        }
        if (result && !listed) {
            auto* item = new QListWidgetItem(
                tr("Result %1\n%2 %3")
                    .arg(child.asset.id)
                    .arg(QString::fromStdString(child.asset.generation.provider),
                         QString::fromStdString(child.asset.generation.modelId)),
                m_candidates);
            item->setData(kAssetIdRole, QVariant::fromValue<qint64>(child.asset.id));
            item->setData(kBlobRole, child.blobFile);
            item->setToolTip(QString::fromStdString(child.asset.generation.prompt));
            m_loader->image(child.blobFile); // decodes it for the icon and the comparison
        }
    }
    if (m_masks->count() > 0 && m_maskFile.isEmpty()) {
        setStatus(tr("%n saved mask(s) for this image: choose one and Use, or paint a new one",
                     nullptr, m_masks->count()));
    } else if (m_masks->count() == 0) {
        setStatus(tr("Paint over what should change; everything else stays as it is"));
    }
    showImageIfLoaded();
    updateCandidateActions();
}

void InpaintView::showImageIfLoaded() {
    if (m_imageShown || m_imageFile.isEmpty()) {
        return;
    }
    const QImage image = m_loader->image(m_imageFile);
    if (image.isNull()) {
        return; // imageLoaded follows
    }
    m_canvas->setImage(image);
    m_canvas->fitToWidget();
    m_imageShown = true;
    showSelectedCandidate();
}

void InpaintView::imageLoaded(const QString& file) {
    if (file == m_imageFile) {
        showImageIfLoaded();
    }
    if (file == m_pendingMaskFile) {
        useSavedMask(m_masks->findData(file));
    }
    for (int row = 0; row < m_candidates->count(); ++row) {
        QListWidgetItem* item = m_candidates->item(row);
        if (item->data(kBlobRole).toString() != file) {
            continue;
        }
        const QImage image = m_loader->image(file);
        item->setIcon(QPixmap::fromImage(
            image.scaled(kIconSide, kIconSide, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        if (row == m_candidates->currentRow()) {
            showSelectedCandidate();
        }
    }
}

void InpaintView::saveMask() {
    if (!m_imageShown) {
        return;
    }
    if (!m_canvas->hasMarkedPixels()) {
        m_runAfterSave = false;
        setStatus(tr("The mask is empty: paint over what should change first"));
        return;
    }
    setStatus(tr("Saving the mask…"));
    m_saveRequest = m_bridge.saveMask(m_asset, m_canvas->mask());
}

void InpaintView::useSavedMask(int index) {
    const QString file = m_masks->itemData(index).toString();
    if (file.isEmpty() || !m_imageShown) {
        return;
    }
    const QImage decoded = m_loader->image(file);
    if (decoded.isNull()) {
        m_pendingMaskFile = file; // imageLoaded comes back here
        return;
    }
    m_pendingMaskFile.clear();
    if (!m_canvas->replaceMask(asMask(decoded), tr("Use saved mask"))) {
        setStatus(tr("%1 is %2 × %3, not the image's size")
                      .arg(m_masks->itemText(index))
                      .arg(decoded.width())
                      .arg(decoded.height()));
        return;
    }
    m_maskFile = file;
    m_canvas->undoStack()->setClean();
    setStatus(tr("%1 is on the canvas").arg(m_masks->itemText(index)));
}

std::optional<InpaintChoice> InpaintView::currentChoice() const {
    const int index = m_engine->currentIndex();
    if (index < 0 || index >= static_cast<int>(m_engines.size())) {
        return std::nullopt;
    }
    InpaintChoice choice;
    choice.engine = m_engines[static_cast<std::size_t>(index)];
    choice.prompt = m_prompt->toPlainText().trimmed().toStdString();
    choice.image = PathText::toPath(m_imageFile);
    choice.mask = PathText::toPath(m_maskFile);
    choice.settings.featherPixels = m_feather->value();
    choice.settings.onlyMasked = m_onlyMasked->isChecked();
    choice.settings.paddingPixels = m_padding->value();
    choice.settings.matchColour = m_matchColour->isChecked();
    return choice;
}

void InpaintView::runInpaint() {
    if (!m_imageShown) {
        return;
    }
    const auto choice = currentChoice();
    if (!choice) {
        setStatus(tr("No inpaint engine is available yet"));
        return;
    }
    if (!choice->engine.unavailable.isEmpty()) {
        setStatus(tr("%1 cannot run: %2").arg(choice->engine.label, choice->engine.unavailable));
        return;
    }
    if (m_maskFile.isEmpty() || !m_canvas->undoStack()->isClean()) {
        m_runAfterSave = true; // the job is sent the saved mask's blob
        saveMask();
        return;
    }
    enqueue();
}

void InpaintView::enqueue() {
    const auto choice = currentChoice();
    if (!choice) {
        return;
    }
    auto request = inpaintRequest(*choice);
    if (!request) {
        setStatus(QString::fromStdString(request.error().message));
        return;
    }
    ripen::EnqueueOptions options;
    options.stage = ripen::Stage::Inpainted;
    options.project = m_record.asset.project;
    options.client = m_record.asset.client;
    setStatus(tr("Queueing the inpaint…"));
    m_enqueueRequest = m_bridge.jobs().enqueue(*request, options);
}

void InpaintView::checkJobs() {
    bool landed = false;
    for (const ripen::Job& job : m_pendingJobs.takeFinished(m_bridge.jobs().jobs())) {
        landed = landed || job.state == ripen::JobState::Succeeded;
        setStatus(JobWatch::describe(
            job, tr("Job %1 done: compare the result with the image").arg(job.id)));
    }
    if (landed) {
        m_detailsRequest = m_bridge.loadAssetDetails(m_asset); // the new result is a child
    }
}

void InpaintView::setWipe(double fraction) {
    {
        const QSignalBlocker quietSlider(m_wipe);
        const QSignalBlocker quietToggle(m_showResult);
        m_wipe->setValue(static_cast<int>(std::lround(fraction * 100)));
        m_showResult->setChecked(fraction > 0);
    }
    m_canvas->setWipe(fraction);
    m_canvas->setFocus();
}

void InpaintView::showSelectedCandidate() {
    QListWidgetItem* item = m_candidates->currentItem();
    if (item == nullptr || !m_imageShown) {
        m_canvas->setComparison(QImage());
        updateCandidateActions();
        return;
    }
    const QImage result = m_loader->image(item->data(kBlobRole).toString());
    m_canvas->setComparison(result); // null until decoded; imageLoaded shows it then
    if (!result.isNull() && m_canvas->wipe() == 0) {
        setWipe(1.0); // choosing a result shows it
    }
    updateCandidateActions();
}

void InpaintView::acceptSelected() {
    QListWidgetItem* item = m_candidates->currentItem();
    if (item == nullptr) {
        return;
    }
    m_acceptRequest = m_bridge.acceptAsMaster(item->data(kAssetIdRole).toLongLong());
}

void InpaintView::updateCandidateActions() {
    const bool chosen = m_candidates->currentItem() != nullptr;
    m_accept->setEnabled(chosen);
    m_wipe->setEnabled(chosen);
    m_showResult->setEnabled(chosen);
}

void InpaintView::fillEngines() {
    const JobLane& lane = m_bridge.jobs();
    if (lane.models() == nullptr) {
        return;
    }
    const QString chosen = m_engine->currentText();
    m_engines = inpaintEngines(*lane.models(), lane.providers());
    const QSignalBlocker quiet(m_engine);
    m_engine->clear();
    for (const InpaintEngine& engine : m_engines) {
        m_engine->addItem(engine.unavailable.isEmpty() ? engine.label
                                                       : tr("%1 (not set up)").arg(engine.label));
        m_engine->setItemData(m_engine->count() - 1,
                              engine.unavailable.isEmpty() ? engine.label : engine.unavailable,
                              Qt::ToolTipRole);
    }
    m_engine->setCurrentIndex(std::max(0, m_engine->findText(chosen)));
    updateEstimate();
}

void InpaintView::updateEstimate() {
    const auto choice = currentChoice();
    const ripen::PriceBook* prices = m_bridge.jobs().priceBook();
    if (!choice || prices == nullptr) {
        m_estimate->setText(tr("Loading engines and prices…"));
        return;
    }
    if (choice->engine.local()) {
        m_estimate->setText(tr("Free: runs on this computer"));
        return;
    }
    InpaintChoice probe = *choice;
    if (probe.prompt.empty() && !probe.engine.erases) {
        probe.prompt.push_back('?'); // priced like the run it will be with a prompt
    }
    auto request = inpaintRequest(probe);
    Result<ripen::Estimate> estimate =
        request ? prices->estimate(*request)
                : Result<ripen::Estimate>(std::unexpected(request.error()));
    m_estimate->setText(
        estimate
            ? tr("Estimate: %1 per result").arg(MoneyText::format(estimate->amount, estimate->unit))
            : tr("No price for this engine in the price book"));
}

void InpaintView::setStatus(const QString& text) {
    m_status->setText(text);
}

QString InpaintView::statusText() const {
    return m_status->text();
}

QString InpaintView::estimateText() const {
    return m_estimate->text();
}

bool InpaintView::isBusy() const {
    return m_loader->isBusy() || !m_pendingJobs.isEmpty() || m_bridge.isBusy() ||
           m_bridge.jobs().isBusy();
}

} // namespace ripen::ui
