#include "catalog/CatalogBackup.h"

#include "catalog/internal/CleanCloseRecord.h"
#include "catalog/internal/LiveSessionLock.h"
#include "catalog/internal/OpenLibraries.h"
#include "catalog/internal/SqliteDatabase.h"
#include "catalog/internal/SqliteIntegrity.h"
#include "common/AtomicFileWriter.h"
#include "common/Clock.h"
#include "common/FileIo.h"
#include "common/TextEncoding.h"
#include "common/UniqueFd.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fcntl.h>
#include <regex>
#include <sqlite3.h>
#include <thread>
#include <unistd.h>

namespace ripen {
namespace {

namespace fs = std::filesystem;
using sqlite::Database;

constexpr const char* kCatalogName = "catalog.sqlite";
constexpr int kBackupPagesPerStep = 256;

fs::path catalogFile(const fs::path& root) {
    return root / kCatalogName;
}
fs::path backupDir(const fs::path& root) {
    return root / "backups";
}

// Backup and damaged-catalog names carry their UTC time, sortable and free of colons.
std::string utcStamp(std::int64_t ms) {
    return formatUtc(ms, "%Y%m%d-%H%M%S");
}

std::optional<std::int64_t> stampMillis(const std::string& name) {
    static const std::regex pattern(
        R"(catalog-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(-\d+)?\.sqlite)");
    std::smatch m;
    if (!std::regex_match(name, m, pattern)) {
        return std::nullopt;
    }
    std::tm utc{};
    utc.tm_year = std::stoi(m[1]) - 1900;
    utc.tm_mon = std::stoi(m[2]) - 1;
    utc.tm_mday = std::stoi(m[3]);
    utc.tm_hour = std::stoi(m[4]);
    utc.tm_min = std::stoi(m[5]);
    utc.tm_sec = std::stoi(m[6]);
    return static_cast<std::int64_t>(timegm(&utc)) * 1000;
}

// A name no other backup has, even when two are taken within one second.
fs::path freshBackupName(const fs::path& dir, std::int64_t nowMs) {
    const std::string stem = "catalog-" + utcStamp(nowMs);
    fs::path candidate = dir / (stem + ".sqlite");
    std::error_code ec;
    for (int n = 2; fs::exists(candidate, ec); ++n) {
        candidate = dir / (stem + "-" + std::to_string(n) + ".sqlite");
    }
    return candidate;
}

Status copyWithBackupApi(Database& source, Database& target) {
    sqlite3_backup* backup = sqlite3_backup_init(target.handle(), "main", source.handle(), "main");
    if (backup == nullptr) {
        return std::unexpected(target.lastError("starting the catalog backup"));
    }
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(backup, kBackupPagesPerStep);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a writer holds a lock
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        return std::unexpected(target.lastError("copying the catalog"));
    }
    return {};
}

Status syncFile(const fs::path& file) {
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        return fail(ErrorCode::Io, "cannot flush " + escapeInvalidUtf8(file.native()) + " to disk");
    }
    return {};
}

Status verifiedSnapshot(const fs::path& root, const fs::path& temp) {
    auto live = Database::open(catalogFile(root), Database::Mode::ReadWrite);
    if (!live) {
        return std::unexpected(live.error());
    }
    if (auto healthy = checkIntegrity(*live); !healthy) {
        return std::unexpected(withContext(healthy.error(), "not backed up"));
    }
    auto copy = Database::open(temp, Database::Mode::ReadWriteCreate);
    if (!copy) {
        return std::unexpected(copy.error());
    }
    if (auto copied = copyWithBackupApi(*live, *copy); !copied) {
        return copied;
    }
    // The copy is checked as a reader will see it, so a backup is never a damaged file.
    if (auto healthy = checkIntegrity(*copy); !healthy) {
        return std::unexpected(withContext(healthy.error(), "the backup copy"));
    }
    return {};
}

// Copies a killed process left behind; an hour is far longer than any backup takes.
void sweepAbandonedCopies(const fs::path& dir) {
    std::error_code ec;
    const auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(1);
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with(".catalog-") && name.ends_with(".tmp") &&
            entry.last_write_time(ec) < cutoff) {
            fs::remove(entry.path(), ec);
        }
    }
}

void pruneOldBackups(const fs::path& root) {
    const auto backups = CatalogBackup::list(root);
    std::error_code ec;
    for (std::size_t i = CatalogBackup::kKept; i < backups.size(); ++i) {
        fs::remove(backups[i].file, ec);
    }
}

