#include "gallery/GalleryModel.h"

#include "CoreBridge.h"
#include "gallery/ThumbnailCache.h"
#include "generate/AssetDragData.h"

#include <QFileInfo>
#include <QLocale>
#include <QMimeData>
#include <QSize>
#include <algorithm>
#include <utility>

namespace ripen::ui {

namespace {

QString displayName(const ripen::Asset& asset) {
    if (!asset.sourcePath.empty()) {
        return QFileInfo(QString::fromStdString(asset.sourcePath)).fileName();
    }
    return QStringLiteral("#%1").arg(asset.id);
}

QString toolTip(const ripen::Asset& asset) {
    QStringList lines;
    lines << QStringLiteral("<b>%1</b>").arg(displayName(asset).toHtmlEscaped());
    lines << QStringLiteral("%1 × %2 px · %3 · %4")
                 .arg(asset.width)
                 .arg(asset.height)
                 .arg(QString::fromStdString(asset.format).toUpper(),
                      QLocale().formattedDataSize(asset.byteSize));
    if (!asset.project.empty()) {
        lines << QObject::tr("Project: %1")
                     .arg(QString::fromStdString(asset.project).toHtmlEscaped());
    }
    if (!asset.generation.modelId.empty()) {
        lines << QObject::tr("Model: %1")
                     .arg(QString::fromStdString(asset.generation.modelId).toHtmlEscaped());
    }
    if (!asset.generation.prompt.empty()) {
        QString prompt = QString::fromStdString(asset.generation.prompt);
        if (prompt.size() > 280) {
            prompt = prompt.left(280) + QChar(0x2026);
        }
        lines << QStringLiteral("<i>%1</i>").arg(prompt.toHtmlEscaped());
    }
    return QStringLiteral("<p style='white-space:pre-wrap; max-width:360px'>%1</p>")
        .arg(lines.join(QStringLiteral("<br>")));
}

} // namespace

GalleryModel::GalleryModel(CoreBridge& bridge, ThumbnailCache& thumbnails, QObject* parent)
    : QAbstractListModel(parent), m_bridge(bridge), m_thumbnails(thumbnails) {
    connect(&m_bridge, &CoreBridge::assetsReady, this, &GalleryModel::onAssetsReady);
    connect(&m_bridge, &CoreBridge::assetCountReady, this, &GalleryModel::onCountReady);
    connect(&m_bridge, &CoreBridge::requestFailed, this, &GalleryModel::onRequestFailed);
    connect(&m_bridge, &CoreBridge::curationApplied, this, &GalleryModel::onCurationApplied);
    connect(&m_thumbnails, &ThumbnailCache::thumbnailReady, this,
            &GalleryModel::onThumbnailChanged);
    connect(&m_thumbnails, &ThumbnailCache::thumbnailFailed, this,
            &GalleryModel::onThumbnailChanged);
}

void GalleryModel::setQuery(const ripen::AssetQuery& query) {
    const bool wasLoading = isLoading();
    beginResetModel();
    m_query = query;
    m_query.limit = -1;
    m_query.offset = 0;
    m_records.clear();
    m_rowByKey.clear();
    m_rowById.clear();
    m_pageRequest = 0; // answers to older requests are ignored from now on
    m_pageKind = PageKind::Next;
    m_countRequest = 0;
    m_totalCount = -1;
    m_exhausted = false;
    m_loaded = false;
    endResetModel();
    m_countRequest = m_bridge.countAssets(m_query);
    requestPage(kFirstPage);
    setLoading(wasLoading);
}

void GalleryModel::reload() {
    setQuery(m_query);
}

void GalleryModel::refresh() {
    if (!m_loaded || m_pageRequest != 0) {
        setQuery(m_query); // nothing to keep yet, or a page in flight at a stale offset
        return;
    }
    const bool wasLoading = isLoading();
    requestLoadedRows();
    setLoading(wasLoading);
}

void GalleryModel::requestLoadedRows() {
    ripen::AssetQuery loaded = m_query;
    loaded.offset = 0;
    // Room for what landed since, so the rows already shown are not pushed out.
    loaded.limit = static_cast<std::int64_t>(m_records.size()) + kPageSize;
    m_pageRequested = static_cast<int>(loaded.limit);
    m_pageKind = PageKind::Refresh;
    m_pageRequest = m_bridge.queryAssets(loaded);
    m_countRequest = m_bridge.countAssets(m_query);
}

void GalleryModel::fetchArrivals() {
    if (!m_loaded || m_pageRequest != 0 || m_records.empty() ||
        m_query.order != ripen::AssetQuery::Order::NewestFirst) {
        refresh();
        return;
    }
    const bool wasLoading = isLoading();
    // A new row gets a higher id than any present, so what arrived is above the highest
    // loaded id (rows not loaded yet may be there too: insertArrivals sorts that out).
    ripen::AssetQuery since = m_query;
    ripen::AssetId highest = 0;
    for (const AssetRecord& record : m_records) {
        highest = std::max(highest, record.asset.id);
    }
    since.idAbove = highest;
    since.offset = 0;
    since.limit = kPageSize;
    m_pageRequested = kPageSize;
    m_pageKind = PageKind::Arrivals;
    m_pageRequest = m_bridge.queryAssets(since);
    m_countRequest = m_bridge.countAssets(m_query);
    setLoading(wasLoading);
}

bool GalleryModel::insertArrivals(const AssetRecords& arrivals) {
    if (m_records.empty() || static_cast<int>(arrivals.size()) >= kPageSize) {
        return false; // nothing to place them by, or more than one page: re-list instead
    }
    // The order is (imported_at, id) descending. Arrivals go on top only when they all
    // sort above the first row, as results and imports stamped "now" do; one that belongs
    // further down (a clock set back, rows not loaded yet) needs the full merge.
    const ripen::Asset& first = m_records.front().asset;
    AssetRecords fresh;
    for (const AssetRecord& record : arrivals) {
        if (m_rowById.contains(record.asset.id)) {
            continue;
        }
        if (std::pair(record.asset.importedAtMs, record.asset.id) <
            std::pair(first.importedAtMs, first.id)) {
            return false;
        }
        fresh.push_back(record);
    }
    if (fresh.empty()) {
        return true;
    }
    const int added = static_cast<int>(fresh.size());
    beginInsertRows({}, 0, added - 1);
    m_records.insert(m_records.begin(), fresh.begin(), fresh.end());
    for (auto it = m_rowByKey.begin(); it != m_rowByKey.end(); ++it) {
        *it += added;
    }
    for (auto it = m_rowById.begin(); it != m_rowById.end(); ++it) {
        *it += added;
    }
    for (int row = 0; row < added; ++row) {
        const ripen::Asset& asset = m_records[static_cast<std::size_t>(row)].asset;
        m_rowByKey.insert(QString::fromStdString(asset.sha256), row);
        m_rowById.insert(asset.id, row);
    }
    endInsertRows();
    return true;
}

void GalleryModel::mergeRows(const AssetRecords& fresh) {
    QHash<qint64, int> freshRow;
    for (std::size_t i = 0; i < fresh.size(); ++i) {
        freshRow.insert(fresh[i].asset.id, static_cast<int>(i));
    }
    // Rows that stay must keep their order, or inserts and removes cannot describe it.
    int previous = -1;
    for (const AssetRecord& record : m_records) {
        const auto it = freshRow.constFind(record.asset.id);
        if (it != freshRow.constEnd()) {
            if (*it < previous) {
                resetRows(fresh);
                return;
            }
            previous = *it;
        }
    }
    // Assets that left the result, bottom up in contiguous runs.
    for (int row = static_cast<int>(m_records.size()) - 1; row >= 0;) {
        if (freshRow.contains(m_records[static_cast<std::size_t>(row)].asset.id)) {
            --row;
            continue;
        }
        const int last = row;
        while (row >= 0 && !freshRow.contains(m_records[static_cast<std::size_t>(row)].asset.id)) {
            --row;
        }
        beginRemoveRows({}, row + 1, last);
        m_records.erase(m_records.begin() + row + 1, m_records.begin() + last + 1);
        endRemoveRows();
    }
    // What remains is a subsequence of `fresh`: everything else in it is new.
    std::size_t at = 0;
    for (std::size_t i = 0; i < fresh.size();) {
        if (at < m_records.size() && m_records[at].asset.id == fresh[i].asset.id) {
            m_records[at++] = fresh[i++];
            continue;
        }
        std::size_t end = i;
        while (end < fresh.size() &&
               (at >= m_records.size() || m_records[at].asset.id != fresh[end].asset.id)) {
            ++end;
        }
        const int first = static_cast<int>(at);
        beginInsertRows({}, first, first + static_cast<int>(end - i) - 1);
        m_records.insert(m_records.begin() + first, fresh.begin() + static_cast<long>(i),
                         fresh.begin() + static_cast<long>(end));
        endInsertRows();
        at += end - i;
        i = end;
    }
    rebuildRowMaps();
    if (!m_records.empty()) {
        emit dataChanged(index(0), index(static_cast<int>(m_records.size()) - 1));
    }
}

void GalleryModel::resetRows(const AssetRecords& fresh) {
    beginResetModel();
    m_records = fresh;
    rebuildRowMaps();
    endResetModel();
}

void GalleryModel::rebuildRowMaps() {
    m_rowByKey.clear();
    m_rowById.clear();
    for (std::size_t row = 0; row < m_records.size(); ++row) {
        m_rowByKey.insert(QString::fromStdString(m_records[row].asset.sha256),
                          static_cast<int>(row));
        m_rowById.insert(m_records[row].asset.id, static_cast<int>(row));
    }
}

const AssetRecord* GalleryModel::recordAt(int row) const {
    if (row < 0 || static_cast<std::size_t>(row) >= m_records.size()) {
        return nullptr;
    }
    return &m_records[static_cast<std::size_t>(row)];
}

void GalleryModel::prefetchThumbnails(const QList<int>& rows) {
    for (const int row : rows) {
        if (const AssetRecord* record = recordAt(row)) {
            m_thumbnails.prefetch(QString::fromStdString(record->asset.sha256),
                                  record->thumbnailFile, record->blobFile);
        }
    }
}

int GalleryModel::rowOf(ripen::AssetId id) const {
    return m_rowById.value(id, -1);
}

void GalleryModel::applyCuration(const CurationChange& change) {
    if (change.ids.empty()) {
        return;
    }
    m_curationRequests.insert(m_bridge.applyCuration(change));
}

void GalleryModel::onCurationApplied(quint64 request, const CurationChange& change) {
    m_curationRequests.remove(request);
    // Every confirmed write updates the rows, whoever asked (the inspector, say).
    for (const ripen::AssetId id : change.ids) {
        const int row = rowOf(id);
        if (row < 0) {
            continue;
        }
        change.applyTo(m_records[static_cast<std::size_t>(row)].asset);
        const QModelIndex changed = index(row);
        emit dataChanged(changed, changed, {RatingRole, FlagRole, ColorLabelRole, Qt::ToolTipRole});
    }
    emit curationApplied(change);
}

int GalleryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_records.size());
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const {
    const AssetRecord* record = index.isValid() ? recordAt(index.row()) : nullptr;
    if (record == nullptr) {
        return {};
    }
    const ripen::Asset& asset = record->asset;
    switch (role) {
    case Qt::DisplayRole:
        return displayName(asset);
    case Qt::ToolTipRole:
        return toolTip(asset);
    case Qt::DecorationRole: {
        const QString key = QString::fromStdString(asset.sha256);
        const QPixmap pixmap = m_thumbnails.thumbnail(key, record->thumbnailFile, record->blobFile);
        if (!pixmap.isNull()) {
            return pixmap;
        }
        if (m_placeholder.isNull()) {
            m_placeholder = QPixmap(16, 16);
            m_placeholder.fill(Qt::transparent);
        }
        return m_placeholder;
    }
    case AssetIdRole:
        return QVariant::fromValue<qint64>(asset.id);
    case Sha256Role:
        return QString::fromStdString(asset.sha256);
    case KindRole:
        return static_cast<int>(asset.kind);
    case RatingRole:
        return asset.rating;
    case FlagRole:
        return static_cast<int>(asset.flag);
    case ColorLabelRole:
        return static_cast<int>(asset.colorLabel);
    case StageRole:
        return static_cast<int>(asset.stage);
    case PixelSizeRole:
        return QSize(asset.width, asset.height);
    case PromptRole:
        return QString::fromStdString(asset.generation.prompt);
    case ThumbnailStateRole:
        return static_cast<int>(m_thumbnails.state(QString::fromStdString(asset.sha256)));
    default:
        return {};
    }
}

