#pragma once

#include "AssetDetails.h"
#include "AssetRecord.h"
#include "CatalogRestoreSummary.h"
#include "CurationChange.h"
#include "ExportSummary.h"
#include "FilterChoices.h"
#include "LibraryOverview.h"
#include "catalog/AssetQuery.h"
#include "catalog/Exporter.h"
#include "catalog/Importer.h"
#include "common/Error.h"
#include "video/ClipCutter.h"
#include "video/StillMove.h"

#include <QImage>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace ripen::ui {

class JobLane;

// The UI's only door into core. It owns the library root and runs every piece of core
// work on worker threads, each with its own core connection (a Catalog is one SQLite
// connection, used by one thread at a time):
//   - the reader lane (one thread) opens the library once and answers queries in order;
//   - the import lane (one thread) runs imports one after another, each opening its own
//     Library.
// Results come back as signals emitted on the GUI thread, so receivers may connect with
// the default connection type and touch widgets directly. Requests return an id that the
// matching result carries, so a caller can drop answers it no longer wants.
//
// Thread affinity: create, call and destroy on the GUI thread. The destructor cancels
// running imports and waits for the workers.
class CoreBridge final : public QObject {
    Q_OBJECT
public:
    using RequestId = quint64;

    explicit CoreBridge(std::filesystem::path libraryRoot, QObject* parent = nullptr);
    ~CoreBridge() override;
    CoreBridge(const CoreBridge&) = delete;
    CoreBridge& operator=(const CoreBridge&) = delete;

    const std::filesystem::path& libraryRoot() const { return m_root; }
    QString libraryRootText() const;

    // True once libraryOpened has been emitted.
    bool isOpen() const { return m_open; }
    bool isImporting() const { return m_importsPending > 0; }
    // Whether any request is still being worked on (for tests and the screenshot tool).
    bool isBusy() const {
        return m_requestsPending > 0 || m_importsPending > 0 || m_exportCancel != nullptr ||
               m_moveCancel != nullptr;
    }

    // Opens (creating if missing) the library; answers libraryOpened or libraryOpenFailed.
    // With `mustExist` a folder that holds no library yet fails (NotFound) instead, so that
    // File > Open Library… never turns a random folder into one.
    void openLibrary(bool mustExist = false);
    // After libraryOpenFailed for a damaged catalog: puts the newest verified backup in its
    // place on the reader lane, through the same core path as `ripen-cli catalog restore`
    // (the damaged catalog is kept beside it, queued jobs wait as interrupted), then opens
    // the library again. Answers catalogRestored, then libraryOpened (or libraryOpenFailed);
    // or catalogRestoreFailed (no backup, a damaged backup). Only while the library is not
    // open.
    void restoreNewestBackup();
    // Stops the work in flight (imports, export, move, the job runner), then, on a worker
    // thread, waits for the lanes and closes the library's connection; emits libraryClosed
    // once nothing of the bridge runs any more, so that deleting it then does not block the
    // GUI thread. Send no request after calling it.
    void closeLibrary();
    // Answers assetsReady or requestFailed. The query's limit and offset page the result.
    RequestId queryAssets(const ripen::AssetQuery& query);
    // Answers assetCountReady or requestFailed; limit and offset are ignored.
    RequestId countAssets(const ripen::AssetQuery& query);
    // Answers overviewReady or requestFailed.
    RequestId loadOverview();

    // Queues an import of files and folders (recursive). Emits importStarted, then
    // importProgress and importOutcome while it runs, and importFinished at the end.
    void importPaths(const QStringList& paths, const ripen::ImportOptions& options = {});
    // Asks the running and queued imports to stop after the current file.
    void cancelImport();

    // Curation. Writes run on the reader lane (the one connection that also answers the
    // queries, so a query sent after a write sees it), one catalog transaction each.
    // Answers curationApplied with the same change once it is committed, or requestFailed.
    RequestId applyCuration(const CurationChange& change);
    // Answers assetDetailsReady or requestFailed.
    RequestId loadAssetDetails(ripen::AssetId id);
    // Answers notesSaved or requestFailed.
    RequestId saveNotes(ripen::AssetId id, const QString& notes);
    // Answers filterChoicesReady or requestFailed.
    RequestId loadFilterChoices();
    // Sets a project's or client's hard cap in USD micro-units (nullopt removes it), as
    // `ripen-cli budget set` does: the project or client is created when missing, and the
    // next queued job is checked against the new cap. `scope` is "project" or "client".
    // Answers budgetSet or requestFailed.
    RequestId setBudget(const QString& scope, const QString& name,
                        std::optional<std::int64_t> limitUsdMicros);
    // Exports the assets into `folder` on the export lane (its own connection). Emits
    // exportProgress while it runs and exportFinished at the end; one export at a time.
    void exportAssets(const std::vector<ripen::AssetId>& ids, const QString& folder,
                      const ripen::ExportOptions& options);
    // Asks a running export to stop after the current file.
    void cancelExport();
    bool isExporting() const { return m_exportCancel != nullptr; }
    // The job queue (generation, its runner and the ledger), on its own worker lanes. A job
    // that stores assets emits libraryChanged, as an import does.
    JobLane& jobs() { return *m_jobs; }

    // Inpaint editor. Keeps a painted mask (Format_Grayscale8, the image's size, 255 =
    // change) as a mask asset of `image` (PNG-encoded on the reader lane); answers maskSaved
    // with the mask's record, or requestFailed.
    RequestId saveMask(ripen::AssetId image, const QImage& mask);
    // Makes an inpaint result the master (stage master, flag pick, one transaction);
    // answers masterAccepted, then libraryChanged, or requestFailed.
    RequestId acceptAsMaster(ripen::AssetId result);