// Jobs that had not reached a provider in the backup may have been sent since: they wait
// for the user's decision instead of being sent again (a paid request is never resent on
// its own). Running and storing jobs hold an operation id or a result and only resume.
Status holdUnsentJobs(const fs::path& catalog, std::int64_t backupMs) {
    auto db = Database::open(catalog, Database::Mode::ReadWrite);
    if (!db) {
        return std::unexpected(db.error());
    }
    auto hold = db->prepare(
        "UPDATE jobs SET state = 'interrupted', updated_at = ?, error = 'The catalog was "
        "restored from a backup taken ' || ? || ' UTC; this job may have been sent since "
        "then. Retry it (it may be charged twice) or cancel it.' "
        "WHERE state IN ('queued', 'submitting')");
    if (!hold) {
        return std::unexpected(hold.error());
    }
    hold->bind(1, unixMillis()).bind(2, formatUtc(backupMs));
    return hold->run();
}

} // namespace

Result<CatalogBackup::Info> CatalogBackup::take(const fs::path& root) {
    std::error_code ec;
    fs::create_directories(backupDir(root), ec);
    if (ec) {
        return fail(ErrorCode::Io, "cannot create " + escapeInvalidUtf8(backupDir(root).native()) +
                                       ": " + ec.message());
    }
    const std::int64_t now = unixMillis();
    const fs::path temp = backupDir(root) / (".catalog-" + std::to_string(::getpid()) + "-" +
                                             std::to_string(now) + ".tmp");
    auto made = verifiedSnapshot(root, temp);
    if (made) {
        made = syncFile(temp);
    }
    const fs::path final = freshBackupName(backupDir(root), now);
    if (made) {
        fs::rename(temp, final, ec);
        if (ec) {
            made = fail(ErrorCode::Io, "cannot name the backup " +
                                           escapeInvalidUtf8(final.native()) + ": " + ec.message());
        }
    }
    if (!made) {
        fs::remove(temp, ec);
        return std::unexpected(made.error());
    }
    if (auto synced = syncDirectory(backupDir(root)); !synced) {
        return std::unexpected(synced.error());
    }
    pruneOldBackups(root);
    sweepAbandonedCopies(backupDir(root));
    return Info{final, (now / 1000) * 1000, fs::file_size(final, ec)};
}

Result<std::optional<CatalogBackup::Info>> CatalogBackup::takeIfDue(const fs::path& root,
                                                                    std::int64_t maxAgeMs) {
    const auto backups = list(root);
    if (!backups.empty() && unixMillis() - backups.front().takenAtMs < maxAgeMs) {
        return std::optional<Info>{};
    }
    auto taken = take(root);
    if (!taken) {
        return std::unexpected(taken.error());
    }
    return std::optional<Info>{std::move(*taken)};
}

std::vector<CatalogBackup::Info> CatalogBackup::list(const fs::path& root) {
    std::vector<Info> backups;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(backupDir(root), ec)) {
        if (const auto taken = stampMillis(entry.path().filename().string());
            taken && entry.is_regular_file(ec)) {
            backups.push_back({entry.path(), *taken, entry.file_size(ec)});
        }
    }
    // Within one second the "-N" suffix orders them; the plain name is the first.
    auto sequence = [](const Info& info) {
        const std::string stem = info.file.stem().string();
        const auto dash = stem.find('-', std::string("catalog-YYYYMMDD-HHMMSS").size());
        return dash == std::string::npos ? 1 : std::stoi(stem.substr(dash + 1));
    };
    std::sort(backups.begin(), backups.end(), [&sequence](const Info& a, const Info& b) {
        return a.takenAtMs != b.takenAtMs ? a.takenAtMs > b.takenAtMs : sequence(a) > sequence(b);
    });
    return backups;
}

Status CatalogBackup::checkCatalog(const fs::path& root) {
    auto db = Database::open(catalogFile(root), Database::Mode::ReadWrite);
    Status healthy = db ? checkIntegrity(*db) : Status(std::unexpected(db.error()));
    return withRestoreAdvice(root, std::move(healthy));
}

Result<CatalogStartupCheck::Report> CatalogBackup::checkAtStartup(const fs::path& root) {
    CatalogStartupCheck::Report planned = CatalogStartupCheck::plan(root);
    if (auto healthy = CatalogStartupCheck::run(root, planned); !healthy) {
        return std::unexpected(withRestoreAdvice(root, std::move(healthy)).error());
    }
    if (planned.depth == CatalogStartupCheck::Depth::Full) {
        planned.fullCheckAtMs = unixMillis();
    }
    return planned;
}