Qt::ItemFlags GalleryModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren |
           Qt::ItemIsDragEnabled;
}

QStringList GalleryModel::mimeTypes() const {
    return {AssetDragData::mimeType()};
}

QMimeData* GalleryModel::mimeData(const QModelIndexList& indexes) const {
    std::vector<AssetDragData::Item> items;
    for (const QModelIndex& index : indexes) {
        if (const AssetRecord* record = index.isValid() ? recordAt(index.row()) : nullptr) {
            items.push_back({record->asset.id, record->blobFile});
        }
    }
    return items.empty() ? nullptr : AssetDragData::encode(items);
}

QHash<int, QByteArray> GalleryModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(AssetIdRole, "assetId");
    names.insert(Sha256Role, "sha256");
    names.insert(KindRole, "kind");
    names.insert(RatingRole, "rating");
    names.insert(FlagRole, "flag");
    names.insert(ColorLabelRole, "colorLabel");
    names.insert(StageRole, "stage");
    names.insert(PixelSizeRole, "pixelSize");
    names.insert(PromptRole, "prompt");
    names.insert(ThumbnailStateRole, "thumbnailState");
    return names;
}

bool GalleryModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && m_loaded && !m_exhausted && m_pageRequest == 0;
}

void GalleryModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent)) {
        return;
    }
    const bool wasLoading = isLoading();
    requestPage(kPageSize);
    setLoading(wasLoading);
}

