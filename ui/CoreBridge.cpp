#include "CoreBridge.h"

#include "PathText.h"
#include "catalog/CatalogBackup.h"
#include "catalog/DailyMaintenance.h"
#include "catalog/Library.h"
#include "catalog/MaskAsset.h"
#include "catalog/MasterChoice.h"
#include "common/FileIo.h"
#include "credits/Ledger.h"
#include "internal/BackgroundPriority.h"
#include "internal/QueuedProgressSink.h"
#include "queue/JobLane.h"
#include "video/ClipCutter.h"
#include "video/DerivedAsset.h"
#include "video/FrameExtractor.h"

#include <QBuffer>
#include <QDateTime>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>
#include <exception>
#include <type_traits>
#include <utility>

namespace ripen::ui {

// The reader lane's connection. Created by the first openLibrary task and used only by
// tasks on m_readerPool (one thread, so one at a time); destroyed after that pool drains.
struct CoreBridge::ReaderState {
    std::unique_ptr<ripen::Library> library;
};

namespace {

Result<ripen::Library*> requireLibrary(const std::unique_ptr<ripen::Library>& library,
                                       const std::filesystem::path& root) {
    if (!library) {
        return fail(ErrorCode::NotFound, "the library at " + root.string() + " is not open");
    }
    return library.get();
}

Result<LibraryOverview> readOverview(ripen::Library& library) {
    LibraryOverview overview;
    auto& catalog = library.catalog();
    overview.schemaVersion = catalog.schemaVersion();
    auto count = catalog.count(ripen::AssetQuery{});
    if (!count) {
        return std::unexpected(count.error());
    }
    overview.assetCount = *count;
    auto projects = catalog.projects();
    if (!projects) {
        return std::unexpected(projects.error());
    }
    overview.projects = std::move(*projects);
    auto clients = catalog.clients();
    if (!clients) {
        return std::unexpected(clients.error());
    }
    overview.clients = std::move(*clients);
    auto collections = ripen::Collections(catalog).list();
    if (!collections) {
        return std::unexpected(collections.error());
    }
    overview.collections = std::move(*collections);
    return overview;
}

AssetRecords toRecords(const ripen::Library& library, std::vector<ripen::Asset> assets) {
    AssetRecords records;
    records.reserve(assets.size());
    for (auto& asset : assets) {
        AssetRecord record;
        record.thumbnailFile = PathText::fromPath(library.thumbnailFile(asset.sha256));
        record.blobFile = PathText::fromPath(library.blobFile(asset));
        record.asset = std::move(asset);
        records.push_back(std::move(record));
    }
    return records;
}

} // namespace

CoreBridge::CoreBridge(std::filesystem::path libraryRoot, QObject* parent)
    : QObject(parent), m_root(std::move(libraryRoot)), m_reader(std::make_shared<ReaderState>()) {
    m_readerPool.setMaxThreadCount(1);
    m_importPool.setMaxThreadCount(1);
    m_exportPool.setMaxThreadCount(1);
    m_motionPool.setMaxThreadCount(1);
    // Registered so that receivers may also connect with Qt::QueuedConnection.
    qRegisterMetaType<ripen::ui::AssetRecords>();
    qRegisterMetaType<ripen::ui::LibraryOverview>();
    qRegisterMetaType<ripen::Error>();
    qRegisterMetaType<ripen::ImportOutcome>();
    qRegisterMetaType<ripen::ImportSummary>();
    qRegisterMetaType<ripen::ui::CurationChange>();
    qRegisterMetaType<ripen::ui::AssetDetails>();
    qRegisterMetaType<ripen::ui::FilterChoices>();
    qRegisterMetaType<ripen::ui::ExportSummary>();
    qRegisterMetaType<ripen::ui::CatalogRestoreSummary>();
    m_jobs = std::make_unique<JobLane>(m_root);
    connect(m_jobs.get(), &JobLane::assetsAdded, this, &CoreBridge::libraryChanged);
    connect(m_jobs.get(), &JobLane::assetsAdded, this, &CoreBridge::assetsAdded);
}

CoreBridge::~CoreBridge() {
    cancelImport();
    cancelExport();
    cancelMove();
    m_motionPool.waitForDone();
    m_exportPool.waitForDone();
    m_importPool.waitForDone();
    m_readerPool.waitForDone();
    m_reader.reset();
}

QString CoreBridge::libraryRootText() const {
    return PathText::fromPath(m_root);
}

// Runs `work(ReaderState&) -> Result<T>` on the reader lane and `done(Result<T>)` on the
// GUI thread. Exceptions from core (there should be none) become Internal errors here.
template <class Work, class Done> void CoreBridge::runOnReader(Work work, Done done) {
    ++m_requestsPending;
    (void)QtConcurrent::run(&m_readerPool, [this, reader = m_reader, work = std::move(work),
                                            done = std::move(done)]() mutable {
        using R = std::invoke_result_t<Work&, ReaderState&>;
        R result = [&]() -> R {
            try {
                return work(*reader);
            } catch (const std::exception& e) {
                return fail(ErrorCode::Internal, std::string("unexpected error: ") + e.what());
            }
        }();
        QMetaObject::invokeMethod(
            this,
            [this, done = std::move(done), result = std::move(result)]() mutable {
                --m_requestsPending;
                done(std::move(result));
            },
            Qt::QueuedConnection);
    });
}

void CoreBridge::openLibrary(bool mustExist) {
    runOnReader(
        [root = m_root, mustExist](ReaderState& state) -> Result<LibraryOverview> {
            if (!state.library && mustExist &&
                !std::filesystem::is_regular_file(root / "catalog.sqlite")) {
                return fail(ErrorCode::NotFound,
                            "there is no Ripen library in " + root.string() +
                                " (no catalog.sqlite); use File > New Library… to make one");
            }
            if (!state.library) {
                // A damaged catalog is reported (with the backup to restore) before use.
                auto library = ripen::CatalogBackup::openChecked(root);
                if (!library) {
                    return std::unexpected(library.error());
                }
                state.library = std::move(*library);
            }
            return readOverview(*state.library);
        },
        [this](Result<LibraryOverview> result) {
            if (!result) {
                emit libraryOpenFailed(result.error());
                return;
            }
            m_open = true;
            emit libraryOpened(*result);
            backUpCatalogIfDue();
        });
}

void CoreBridge::restoreNewestBackup() {
    runOnReader(
        [root = m_root](ReaderState& state) -> Result<CatalogRestoreSummary> {
            if (state.library) {
                return fail(ErrorCode::Busy, "the library is open; close it before a restore");
            }
            auto restored = ripen::CatalogBackup::restoreNewest(root);
            if (!restored) {
                return std::unexpected(restored.error());
            }
            return CatalogRestoreSummary{PathText::fromPath(restored->backup.file),
                                         restored->backup.takenAtMs,
                                         PathText::fromPath(restored->keptAs)};
        },
        [this](Result<CatalogRestoreSummary> result) {
            if (!result) {
                emit catalogRestoreFailed(result.error());
                return;
            }
            emit catalogRestored(*result);
            openLibrary();
        });
}

void CoreBridge::closeLibrary() {
    cancelImport();
    cancelExport();
    cancelMove();
    m_open = false;
    // On the export lane (its export, if any, is cancelled): it waits for all the other
    // lanes, and the destructor waits for it.
    m_exportPool.start([this, reader = m_reader] {
        m_jobs->stopAndWait();
        m_motionPool.waitForDone();
        m_importPool.waitForDone();
        // The connection closes (and checkpoints) on the thread that used it.
        m_readerPool.start([reader] { reader->library.reset(); });
        m_readerPool.waitForDone();
        QMetaObject::invokeMethod(
            this, [this] { emit libraryClosed(); }, Qt::QueuedConnection);
    });
}

// A verified catalog backup a day, then the blobs crashes left unreferenced
// (DailyMaintenance), on the import lane so neither the GUI nor the queries wait for it.
void CoreBridge::backUpCatalogIfDue() {
    m_importPool.start([this, root = m_root] {
        auto library = ripen::Library::open(root);
        auto backup = library ? ripen::DailyMaintenance::runIfDue(**library)
                              : Result<ripen::DailyMaintenance::Done>(
                                    std::unexpected(library.error()));
        if (!backup) {
            QMetaObject::invokeMethod(
                this, [this, error = backup.error()] { emit backupFailed(error); },
                Qt::QueuedConnection);
        }
    });
}

CoreBridge::RequestId CoreBridge::queryAssets(const ripen::AssetQuery& query) {
    const RequestId id = m_nextRequest++;
    runOnReader(
        [root = m_root, query](ReaderState& state) -> Result<AssetRecords> {
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            auto assets = (*library)->catalog().find(query);
            if (!assets) {
                return std::unexpected(assets.error());
            }
            return toRecords(**library, std::move(*assets));
        },
        [this, id](Result<AssetRecords> result) {
            if (!result) {
                emit requestFailed(id, result.error());
                return;
            }
            emit assetsReady(id, *result);
        });
    return id;
}

CoreBridge::RequestId CoreBridge::countAssets(const ripen::AssetQuery& query) {
    const RequestId id = m_nextRequest++;
    ripen::AssetQuery unpaged = query;
    unpaged.limit = -1;
    unpaged.offset = 0;
    runOnReader(
        [root = m_root, unpaged](ReaderState& state) -> Result<std::int64_t> {
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            return (*library)->catalog().count(unpaged);
        },
        [this, id](Result<std::int64_t> result) {
            if (!result) {
                emit requestFailed(id, result.error());
                return;
            }
            emit assetCountReady(id, *result);
        });
    return id;
}

CoreBridge::RequestId CoreBridge::loadOverview() {
    const RequestId id = m_nextRequest++;
    runOnReader(
        [root = m_root](ReaderState& state) -> Result<LibraryOverview> {
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            return readOverview(**library);
        },
        [this, id](Result<LibraryOverview> result) {
            if (!result) {
                emit requestFailed(id, result.error());
                return;
            }
            emit overviewReady(id, *result);
        });
    return id;
}

void CoreBridge::importPaths(const QStringList& paths, const ripen::ImportOptions& options) {
    std::vector<std::filesystem::path> files;
    files.reserve(static_cast<std::size_t>(paths.size()));
    for (const QString& path : paths) {
        files.push_back(PathText::toPath(path));
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_importCancels.push_back(cancel);
    ++m_importsPending;
    const int pathCount = static_cast<int>(paths.size());

    (void)QtConcurrent::run(
        &m_importPool, [this, root = m_root, files = std::move(files), options, cancel, pathCount] {
            lowerCurrentThreadPriority();
            QMetaObject::invokeMethod(
                this, [this, pathCount] { emit importStarted(pathCount); }, Qt::QueuedConnection);
            const auto deliverOutcome = [this](const ripen::ImportOutcome& outcome) {
                QMetaObject::invokeMethod(
                    this, [this, outcome] { emit importOutcome(outcome); }, Qt::QueuedConnection);
            };
            QueuedProgressSink progress(this, cancel,
                                        [this](qint64 done, qint64 total, const QString& message) {
                                            emit importProgress(done, total, message);
                                        });

            ripen::ImportSummary summary;
            try {
                // Its own connection: the reader lane keeps answering queries meanwhile.
                auto library = ripen::Library::open(root);
                if (!library) {
                    deliverOutcome(ripen::ImportOutcome{false, root.string(), 0, library.error()});
                    summary.skipped = static_cast<int>(files.size());
                } else if (cancel->load()) {
                    summary.cancelled = true;
                } else {
                    ripen::Importer importer(**library);
                    summary = importer.importPaths(files, options, deliverOutcome, progress);
                }
            } catch (const std::exception& e) {
                deliverOutcome(ripen::ImportOutcome{
                    false, root.string(), 0,
                    ripen::Error{ErrorCode::Internal, std::string("import stopped: ") + e.what()}});
                ++summary.skipped;
            }

            QMetaObject::invokeMethod(
                this,
                [this, summary, cancel] {
                    --m_importsPending;
                    std::erase(m_importCancels, cancel);
                    emit importFinished(summary);
                    if (summary.imported > 0) {
                        emit assetsAdded();
                        emit libraryChanged();
                    }
                },
                Qt::QueuedConnection);
        });
}

void CoreBridge::cancelImport() {
    for (const auto& cancel : m_importCancels) {
        cancel->store(true);
    }
}

CoreBridge::RequestId CoreBridge::applyCuration(const CurationChange& change) {
    const RequestId id = m_nextRequest++;
    runOnReader(
        [root = m_root, change](ReaderState& state) -> Result<CurationChange> {
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            auto& catalog = (*library)->catalog();
            Status written = change.rating ? catalog.setRating(change.ids, *change.rating)
                             : change.flag ? catalog.setFlag(change.ids, *change.flag)
                             : change.colorLabel
                                 ? catalog.setColorLabel(change.ids, *change.colorLabel)
                                 : Status{};
            if (!written) {
                return std::unexpected(written.error());
            }
            return change;
        },
        [this, id](Result<CurationChange> result) {
            if (!result) {
                emit requestFailed(id, result.error());
                return;
            }
            emit curationApplied(id, *result);
        });
    return id;
}

CoreBridge::RequestId CoreBridge::loadAssetDetails(ripen::AssetId assetId) {
    const RequestId id = m_nextRequest++;
    runOnReader(
        [root = m_root, assetId](ReaderState& state) -> Result<AssetDetails> {
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            auto& catalog = (*library)->catalog();
            auto asset = catalog.asset(assetId);
            if (!asset) {
                return std::unexpected(asset.error());
            }
            auto childIds = catalog.children(assetId);
            if (!childIds) {
                return std::unexpected(childIds.error());
            }
            const auto rowsOf =
                [&](const std::vector<ripen::AssetId>& ids) -> Result<AssetRecords> {
                std::vector<ripen::Asset> assets;
                for (const ripen::AssetId related : ids) {
                    auto row = catalog.asset(related);
                    if (!row) {
                        return std::unexpected(row.error());
                    }
                    assets.push_back(std::move(*row));
                }
                return toRecords(**library, std::move(assets));
            };
            auto parents = rowsOf(asset->parents);
            auto children = rowsOf(*childIds);
            if (!parents || !children) {
                return std::unexpected(!parents ? parents.error() : children.error());
            }
            AssetDetails details;
            details.record = std::move(toRecords(**library, {std::move(*asset)}).front());
            details.parents = std::move(*parents);
            details.children = std::move(*children);
            return details;
        },
        [this, id](Result<AssetDetails> result) {
            if (!result) {
                emit requestFailed(id, result.error());
                return;
            }
            emit assetDetailsReady(id, *result);
        });
    return id;
}

CoreBridge::RequestId CoreBridge::saveNotes(ripen::AssetId assetId, const QString& notes) {
    const RequestId id = m_nextRequest++;
    runOnReader(
        [root = m_root, assetId, text = notes.toStdString()](ReaderState& state) -> Status {
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            return (*library)->catalog().setNotes(assetId, text);
        },
        [this, id, assetId, notes](Status result) {
            if (!result) {
                emit requestFailed(id, result.error());
                return;
            }
            emit notesSaved(id, assetId, notes);
        });
    return id;
}

CoreBridge::RequestId CoreBridge::setBudget(const QString& scope, const QString& name,
                                            std::optional<std::int64_t> limitUsdMicros) {
    const RequestId id = m_nextRequest++;
    runOnReader(
        [root = m_root, scope = scope.toStdString(), name = name.trimmed().toStdString(),
         limitUsdMicros](ReaderState& state) -> Status {
            if ((scope != "project" && scope != "client") || name.empty()) {
                return fail(ErrorCode::InvalidArgument,
                            "a budget needs a project or client name (scope '" + scope + "')");
            }
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            ripen::Catalog& catalog = (*library)->catalog();
            // The project or client and its cap commit together.
            auto tx = sqlite::Transaction::begin(catalog.database());
            if (!tx) {
                return std::unexpected(tx.error());
            }
            auto scopeId =
                scope == "project" ? catalog.ensureProject(name, "") : catalog.ensureClient(name);
            if (!scopeId) {
                return std::unexpected(scopeId.error());
            }
            ripen::Ledger ledger(catalog.database());
            if (auto set = ledger.setBudget(scope, *scopeId, limitUsdMicros); !set) {
                return std::unexpected(
                    withContext(set.error(), "budget for " + scope + " " + name));
            }
            return tx->commit();
        },
        [this, id, scope, name](Status result) {
            if (!result) {
                emit requestFailed(id, result.error());
                return;
            }
            emit budgetSet(id, scope, name.trimmed());
        });
    return id;
}

CoreBridge::RequestId CoreBridge::loadFilterChoices() {
    const RequestId id = m_nextRequest++;
    runOnReader(
        [root = m_root](ReaderState& state) -> Result<FilterChoices> {
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            auto sources = (*library)->catalog().generationSources();
            if (!sources) {
                return std::unexpected(sources.error());
            }
            return FilterChoices{std::move(*sources)};
        },
        [this, id](Result<FilterChoices> result) {
            if (!result) {
                emit requestFailed(id, result.error());
                return;
            }
            emit filterChoicesReady(id, *result);
        });
    return id;
}

void CoreBridge::exportAssets(const std::vector<ripen::AssetId>& ids, const QString& folder,
                              const ripen::ExportOptions& options) {
    if (m_exportCancel) {
        return; // the dialog allows one export at a time
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_exportCancel = cancel;
    (void)QtConcurrent::run(&m_exportPool, [this, root = m_root, ids,
                                            target = PathText::toPath(folder), options, cancel] {
        lowerCurrentThreadPriority();
        QueuedProgressSink progress(this, cancel,
                                    [this](qint64 done, qint64 total, const QString& message) {
                                        emit exportProgress(done, total, message);
                                    });
        ExportSummary summary;
        try {
            auto library = ripen::Library::open(root);
            if (!library) {
                summary.failures << QString::fromStdString(library.error().message);
            } else {
                ripen::Exporter exporter(**library);
                const auto total = static_cast<std::int64_t>(ids.size());
                for (std::int64_t done = 0; done < total; ++done) {
                    if (progress.cancelled()) {
                        summary.cancelled = true;
                        break;
                    }
                    const ripen::AssetId id = ids[static_cast<std::size_t>(done)];
                    progress.report(done, total, "asset " + std::to_string(id));
                    auto written = exporter.exportAsset(id, target, options);
                    if (written) {
                        summary.written << PathText::fromPath(*written);
                    } else {
                        summary.failures << QString::fromStdString(written.error().message);
                    }
                }
                progress.report(total, total, "done");
            }
        } catch (const std::exception& e) {
            summary.failures
                << QStringLiteral("export stopped: %1").arg(QString::fromUtf8(e.what()));
        }
        QMetaObject::invokeMethod(
            this,
            [this, summary] {
                m_exportCancel.reset();
                emit exportFinished(summary);
            },
            Qt::QueuedConnection);
    });
}

void CoreBridge::cancelExport() {
    if (m_exportCancel) {
        m_exportCancel->store(true);
    }
}

CoreBridge::RequestId CoreBridge::saveMask(ripen::AssetId image, const QImage& mask) {
    const RequestId id = m_nextRequest++;
    runOnReader(
        [root = m_root, image, mask](ReaderState& state) -> Result<AssetRecord> {
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            QByteArray png;
            QBuffer buffer(&png);
            if (!buffer.open(QIODevice::WriteOnly) || !mask.save(&buffer, "PNG")) {
                return fail(ErrorCode::Internal, "the mask could not be encoded as PNG");
            }
            // In the blob store's incoming folder, which opening the library sweeps after a
            // crash; the mask asset is a copy, so the file goes once it is stored.
            const std::filesystem::path file =
                root / "blobs" / ".incoming" /
                ("editor-mask-" + std::to_string(image) + "-" +
                 std::to_string(QDateTime::currentMSecsSinceEpoch()) + ".png");
            if (auto written = ripen::writeFileAtomically(
                    file, std::string_view(png.constData(), static_cast<std::size_t>(png.size())));
                !written) {
                return std::unexpected(written.error());
            }
            auto stored = ripen::storeMaskFor(**library, image, file);
            std::error_code ignored;
            std::filesystem::remove(file, ignored);
            if (!stored) {
                return std::unexpected(stored.error());
            }
            return std::move(toRecords(**library, {std::move(*stored)}).front());
        },
        [this, id](Result<AssetRecord> result) {
            if (!result) {
                emit requestFailed(id, result.error());
                return;
            }
            emit maskSaved(id, *result);
        });
    return id;
}

CoreBridge::RequestId CoreBridge::acceptAsMaster(ripen::AssetId result) {
    const RequestId id = m_nextRequest++;
    runOnReader(
        [root = m_root, result](ReaderState& state) -> Status {
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            return ripen::acceptAsMaster((*library)->catalog(), result);
        },
        [this, id, result](Status accepted) {
            if (!accepted) {
                emit requestFailed(id, accepted.error());
                return;
            }
            emit masterAccepted(id, result);
            emit libraryChanged();
        });
    return id;
}

namespace {

// A scratch name beside the blobs, which opening the library sweeps after a crash.
std::filesystem::path scratchPath(const std::filesystem::path& root, const std::string& stem) {
    return root / "blobs" / ".incoming" /
           (stem + "-" + std::to_string(QDateTime::currentMSecsSinceEpoch()));
}

// The asset `id` of `kind`, with its library's blob file.
Result<ripen::Asset> sourceAsset(ripen::Library& library, ripen::AssetId id,
                                 ripen::AssetKind kind) {
    auto asset = library.catalog().asset(id);
    if (asset && asset->kind != kind) {
        return fail(ErrorCode::InvalidArgument, "asset " + std::to_string(id) + " is a " +
                                                    std::string(ripen::toString(asset->kind)) +
                                                    ", not a " +
                                                    std::string(ripen::toString(kind)));
    }
    return asset;
}

// Keeps each file as an asset derived from `source`, in order; the records of the new
// assets.
Result<AssetRecords> keepDerived(ripen::Library& library, const ripen::Asset& source,
                                 const std::vector<std::filesystem::path>& files,
                                 const std::vector<ripen::Derivation>& derivations,
                                 ripen::ProgressSink& progress) {
    std::vector<ripen::Asset> kept;
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto id = ripen::addDerivedAsset(library, files[i], source, derivations[i], progress);
        if (!id) {
            return std::unexpected(id.error());
        }
        auto asset = library.catalog().asset(*id);
        if (!asset) {
            return std::unexpected(asset.error());
        }
        kept.push_back(std::move(*asset));
    }
    return toRecords(library, std::move(kept));
}

// Renders the move into a scratch file and keeps it as the keyframe's child, with
// `params` in its provenance.
Result<AssetRecords> renderMoveAsset(ripen::Library& library, ripen::AssetId keyframe,
                                     const ripen::StillMoveRequest& request,
                                     const nlohmann::json& params, ripen::ProgressSink& progress) {
    auto still = sourceAsset(library, keyframe, ripen::AssetKind::Image);
    if (!still) {
        return std::unexpected(still.error());
    }
    const std::filesystem::path scratch =
        scratchPath(library.root(), "move-" + std::to_string(keyframe)).concat(".mp4");
    auto rendered = ripen::renderStillMove(library.blobFile(*still), request, scratch, progress);
    auto clip = rendered ? keepDerived(library, *still, {scratch},
                                       {{"camera-move", ripen::Stage::Clip, params}}, progress)
                         : Result<AssetRecords>(std::unexpected(rendered.error()));
    std::error_code ignored;
    std::filesystem::remove(scratch, ignored);
    return clip;
}

// A keyframed path: written as the path file `video move path:FILE` reads, rendered from
// it, and kept with its keys (not the scratch file's name) in the provenance.
Result<AssetRecords> renderPathAsset(ripen::Library& library, ripen::AssetId keyframe,
                                     ripen::StillMoveRequest request, const std::string& pathJson,
                                     ripen::ProgressSink& progress) {
    const std::filesystem::path file =
        scratchPath(library.root(), "path-" + std::to_string(keyframe)).concat(".json");
    if (auto written = ripen::writeFileAtomically(file, pathJson); !written) {
        return std::unexpected(written.error());
    }
    request.move = "path:" + file.string();
    nlohmann::json params = ripen::stillMoveParams(request);
    params["move"] = "path";
    params["path"] = nlohmann::json::parse(pathJson, nullptr, false);
    auto clip = renderMoveAsset(library, keyframe, request, params, progress);
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
    return clip;
}

// The reframe as the provenance names it: "9:16" for 0.5625, empty when kept.
std::string aspectName(std::optional<double> aspect) {
    if (!aspect) {
        return {};
    }
    for (const auto& [name, value] :
         {std::pair{"16:9", 16.0 / 9}, std::pair{"9:16", 9.0 / 16}, std::pair{"1:1", 1.0},
          std::pair{"4:5", 4.0 / 5}, std::pair{"4:3", 4.0 / 3}}) {
        if (std::abs(*aspect - value) < 1e-6) {
            return name;
        }
    }
    return std::to_string(*aspect);
}

std::string_view cutModeName(ripen::CutMode mode) {
    switch (mode) {
    case ripen::CutMode::Every:
        return "every";
    case ripen::CutMode::Scenes:
        return "scenes";
    case ripen::CutMode::At:
        return "at";
    }
    return "every";
}

Result<AssetRecords> cutClipAssets(ripen::Library& library, ripen::AssetId clipId,
                                   const ripen::CutChoice& choice, std::optional<double> aspect,
                                   ripen::CropAnchor anchor, const std::filesystem::path& scratch,
                                   ripen::ProgressSink& progress) {
    auto clip = sourceAsset(library, clipId, ripen::AssetKind::Video);
    if (!clip) {
        return std::unexpected(clip.error());
    }
    const std::filesystem::path file = library.blobFile(*clip);
    auto cuts = ripen::cutPointsFor(file, choice, progress);
    if (!cuts) {
        return std::unexpected(cuts.error());
    }
    ripen::CutPlan plan;
    plan.cutsSeconds = *cuts;
    plan.aspect = aspect;
    plan.anchor = anchor;
    plan.baseName = "clip-" + std::to_string(clipId);
    auto segments = ripen::cutClip(file, plan, scratch, progress);
    if (!segments) {
        return std::unexpected(segments.error());
    }
    std::vector<std::filesystem::path> files;
    std::vector<ripen::Derivation> derivations;
    for (const ripen::CutSegment& segment : *segments) {
        files.push_back(segment.file);
        nlohmann::json params = {{"start_s", segment.startSeconds},
                                 {"end_s", segment.endSeconds},
                                 {"frames", segment.frames},
                                 {"stream_copied", segment.streamCopied},
                                 {"cut_by", cutModeName(choice.mode)}};
        if (aspect) {
            params["aspect"] = aspectName(aspect);
            params["anchor"] = std::string(ripen::toString(anchor));
        }
        derivations.push_back({"cut", ripen::Stage::Clip, std::move(params)});
    }
    return keepDerived(library, *clip, files, derivations, progress);
}

Result<AssetRecords> posterFrameAsset(ripen::Library& library, ripen::AssetId clipId,
                                      const std::filesystem::path& scratch,
                                      ripen::ProgressSink& progress) {
    auto clip = sourceAsset(library, clipId, ripen::AssetKind::Video);
    if (!clip) {
        return std::unexpected(clip.error());
    }
    auto poster = ripen::extractPosterFrame(library.blobFile(*clip), scratch,
                                            "clip-" + std::to_string(clipId), progress);
    if (!poster) {
        return std::unexpected(poster.error());
    }
    return keepDerived(
        library, *clip, {poster->file},
        {{"frame",
          ripen::Stage::None,
          {{"frame", poster->index}, {"time_s", poster->seconds}, {"poster", true}}}},
        progress);
}

} // namespace

// Runs `work(Library&, ProgressSink&) -> Result<AssetRecords>` on the motion lane with its
// own library connection, then `done(records)` on the GUI thread, or requestFailed. One at
// a time: a second request while one runs is refused (Busy).
template <class Work, class Done> void CoreBridge::runOnMotion(RequestId id, Work work, Done done) {
    if (m_moveCancel) {
        QMetaObject::invokeMethod(
            this,
            [this, id] {
                emit requestFailed(
                    id, ripen::Error{ErrorCode::Busy, "a clip is already being rendered or cut"});
            },
            Qt::QueuedConnection);
        return;
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_moveCancel = cancel;
    (void)QtConcurrent::run(&m_motionPool, [this, root = m_root, work = std::move(work),
                                            done = std::move(done), cancel, id]() mutable {
        lowerCurrentThreadPriority();
        QueuedProgressSink progress(this, cancel,
                                    [this](qint64 doneCount, qint64 total, const QString&) {
                                        emit moveProgress(doneCount, total);
                                    });
        Result<AssetRecords> records = [&]() -> Result<AssetRecords> {
            try {
                auto library = ripen::Library::open(root);
                if (!library) {
                    return std::unexpected(library.error());
                }
                return work(**library, progress);
            } catch (const std::exception& e) {
                return fail(ErrorCode::Internal, std::string("video work stopped: ") + e.what());
            }
        }();
        QMetaObject::invokeMethod(
            this,
            [this, id, done = std::move(done), records = std::move(records)]() mutable {
                m_moveCancel.reset();
                if (!records) {
                    emit requestFailed(id, records.error());
                    return;
                }
                done(*records);
                emit libraryChanged();
            },
            Qt::QueuedConnection);
    });
}

CoreBridge::RequestId CoreBridge::renderMove(ripen::AssetId keyframe,
                                             const ripen::StillMoveRequest& request) {
    const RequestId id = m_nextRequest++;
    runOnMotion(
        id,
        [keyframe, request](ripen::Library& library, ripen::ProgressSink& progress) {
            return renderMoveAsset(library, keyframe, request, ripen::stillMoveParams(request),
                                   progress);
        },
        [this, id](const AssetRecords& clip) { emit moveRendered(id, clip.front()); });
    return id;
}

CoreBridge::RequestId CoreBridge::renderPath(ripen::AssetId keyframe,
                                             ripen::StillMoveRequest request,
                                             std::string pathJson) {
    const RequestId id = m_nextRequest++;
    runOnMotion(
        id,
        [keyframe, request = std::move(request),
         pathJson = std::move(pathJson)](ripen::Library& library, ripen::ProgressSink& progress) {
            return renderPathAsset(library, keyframe, request, pathJson, progress);
        },
        [this, id](const AssetRecords& clip) { emit moveRendered(id, clip.front()); });
    return id;
}

CoreBridge::RequestId CoreBridge::cutClip(ripen::AssetId clip, double everySeconds) {
    ripen::CutChoice choice;
    choice.everySeconds = everySeconds;
    return cutClip(clip, choice, std::nullopt, ripen::CropAnchor::Center);
}

CoreBridge::RequestId CoreBridge::cutClip(ripen::AssetId clip, const ripen::CutChoice& choice,
                                          std::optional<double> aspect, ripen::CropAnchor anchor) {
    const RequestId id = m_nextRequest++;
    runOnMotion(
        id,
        [clip, choice, aspect, anchor](ripen::Library& library, ripen::ProgressSink& progress) {
            const auto scratch = scratchPath(library.root(), "cut-" + std::to_string(clip));
            auto records = cutClipAssets(library, clip, choice, aspect, anchor, scratch, progress);
            std::error_code ignored;
            std::filesystem::remove_all(scratch, ignored);
            return records;
        },
        [this, id](const AssetRecords& segments) { emit clipDerived(id, segments); });
    return id;
}

CoreBridge::RequestId CoreBridge::extractPosterFrame(ripen::AssetId clip) {
    const RequestId id = m_nextRequest++;
    runOnMotion(
        id,
        [clip](ripen::Library& library, ripen::ProgressSink& progress) {
            const auto scratch = scratchPath(library.root(), "poster-" + std::to_string(clip));
            auto records = posterFrameAsset(library, clip, scratch, progress);
            std::error_code ignored;
            std::filesystem::remove_all(scratch, ignored);
            return records;
        },
        [this, id](const AssetRecords& frame) { emit clipDerived(id, frame); });
    return id;
}

void CoreBridge::cancelMove() {
    if (m_moveCancel) {
        m_moveCancel->store(true);
    }
}

// Runs one collection write on the reader lane; `write` answers the collection's id.
CoreBridge::RequestId
CoreBridge::writeCollections(std::function<Result<std::int64_t>(ripen::Collections&)> write) {
    const RequestId id = m_nextRequest++;
    runOnReader(
        [root = m_root, write = std::move(write)](ReaderState& state) -> Result<std::int64_t> {
            auto library = requireLibrary(state.library, root);
            if (!library) {
                return std::unexpected(library.error());
            }
            ripen::Collections collections((*library)->catalog());
            return write(collections);
        },
        [this, id](Result<std::int64_t> result) {
            if (!result) {
                emit requestFailed(id, result.error());
                return;
            }
            emit collectionsChanged(id, *result);
        });
    return id;
}

namespace {

// A Status write that answers the collection it touched.
Result<std::int64_t> touched(Status status, std::int64_t collection) {
    if (!status) {
        return std::unexpected(status.error());
    }
    return collection;
}

} // namespace

CoreBridge::RequestId CoreBridge::createCollection(const QString& name,
                                                   const std::vector<ripen::AssetId>& assets) {
    return writeCollections([name = name.trimmed().toStdString(),
                             assets](ripen::Collections& collections) -> Result<std::int64_t> {
        auto created = collections.create(name);
        if (!created || assets.empty()) {
            return created;
        }
        return touched(collections.addAssets(*created, assets), *created);
    });
}

CoreBridge::RequestId CoreBridge::renameCollection(qint64 collection, const QString& name) {
    return writeCollections(
        [collection, name = name.trimmed().toStdString()](ripen::Collections& collections) {
            return touched(collections.rename(collection, name), collection);
        });
}

CoreBridge::RequestId CoreBridge::deleteCollection(qint64 collection) {
    return writeCollections([collection](ripen::Collections& collections) {
        return touched(collections.remove(collection), collection);
    });
}

CoreBridge::RequestId CoreBridge::addToCollection(qint64 collection,
                                                  const std::vector<ripen::AssetId>& assets) {
    return writeCollections([collection, assets](ripen::Collections& collections) {
        return touched(collections.addAssets(collection, assets), collection);
    });
}

CoreBridge::RequestId CoreBridge::removeFromCollection(qint64 collection,
                                                       const std::vector<ripen::AssetId>& assets) {
    return writeCollections([collection, assets](ripen::Collections& collections) {
        return touched(collections.removeAssets(collection, assets), collection);
    });
}

} // namespace ripen::ui
