#pragma once

#include "AssetRecord.h"
#include "CurationChange.h"
#include "catalog/AssetQuery.h"
#include "common/Error.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPixmap>
#include <QSet>
#include <cstdint>

namespace ripen::ui {

class CoreBridge;
class ThumbnailCache;

// A flat list of catalog assets for a query, fetched through the CoreBridge in pages
// (kFirstPage rows, then kPageSize per fetchMore) so that a 100k-asset library neither
// stalls the GUI thread nor loads rows nobody scrolls to. Thumbnails come from a
// ThumbnailCache: data(DecorationRole) never blocks, and a landed thumbnail repaints its
// row only.
//
// Thread affinity: GUI thread.
class GalleryModel final : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        AssetIdRole = Qt::UserRole + 1,
        Sha256Role,
        KindRole,       // int(ripen::AssetKind)
        RatingRole,     // 0-5
        FlagRole,       // int(ripen::Flag)
        ColorLabelRole, // int(ripen::ColorLabel)
        StageRole,      // int(ripen::Stage)
        PixelSizeRole,  // QSize in pixels
        PromptRole,
        ThumbnailStateRole, // int(ThumbnailCache::State)
    };

    static constexpr int kFirstPage = 200;
    static constexpr int kPageSize = 500;

    GalleryModel(CoreBridge& bridge, ThumbnailCache& thumbnails, QObject* parent = nullptr);

    // Replaces the rows with the first page of `query` (its limit and offset are ignored).
    void setQuery(const ripen::AssetQuery& query);
    const ripen::AssetQuery& query() const { return m_query; }
    // Fetches the current query again from the start.
    void reload();
    // Fetches the loaded rows again and merges them in place: assets that arrived are
    // inserted where the query puts them and assets that left are removed, so the view
    // keeps its selection and scroll position while results land. A changed order falls
    // back to a reload.
    void refresh();
    // Fetches only the assets added since the loaded rows were (results landing, imports)
    // and puts them on top; the loaded rows are neither fetched again nor touched, so the
    // view keeps its selection and scroll position and a burst of results costs the GUI
    // thread only the new rows. Assets that changed or left are not noticed: that takes
    // refresh(), which this falls back to where the arrivals do not simply go on top
    // (oldest-first order, nothing loaded yet, a page in flight, a whole page arrived, an
    // arrival that sorts below the first row).
    void fetchArrivals();

    // Rows matching the query in the catalog; -1 until the count has arrived.
    qint64 totalCount() const { return m_totalCount; }
    bool isLoading() const { return m_pageRequest != 0 || m_countRequest != 0; }
    // False until the first page of the current query has arrived.
    bool hasLoaded() const { return m_loaded; }
    const AssetRecord* recordAt(int row) const;
    // The row showing asset `id`, or -1 when it is not loaded.
    int rowOf(ripen::AssetId id) const;
    // Starts loading the thumbnails of `rows` (nearest first) behind any a paint asked for,
    // so they are ready when the user scrolls there. Rows not loaded are skipped.
    void prefetchThumbnails(const QList<int>& rows);

    // Sends a culling change to the catalog. The rows change when the bridge confirms the
    // write (dataChanged for each); a failed write leaves them and emits curationFailed.
    void applyCuration(const CurationChange& change);
    bool isSavingCuration() const { return !m_curationRequests.isEmpty(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    // Dragged assets travel as AssetDragData (ids and blob files), e.g. to the generation
    // panel's references.
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;

signals:
    void loadingChanged(bool loading);
    void totalCountChanged(qint64 count);
    void loadFailed(const QString& message);
    void curationFailed(const QString& message);
    // A confirmed change was applied to the loaded rows it names.
    void curationApplied(const ripen::ui::CurationChange& change);

private:
    void requestPage(int size);
    void onAssetsReady(quint64 request, const ripen::ui::AssetRecords& records);
    void onCountReady(quint64 request, qint64 count);
    void onRequestFailed(quint64 request, const ripen::Error& error);
    void onThumbnailChanged(const QString& key);
    void onCurationApplied(quint64 request, const ripen::ui::CurationChange& change);
    void setLoading(bool wasLoading);
    void requestLoadedRows();
    void mergeRows(const ripen::ui::AssetRecords& fresh);
    // False when `arrivals` cannot all go on top (the caller refreshes instead).
    bool insertArrivals(const ripen::ui::AssetRecords& arrivals);
    void resetRows(const ripen::ui::AssetRecords& fresh);
    void rebuildRowMaps();

    CoreBridge& m_bridge;
    ThumbnailCache& m_thumbnails;
    ripen::AssetQuery m_query;
    AssetRecords m_records;
    QHash<QString, int> m_rowByKey;   // SHA-256 -> row, for thumbnail repaints
    QHash<qint64, int> m_rowById;     // asset id -> row, for curation updates
    QSet<quint64> m_curationRequests; // writes in flight
    quint64 m_pageRequest = 0;        // in flight, 0 when none
    int m_pageRequested = 0;
    // What the page in flight is for: the next rows, all loaded rows again (refresh()), or
    // the rows that arrived since the newest one (fetchArrivals()).
    enum class PageKind { Next, Refresh, Arrivals };
    PageKind m_pageKind = PageKind::Next;
    quint64 m_countRequest = 0;
    qint64 m_totalCount = -1;
    bool m_exhausted = false;
    bool m_loaded = false;
    mutable QPixmap m_placeholder;
};

} // namespace ripen::ui
