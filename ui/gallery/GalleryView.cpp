#include "gallery/GalleryView.h"

#include "filters/FilterBar.h"
#include "gallery/CullingController.h"
#include "gallery/EmptyStateWidget.h"
#include "gallery/GalleryDelegate.h"
#include "gallery/GalleryModel.h"
#include "gallery/ThumbnailCache.h"
#include "theme/Theme.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QScrollBar>
#include <QSettings>
#include <QSlider>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace ripen::ui {

GalleryView::GalleryView(CoreBridge& bridge, QWidget* parent)
    : QWidget(parent), m_bridge(bridge), m_thumbnails(new ThumbnailCache(256, this)),
      m_model(new GalleryModel(bridge, *m_thumbnails, this)), m_search(new QLineEdit(this)),
      m_count(new QLabel(this)), m_sizeSlider(new QSlider(Qt::Horizontal, this)),
      m_filters(new FilterBar(bridge, this)), m_error(new QLabel(this)), m_culling(nullptr),
      m_stack(new QStackedWidget(this)), m_grid(new QListView(this)),
      m_empty(new EmptyStateWidget(this)), m_delegate(new GalleryDelegate(m_grid)) {
    // The bar above the grid.
    auto* bar = new QWidget(this);
    bar->setObjectName(QStringLiteral("galleryBar"));
    bar->setAttribute(Qt::WA_StyledBackground);
    auto* barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(Theme::kGrid, Theme::kGrid, 2 * Theme::kGrid, Theme::kGrid);
    barLayout->setSpacing(Theme::kGrid);
    m_search->setObjectName(QStringLiteral("gallerySearch"));
    m_search->setPlaceholderText(tr("Search prompts, tags and notes"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(45 * Theme::kGrid);
    m_search->setMinimumWidth(30 * Theme::kGrid);
    m_search->setToolTip(
        tr("Search prompts, negative prompts, tags and notes (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    m_count->setObjectName(QStringLiteral("galleryCount"));
    m_sizeSlider->setObjectName(QStringLiteral("thumbnailSize"));
    m_sizeSlider->setRange(kSmallestThumbnail, GalleryDelegate::kMaxThumbnail);
    m_sizeSlider->setSingleStep(8);
    m_sizeSlider->setPageStep(32);
    m_sizeSlider->setFixedWidth(16 * Theme::kGrid);
    m_sizeSlider->setToolTip(tr("Thumbnail size"));
    m_sizeSlider->setValue(
        QSettings().value(kThumbnailSizeSetting, GalleryDelegate::kMinThumbnail).toInt());
    m_error->setObjectName(QStringLiteral("galleryError"));
    m_error->setWordWrap(false);
    m_error->setMinimumWidth(Theme::kGrid);
    m_error->hide();
    QPalette warn = m_error->palette();
    warn.setColor(QPalette::WindowText, QColor(0xe07a76));
    m_error->setPalette(warn);
    barLayout->addWidget(m_search, 1);
    barLayout->addWidget(m_error);
    barLayout->addStretch(1);
    barLayout->addWidget(m_count);
    barLayout->addSpacing(Theme::kGrid);
    barLayout->addWidget(m_sizeSlider);

    // The grid.
    m_grid->setObjectName(QStringLiteral("galleryGrid"));
    // List mode wrapping left to right lays out the same grid. Icon mode keeps a free-placement
    // record per item and lays them all out again on every page, so a fast scroll through a
    // 10,000-asset library only got 1,700 rows deep in 6 s; list mode reaches all 10,000 with
    // p99 heartbeat lateness 13-18 ms (bench_gallery, docs/benchmarks.md).
    m_grid->setViewMode(QListView::ListMode);
    m_grid->setMovement(QListView::Static);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setFlow(QListView::LeftToRight);
    m_grid->setWrapping(true);
    m_grid->setUniformItemSizes(true);
    m_grid->setLayoutMode(QListView::Batched);
    m_grid->setBatchSize(256);
    m_grid->viewport()->installEventFilter(this); // to spread columns over the width
    m_grid->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_grid->setSelectionRectVisible(true);
    m_grid->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_grid->setDragEnabled(false);
    // Drops go to the window, which imports them.
    m_grid->setAcceptDrops(false);
    m_grid->viewport()->setAcceptDrops(false);
    m_grid->setMouseTracking(true);
    m_grid->setItemDelegate(m_delegate);
    m_grid->setContentsMargins(Theme::kGrid / 2, Theme::kGrid / 2, Theme::kGrid / 2, 0);
    m_grid->setModel(m_model);

    m_stack->addWidget(m_grid);
    m_stack->addWidget(m_empty);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_filters);
    layout->addWidget(m_stack, 1);

    // Keyboard: Ctrl+F focuses the search, Escape in it clears it.
    auto* find = new QAction(tr("Search"), this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    addAction(find);
    auto* clear = new QAction(tr("Clear search"), m_search);
    clear->setShortcut(Qt::Key_Escape);
    clear->setShortcutContext(Qt::WidgetShortcut);
    connect(clear, &QAction::triggered, m_search, &QLineEdit::clear);
    m_search->addAction(clear);

    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(kSearchDebounceMs);
    connect(m_search, &QLineEdit::textChanged, &m_searchDebounce, qOverload<>(&QTimer::start));
    connect(&m_searchDebounce, &QTimer::timeout, this, &GalleryView::applyQuery);

    // Waits for scrolling to rest, so a fast scroll does not queue loads it flies past.
    m_prefetch.setSingleShot(true);
    m_prefetch.setInterval(kPrefetchDelayMs);
    connect(&m_prefetch, &QTimer::timeout, this, &GalleryView::prefetchNeighbours);
    connect(m_grid->verticalScrollBar(), &QScrollBar::valueChanged, &m_prefetch,
            qOverload<>(&QTimer::start));
    connect(m_model, &GalleryModel::rowsInserted, &m_prefetch, qOverload<>(&QTimer::start));
    connect(m_model, &GalleryModel::modelReset, &m_prefetch, qOverload<>(&QTimer::start));

    connect(m_model, &GalleryModel::loadingChanged, this, &GalleryView::updateState);
    connect(m_model, &GalleryModel::totalCountChanged, this, &GalleryView::updateState);
    connect(m_model, &GalleryModel::modelReset, this, &GalleryView::updateState);
    connect(m_model, &GalleryModel::rowsInserted, this, &GalleryView::updateState);
    connect(m_empty, &EmptyStateWidget::actionTriggered, this, [this] {
        if (m_filters->isActive()) {
            m_filters->clear();
        } else {
            emit importRequested();
        }
    });
    connect(m_filters, &FilterBar::filtersChanged, this, [this] {
        if (m_ready) {
            applyQuery();
        }
    });
    connect(m_sizeSlider, &QSlider::valueChanged, this, [this](int side) {
        QSettings().setValue(kThumbnailSizeSetting, side);
        updateGridSize();
    });

    // Culling, opening and comparing from the grid's keyboard.
    m_culling = new CullingController(*m_model, *m_grid->selectionModel(), this);
    m_culling->watch(m_grid);
    m_grid->installEventFilter(this);
    connect(m_model, &GalleryModel::curationFailed, this, &GalleryView::showCurationError);
    connect(m_model, &GalleryModel::curationApplied, m_error, &QLabel::hide);
    connect(m_grid, &QListView::activated, this,
            [this](const QModelIndex& index) { emit openRequested(index.row()); });
    connect(m_grid->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this] { emit currentAssetChanged(currentAssetId()); });
    connect(m_model, &GalleryModel::modelReset, this,
            [this] { emit currentAssetChanged(currentAssetId()); });
    updateState();
}

int GalleryView::thumbnailSize() const {
    return m_sizeSlider->value();
}

void GalleryView::setThumbnailSize(int side) {
    m_sizeSlider->setValue(side);
}

ripen::AssetId GalleryView::currentAssetId() const {
    const QModelIndex current = m_grid->selectionModel()->currentIndex();
    return current.isValid() ? current.data(GalleryModel::AssetIdRole).toLongLong() : 0;
}

std::vector<ripen::AssetId> GalleryView::selectedAssetIds() const {
    QModelIndexList rows = m_grid->selectionModel()->selectedIndexes();
    if (rows.isEmpty() && m_grid->selectionModel()->currentIndex().isValid()) {
        rows << m_grid->selectionModel()->currentIndex();
    }
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    std::vector<ripen::AssetId> ids;
    for (const QModelIndex& row : rows) {
        ids.push_back(row.data(GalleryModel::AssetIdRole).toLongLong());
    }
    return ids;
}

bool GalleryView::selectAsset(ripen::AssetId id) {
    const int row = m_model->rowOf(id);
    if (row < 0) {
        return false;
    }
    const QModelIndex index = m_model->index(row);
    m_grid->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_grid->scrollTo(index);
    return true;
}

void GalleryView::showCurationError(const QString& message) {
    m_error->setText(tr("Not saved: %1").arg(message));
    m_error->setToolTip(message);
    m_error->show();
}

GalleryView::~GalleryView() {
    // The grid must let go of the model before the model and its cache go.
    m_grid->setModel(nullptr);
}

bool GalleryView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_grid->viewport() && event->type() == QEvent::Resize) {
        updateGridSize();
        m_prefetch.start();
    }
    if (watched == m_grid && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_C &&
        static_cast<QKeyEvent*>(event)->modifiers() == Qt::NoModifier) {
        emit compareRequested();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

// Spreads the width over the columns, as Lightroom does: as many columns as fit at the
// smallest thumbnail size, then every card grows to share the spare width, so the grid
// fills the view instead of leaving a ragged gap on the right.
void GalleryView::updateGridSize() {
    const int minSlot = GalleryDelegate::cellSizeFor(m_sizeSlider->value()).width();
    const int available = std::max(minSlot, m_grid->viewport()->width());
    const int columns = std::max(1, available / minSlot);
    const int extra = GalleryDelegate::cellSizeFor(0).width();
    const int side = std::min(GalleryDelegate::kMaxThumbnail, available / columns - extra);
    const QSize grid(available / columns, GalleryDelegate::cellSizeFor(side).height());
    if (m_grid->gridSize() != grid) {
        m_delegate->setCellSize(grid);
        m_grid->setGridSize(grid);
    }
}

void GalleryView::prefetchNeighbours() {
    const QRect view = m_grid->viewport()->rect();
    const QModelIndex first = m_grid->indexAt(view.topLeft() + QPoint(1, 1));
    if (!first.isValid()) {
        return;
    }
    // The bottom row may be partial or below the last asset: find the lowest row that has a
    // first cell, then count that row as full.
    QModelIndex lastRowStart;
    for (int y = view.bottom() - 1; !lastRowStart.isValid() && y > view.top();
         y -= m_grid->gridSize().height() / 2 + 1) {
        lastRowStart = m_grid->indexAt(QPoint(1, y));
    }
    const int columns = std::max(1, view.width() / std::max(1, m_grid->gridSize().width()));
    const int lastRow = std::max(first.row(), lastRowStart.row() + columns - 1);
    const int screen = lastRow - first.row() + 1;
    QList<int> rows;
    for (int row = lastRow + 1; row <= lastRow + screen; ++row) {
        rows << row; // below first: most scrolling goes down
    }
    for (int row = first.row() - 1; row >= std::max(0, first.row() - screen); --row) {
        rows << row;
    }
    m_model->prefetchThumbnails(rows);
}

void GalleryView::setLibraryReady(bool ready) {
    m_ready = ready;
    if (m_ready) {
        m_filters->refreshChoices();
        applyQuery();
    }
    updateState();
}

void GalleryView::setScope(const ripen::AssetQuery& scope) {
    m_scope = ripen::AssetQuery{};
    m_scope.project = scope.project;
    m_scope.client = scope.client;
    m_scope.collection = scope.collection;
    if (m_ready) {
        applyQuery();
    }
}

void GalleryView::reload() {
    if (m_ready) {
        m_filters->refreshChoices();
        m_model->refresh();
    }
}

void GalleryView::showArrivals() {
    if (m_ready) {
        m_filters->refreshChoices();
        m_model->fetchArrivals();
    }
}

bool GalleryView::isShowingEmptyState() const {
    return m_stack->currentWidget() == m_empty;
}

bool GalleryView::isBusy() const {
    return m_model->isLoading() || m_thumbnails->isBusy() || m_searchDebounce.isActive();
}

void GalleryView::applyQuery() {
    m_searchDebounce.stop();
    ripen::AssetQuery query = m_scope;
    query.search = m_search->text().trimmed().toStdString();
    m_filters->applyTo(query);
    m_model->setQuery(query);
    m_grid->scrollToTop();
}

void GalleryView::updateState() {
    const QLocale locale;
    const qint64 total = m_model->totalCount();
    if (total < 0) {
        m_count->clear();
    } else {
        m_count->setText(total == 1 ? tr("1 asset") : tr("%1 assets").arg(locale.toString(total)));
    }

    if (!m_ready) {
        m_empty->setContent(tr("Opening library…"), QString());
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    if (!m_model->hasLoaded() || m_model->rowCount() > 0) {
        m_stack->setCurrentWidget(m_grid);
        return;
    }
    const QString search = m_search->text().trimmed();
    if (m_filters->isActive()) {
        m_empty->setContent(tr("No matches"),
                            tr("No asset passes the filters above. Loosen them, or clear them "
                               "all to see every asset in this scope."),
                            tr("Clear Filters"));
    } else if (!search.isEmpty()) {
        m_empty->setContent(tr("No matches"),
                            tr("Nothing here matches “%1”. Try fewer or shorter words, or press "
                               "Esc to clear the search.")
                                .arg(search));
    } else if (m_scope.project || m_scope.client) {
        m_empty->setContent(
            m_scope.project ? tr("No assets in this project") : tr("No assets for this client"),
            tr("Choose “All assets” in the sidebar to see everything in the library."));
    } else {
        m_empty->setContent(tr("No assets yet"),
                            tr("Drag images or folders here, or use File > Import (Ctrl+I)."),
                            tr("Import Files…"));
    }
    m_stack->setCurrentWidget(m_empty);
}

} // namespace ripen::ui
