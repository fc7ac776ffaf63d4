#include "loupe/CompareView.h"

#include "gallery/CullingController.h"
#include "gallery/EmptyStateWidget.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "loupe/FullImageLoader.h"
#include "loupe/ImageCanvas.h"
#include "theme/Theme.h"

#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace ripen::ui {

CompareView::CompareView(GalleryView& gallery, FullImageLoader& loader, QWidget* parent)
    : QWidget(parent), m_gallery(gallery), m_loader(loader), m_panes(new QWidget(this)),
      m_grid(new QGridLayout(m_panes)), m_empty(new EmptyStateWidget(this)) {
    setObjectName(QStringLiteral("compareView"));
    m_grid->setContentsMargins(Theme::kGrid / 2, Theme::kGrid / 2, Theme::kGrid / 2,
                               Theme::kGrid / 2);
    m_grid->setSpacing(Theme::kGrid / 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_panes, 1);
    layout->addWidget(m_empty, 1);
    m_empty->installEventFilter(this);
    connect(m_empty, &EmptyStateWidget::actionTriggered, this, &CompareView::closeRequested);

    connect(&m_loader, &FullImageLoader::imageReady, this, [this](const QString& file) {
        for (qsizetype i = 0; i < m_files.size(); ++i) {
            if (m_files[i] == file) {
                m_canvases[i]->setImage(m_loader.image(file));
                // Arrive at the view the others already have.
                if (i != 0) {
                    m_canvases[i]->setView(m_canvases[0]->isActualSize(), m_canvases[0]->center());
                }
            }
        }
    });
    connect(&m_loader, &FullImageLoader::imageFailed, this,
            [this](const QString& file, const QString& message) {
                for (qsizetype i = 0; i < m_files.size(); ++i) {
                    if (m_files[i] == file) {
                        m_canvases[i]->setPlaceholder(tr("Cannot be shown: %1").arg(message));
                    }
                }
            });
    connect(&m_gallery.model(), &QAbstractItemModel::dataChanged, this,
            &CompareView::updateCaptions);
    setAssets({});
}

void CompareView::clear() {
    // The lists go first: deleting a focused canvas sends focus events to updateCaptions().
    m_canvases.clear();
    m_files.clear();
    m_ids.clear();
    m_captions.clear();
    while (QLayoutItem* item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

void CompareView::setAssets(const std::vector<ripen::AssetId>& ids) {
    clear();
    std::vector<const AssetRecord*> records;
    for (const ripen::AssetId id : ids) {
        const int row = m_gallery.model().rowOf(id);
        if (row >= 0 && static_cast<int>(records.size()) < kMaxAssets) {
            records.push_back(m_gallery.model().recordAt(row));
        }
    }
    if (records.size() < 2) {
        m_empty->setContent(tr("Choose assets to compare"),
                            tr("Select two to four assets in the grid (Ctrl+click or "
                               "Shift+click), then press C."),
                            tr("Back to the Grid"));
        m_panes->hide();
        m_empty->show();
        return;
    }
    m_empty->hide();
    m_panes->show();
    const int columns = 2;
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto* pane = new QWidget(m_panes);
        auto* paneLayout = new QVBoxLayout(pane);
        paneLayout->setContentsMargins(0, 0, 0, 0);
        paneLayout->setSpacing(Theme::kGrid / 2);
        auto* canvas = new ImageCanvas(pane);
        auto* caption = new QLabel(pane);
        const QModelIndex index =
            m_gallery.model().index(m_gallery.model().rowOf(records[i]->asset.id));
        caption->setAlignment(Qt::AlignCenter);
        caption->setTextFormat(Qt::RichText); // the label's colour swatch
        caption->setProperty("fileName", index.data(Qt::DisplayRole).toString());
        paneLayout->addWidget(canvas, 1);
        paneLayout->addWidget(caption);
        const int slot = static_cast<int>(i);
        // Two assets side by side; three or four in two rows.
        m_grid->addWidget(pane, records.size() == 2 ? 0 : slot / columns,
                          records.size() == 2 ? slot : slot % columns);
        canvas->installEventFilter(this);
        connect(canvas, &ImageCanvas::viewChanged, this,
                [this, canvas](bool actualSize, QPointF center) {
                    follow(canvas, actualSize, center);
                });
        m_canvases << canvas;
        m_captions << caption;
        m_ids.push_back(records[i]->asset.id);
        const QString file = records[i]->blobFile;
        m_files << file;
        const QImage image = m_loader.image(file);
        if (image.isNull()) {
            canvas->setPlaceholder(tr("Loading…"));
        } else {
            canvas->setImage(image);
        }
    }
    updateCaptions();
    m_canvases.front()->setFocus();
}

QStringList CompareView::captions() const {
    QStringList texts;
    for (const QLabel* caption : m_captions) {
        texts << caption->text();
    }
    return texts;
}

void CompareView::updateCaptions() {
    for (qsizetype i = 0; i < m_captions.size(); ++i) {
        const int row = m_gallery.model().rowOf(m_ids[static_cast<std::size_t>(i)]);
        QStringList parts{m_captions[i]->property("fileName").toString().toHtmlEscaped()};
        if (row >= 0) {
            const ripen::Asset& asset = m_gallery.model().recordAt(row)->asset;
            parts << QString(asset.rating, QChar(0x2605)) +
                         QString(5 - asset.rating, QChar(0x00b7));
            if (asset.flag == ripen::Flag::Pick) {
                parts << tr("Picked");
            } else if (asset.flag == ripen::Flag::Reject) {
                parts << tr("Rejected");
            }
            if (const QColor label = Theme::labelColor(asset.colorLabel); label.isValid()) {
                parts
                    << QStringLiteral("<span style=\"color:%1\">&#9632;</span>").arg(label.name());
            }
        }
        m_captions[i]->setText(parts.join(QStringLiteral(" &nbsp;·&nbsp; ")));
        QFont font = m_captions[i]->font();
        font.setBold(m_canvases[i]->hasFocus());
        m_captions[i]->setFont(font);
    }
}

bool CompareView::cullPane(ImageCanvas* canvas, int key) {
    const qsizetype i = m_canvases.indexOf(canvas);
    if (i < 0) {
        return false;
    }
    return m_gallery.culling().handleKeyFor(key, {m_ids[static_cast<std::size_t>(i)]});
}

void CompareView::follow(ImageCanvas* leader, bool actualSize, QPointF center) {
    for (ImageCanvas* canvas : m_canvases) {
        if (canvas != leader) {
            canvas->setView(actualSize, center);
        }
    }
}

bool CompareView::isShowingEmptyState() const {
    return m_canvases.isEmpty();
}

bool CompareView::isLoading() const {
    for (const ImageCanvas* canvas : m_canvases) {
        if (canvas->image().isNull() && m_loader.isBusy()) {
            return true;
        }
    }
    return false;
}

bool CompareView::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Escape) {
            emit closeRequested();
            return true;
        }
        if (key->key() == Qt::Key_Z && !m_canvases.isEmpty()) {
            auto* canvas = qobject_cast<ImageCanvas*>(watched);
            (canvas != nullptr ? canvas : m_canvases.front())->toggleZoom();
            return true;
        }
        const Qt::KeyboardModifiers modifiers = key->modifiers() & ~Qt::KeypadModifier;
        if (modifiers == Qt::NoModifier &&
            cullPane(qobject_cast<ImageCanvas*>(watched), key->key())) {
            return true;
        }
    }
    if (event->type() == QEvent::FocusIn || event->type() == QEvent::FocusOut) {
        updateCaptions(); // the pane with focus has the bold caption
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ripen::ui