void GalleryModel::requestPage(int size) {
    ripen::AssetQuery page = m_query;
    page.offset = static_cast<std::int64_t>(m_records.size());
    page.limit = size;
    m_pageRequested = size;
    m_pageRequest = m_bridge.queryAssets(page);
}

void GalleryModel::onAssetsReady(quint64 request, const AssetRecords& records) {
    if (request == 0 || request != m_pageRequest) {
        return;
    }
    const bool wasLoading = isLoading();
    // m_pageRequest stays set while rows go in, so that a view or tester reacting to the
    // insertion cannot start a second fetch from a stale offset.
    const PageKind kind = std::exchange(m_pageKind, PageKind::Next);
    if (kind == PageKind::Arrivals) {
        const bool inserted = insertArrivals(records);
        m_pageRequest = 0;
        if (!inserted) {
            requestLoadedRows();
        }
        setLoading(wasLoading);
        return;
    }
    if (kind == PageKind::Refresh) {
        mergeRows(records);
    } else if (!records.empty()) {
        const int first = static_cast<int>(m_records.size());
        beginInsertRows({}, first, first + static_cast<int>(records.size()) - 1);
        m_records.reserve(m_records.size() + records.size());
        for (const AssetRecord& record : records) {
            m_rowByKey.insert(QString::fromStdString(record.asset.sha256),
                              static_cast<int>(m_records.size()));
            m_rowById.insert(record.asset.id, static_cast<int>(m_records.size()));
            m_records.push_back(record);
        }
        endInsertRows();
    }
    m_pageRequest = 0;
    m_loaded = true;
    m_exhausted = static_cast<int>(records.size()) < m_pageRequested;
    setLoading(wasLoading);
}