Result<std::unique_ptr<Library>> CatalogBackup::openChecked(const fs::path& root) {
    // This process is a user of the library from before the plan on: a restore in another
    // process cannot replace the catalog between the plan and the check.
    if (auto joined = OpenLibraries::opened(root); !joined) {
        return std::unexpected(joined.error());
    }
    const struct Leave {
        const fs::path& root;
        ~Leave() { (void)OpenLibraries::closed(root); }
    } leave{root};
    // Planned before the library opens: opening creates the -wal the plan looks at.
    CatalogStartupCheck::Report planned = CatalogStartupCheck::plan(root);
    auto library = Library::open(root);
    Status healthy = library ? CatalogStartupCheck::run(root, planned)
                             : Status(std::unexpected(library.error()));
    if (!healthy) {
        return std::unexpected(withRestoreAdvice(root, std::move(healthy)).error());
    }
    if (planned.depth == CatalogStartupCheck::Depth::Full) {
        planned.fullCheckAtMs = unixMillis();
    }
    (*library)->markChecked(std::move(planned));
    return library;
}

Status CatalogBackup::withRestoreAdvice(const fs::path& root, Status healthy) {
    if (healthy || healthy.error().code != ErrorCode::Corrupt) {
        return healthy;
    }
    const auto backups = list(root);
    std::string advice =
        backups.empty()
            ? " There is no backup in " + escapeInvalidUtf8(backupDir(root).native())
            : " The newest backup is " + escapeInvalidUtf8(backups.front().file.native()) +
                  " (taken " + formatUtc(backups.front().takenAtMs) +
                  " UTC); restore it with: ripen-cli catalog restore";
    std::string message = healthy.error().message;
    if (const auto file = escapeInvalidUtf8(catalogFile(root).native());
        message.find(file) == std::string::npos) {
        message = file + ": " + message;
    }
    return fail(ErrorCode::Corrupt, message + "." + advice);
}

Result<fs::path> CatalogBackup::restore(const fs::path& root, const fs::path& backup) {
    // The catalog is renamed away below: a process that has it open would go on writing to
    // the damaged file (and its -wal), and lose those changes or mix them into the backup.
    // Openers wait while this is held (LiveSessionLock::join).
    const auto alone = LiveSessionLock::exclusive(root);
    if (!alone) {
        return std::unexpected(withContext(alone.error(), "the backup cannot be restored"));
    }
    const auto taken = stampMillis(backup.filename().string());
    {
        auto db = Database::open(backup, Database::Mode::ReadOnly);
        Status healthy = db ? checkIntegrity(*db) : Status(std::unexpected(db.error()));
        if (!healthy) {
            return std::unexpected(withContext(healthy.error(), "the backup cannot be restored"));
        }
    }
    // The copy is prepared under a temporary name first: until the last rename the live
    // catalog, damaged or not, stays where it is.
    const fs::path staged = root / ".catalog-restore.tmp";
    if (auto copied = copyFileAtomically(backup, staged); !copied) {
        return std::unexpected(copied.error());
    }
    if (auto held = holdUnsentJobs(staged, taken.value_or(unixMillis())); !held) {
        return std::unexpected(held.error());
    }
    const fs::path damaged =
        root / (std::string(kCatalogName) + ".damaged-" + utcStamp(unixMillis()));
    std::error_code ec;
    for (const char* suffix : {"-wal", "-shm"}) {
        if (fs::exists(root / (std::string(kCatalogName) + suffix), ec)) {
            fs::rename(root / (std::string(kCatalogName) + suffix), damaged.string() + suffix, ec);
        }
    }
    if (fs::exists(catalogFile(root), ec)) {
        fs::rename(catalogFile(root), damaged, ec);
    }
    fs::rename(staged, catalogFile(root), ec);
    if (ec) {
        return fail(ErrorCode::Io, "cannot put the backup in place: " + ec.message());
    }
    // The restored file is not the one Ripen closed: the next start-up checks it in full.
    CleanCloseRecord::remove(root);
    if (auto synced = syncDirectory(root); !synced) {
        return std::unexpected(synced.error());
    }
    return damaged;
}

Result<CatalogBackup::Restored> CatalogBackup::restoreNewest(const fs::path& root) {
    const auto backups = list(root);
    if (backups.empty()) {
        return fail(ErrorCode::NotFound,
                    "the library has no backups in " + escapeInvalidUtf8(backupDir(root).native()));
    }
    auto keptAs = restore(root, backups.front().file);
    if (!keptAs) {
        return std::unexpected(keptAs.error());
    }
    return Restored{backups.front(), std::move(*keptAs)};
}

} // namespace ripen
