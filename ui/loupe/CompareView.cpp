#include "loupe/CompareView.h"

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
    setAssets({});
}

void CompareView::clear() {
    while (QLayoutItem* item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_canvases.clear();
    m_files.clear();
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
        caption->setText(index.data(Qt::DisplayRole).toString());
        caption->setAlignment(Qt::AlignCenter);
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
        const QString file = records[i]->blobFile;
        m_files << file;
        const QImage image = m_loader.image(file);
        if (image.isNull()) {
            canvas->setPlaceholder(tr("Loading…"));
        } else {
            canvas->setImage(image);
        }
    }
    m_canvases.front()->setFocus();
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
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ripen::ui