    // Motion view. Renders a camera move over the image asset `keyframe` into an H.264 MP4
    // on the motion lane (one render at a time, its own connection) and keeps it as a video
    // asset, child of the keyframe. Emits moveProgress while it runs, then moveRendered
    // (and libraryChanged) or requestFailed; cancelMove stops it with no file left behind.
    RequestId renderMove(ripen::AssetId keyframe, const ripen::StillMoveRequest& request);
    void cancelMove();
    bool isRenderingMove() const { return m_moveCancel != nullptr; }
    // Cuts the video asset `clip` into segments of `everySeconds` (stream-copied where the
    // cuts fall on keyframes), or extracts its poster frame (the sharpest of its middle),
    // on the motion lane; each piece becomes an asset, child of the clip. Answer
    // clipDerived with the new assets (and libraryChanged), or requestFailed.
    RequestId cutClip(ripen::AssetId clip, double everySeconds);
    RequestId extractPosterFrame(ripen::AssetId clip);
    // Renders a keyframed path (`pathJson`, a path file's text) over `keyframe` as
    // renderMove does, through the same code as `ripen-cli video move path:FILE`; the
    // clip's provenance keeps the keys. Answers moveRendered or requestFailed.
    RequestId renderPath(ripen::AssetId keyframe, ripen::StillMoveRequest request,
                         std::string pathJson);
    // Cuts the video asset `clip` where `choice` says (every N s, at scene changes, at
    // in/out points), each segment reframed to `aspect` (width / height) about `anchor`
    // when one is given. Answers clipDerived, as cutClip does.
    RequestId cutClip(ripen::AssetId clip, const ripen::CutChoice& choice,
                      std::optional<double> aspect, ripen::CropAnchor anchor);

    // Collections (the sidebar's COLLECTIONS), written on the reader lane. Each answers
    // collectionsChanged with the collection's id once committed, or requestFailed (an
    // empty or taken name, an unknown collection or asset). Creating with assets is two
    // transactions: the collection, then its members.
    RequestId createCollection(const QString& name, const std::vector<ripen::AssetId>& assets = {});
    RequestId renameCollection(qint64 collection, const QString& name);
    RequestId deleteCollection(qint64 collection);
    RequestId addToCollection(qint64 collection, const std::vector<ripen::AssetId>& assets);
    RequestId removeFromCollection(qint64 collection, const std::vector<ripen::AssetId>& assets);

signals:
    void libraryOpened(const ripen::ui::LibraryOverview& overview);
    void libraryOpenFailed(const ripen::Error& error);
    void libraryClosed();
    void catalogRestored(const ripen::ui::CatalogRestoreSummary& summary);
    void catalogRestoreFailed(const ripen::Error& error);
    // The daily catalog backup could not be taken (a damaged catalog, a full disk).
    void backupFailed(const ripen::Error& error);

    void assetsReady(quint64 request, const ripen::ui::AssetRecords& records);
    void assetCountReady(quint64 request, qint64 count);
    void overviewReady(quint64 request, const ripen::ui::LibraryOverview& overview);
    void requestFailed(quint64 request, const ripen::Error& error);

    void importStarted(int pathCount);
    void importProgress(qint64 done, qint64 total, const QString& message);
    void importOutcome(const ripen::ImportOutcome& outcome);
    void importFinished(const ripen::ImportSummary& summary);

    // The catalog changed under the current views (an import added assets).
    void libraryChanged();
    // Emitted beside libraryChanged when that change only added assets (results landed,
    // files imported), so that a view can fetch just the new rows.
    void assetsAdded();

    void curationApplied(quint64 request, const ripen::ui::CurationChange& change);
    void assetDetailsReady(quint64 request, const ripen::ui::AssetDetails& details);
    void notesSaved(quint64 request, qint64 assetId, const QString& notes);
    void filterChoicesReady(quint64 request, const ripen::ui::FilterChoices& choices);
    void budgetSet(quint64 request, const QString& scope, const QString& name);
    void exportProgress(qint64 done, qint64 total, const QString& message);
    void exportFinished(const ripen::ui::ExportSummary& summary);
    void maskSaved(quint64 request, const ripen::ui::AssetRecord& mask);
    void masterAccepted(quint64 request, qint64 assetId);
    void moveProgress(qint64 done, qint64 total);
    void moveRendered(quint64 request, const ripen::ui::AssetRecord& clip);
    void clipDerived(quint64 request, const ripen::ui::AssetRecords& assets);
    void collectionsChanged(quint64 request, qint64 collection);

private:
    void backUpCatalogIfDue();
    struct ReaderState;
    template <class Work, class Done> void runOnReader(Work work, Done done);
    template <class Work, class Done> void runOnMotion(RequestId id, Work work, Done done);
    RequestId writeCollections(std::function<Result<std::int64_t>(ripen::Collections&)> write);

    std::filesystem::path m_root;
    std::shared_ptr<ReaderState> m_reader; // touched only by reader-lane tasks
    QThreadPool m_readerPool;
    QThreadPool m_importPool;
    QThreadPool m_exportPool;
    std::shared_ptr<std::atomic<bool>> m_exportCancel;               // set while an export runs
    std::vector<std::shared_ptr<std::atomic<bool>>> m_importCancels; // queued or running
    RequestId m_nextRequest = 1;
    int m_requestsPending = 0;
    int m_importsPending = 0;
    bool m_open = false;
    std::unique_ptr<JobLane> m_jobs;
    QThreadPool m_motionPool;
    std::shared_ptr<std::atomic<bool>> m_moveCancel; // set while a move renders
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::Error)
Q_DECLARE_METATYPE(ripen::ImportOutcome)
Q_DECLARE_METATYPE(ripen::ImportSummary)