void GalleryModel::onCountReady(quint64 request, qint64 count) {
    if (request == 0 || request != m_countRequest) {
        return;
    }
    const bool wasLoading = isLoading();
    m_countRequest = 0;
    m_totalCount = count;
    emit totalCountChanged(count);
    setLoading(wasLoading);
}

void GalleryModel::onRequestFailed(quint64 request, const ripen::Error& error) {
    if (m_curationRequests.remove(request)) {
        emit curationFailed(QString::fromStdString(error.message));
        return;
    }
    if (request == 0 || (request != m_pageRequest && request != m_countRequest)) {
        return;
    }
    const bool wasLoading = isLoading();
    if (request == m_pageRequest) {
        m_pageRequest = 0;
        m_pageKind = PageKind::Next;
        m_loaded = true;
        m_exhausted = true; // do not retry in a loop; reload() tries again
    } else {
        m_countRequest = 0;
    }
    emit loadFailed(QString::fromStdString(error.message));
    setLoading(wasLoading);
}

void GalleryModel::onThumbnailChanged(const QString& key) {
    const auto it = m_rowByKey.constFind(key);
    if (it == m_rowByKey.constEnd()) {
        return;
    }
    const QModelIndex changed = index(*it);
    emit dataChanged(changed, changed, {Qt::DecorationRole, ThumbnailStateRole});
}

void GalleryModel::setLoading(bool wasLoading) {
    if (wasLoading != isLoading()) {
        emit loadingChanged(isLoading());
    }
}

} // namespace ripen::ui
