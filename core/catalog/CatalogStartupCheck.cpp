#include "catalog/CatalogStartupCheck.h"

#include "catalog/internal/CleanCloseRecord.h"
#include "catalog/internal/LiveSessionLock.h"
#include "catalog/internal/SqliteDatabase.h"
#include "catalog/internal/SqliteIntegrity.h"
#include "common/Clock.h"
#include "common/TextEncoding.h"

#include <optional>
#include <unistd.h>

namespace ripen {
namespace {

namespace fs = std::filesystem;
using Depth = CatalogStartupCheck::Depth;

fs::path catalogFile(const fs::path& root) {
    return root / "catalog.sqlite";
}

CatalogStartupCheck::Report full(std::string reason) {
    return {Depth::Full, std::move(reason), 0};
}

std::uintmax_t walBytes(const fs::path& root) {
    std::error_code ec;
    const auto bytes = fs::file_size(root / "catalog.sqlite-wal", ec);
    return ec ? 0 : bytes;
}

// Page 1 and the schema it leads to parse: every later statement depends on them. Reading
// them is where SQLite checks the header (magic, page size, and an in-header size larger
// than the file: a truncated catalog), so a damaged header fails here too.
Status checkSchema(sqlite::Database& db) {
    auto objects = db.queryInt64("SELECT count(*) FROM sqlite_schema");
    if (!objects) {
        return std::unexpected(objects.error());
    }
    if (*objects == 0) {
        return fail(ErrorCode::Corrupt,
                    escapeInvalidUtf8(db.path().native()) + " holds no tables (an empty schema)");
    }
    return {};
}

// Today's rules, from the record the last clean close left.
CatalogStartupCheck::Report planFromCleanClose(const fs::path& root) {
    const auto record = CleanCloseRecord::read(root);
    if (!record) {
        return full("no clean close on record (a new library, or the last session ended "
                    "without closing it)");
    }
    if (const auto wal = walBytes(root); wal > 0) {
        return full("a -wal of " + std::to_string(wal) +
                    " bytes is left over or in use by another process");
    }
    const auto now = CatalogFileState::of(catalogFile(root));
    if (!now || !(*now == record->state)) {
        return full("catalog.sqlite changed since Ripen closed it on " +
                    formatUtc(record->closedAtMs) + " UTC");
    }
    if (unixMillis() - record->fullCheckAtMs > CatalogStartupCheck::kFullCheckEveryMs) {
        return full("the last full check was on " + formatUtc(record->fullCheckAtMs) + " UTC");
    }
    return {Depth::Light,
            "unchanged since Ripen closed it on " + formatUtc(record->closedAtMs) + " UTC",
            record->fullCheckAtMs};
}

// When a process that passed its check has the library open, what made the full check due
// (`due`) is explained by that session (see the header); nullopt when no such process does.
std::optional<CatalogStartupCheck::Report> planBesideLiveSession(const fs::path& root,
                                                                 const std::string& due) {
    const auto holder = LiveSessionLock::checkedHolder(root);
    if (!holder) {
        return std::nullopt;
    }
    const std::string who = holder->pid == ::getpid() ? std::string("this process")
                                                      : "pid " + std::to_string(holder->pid);
    const auto now = CatalogFileState::of(catalogFile(root));
    if (!now) {
        return std::nullopt;
    }
    if (now->device != holder->device || now->inode != holder->inode) {
        return full("catalog.sqlite was replaced while Ripen had the library open (" + who +
                    " joined last)");
    }
    if (unixMillis() - holder->fullCheckAtMs > CatalogStartupCheck::kFullCheckEveryMs) {
        return full("the last full check was on " + formatUtc(holder->fullCheckAtMs) + " UTC");
    }
    return CatalogStartupCheck::Report{
        Depth::Light,
        "a live session: a Ripen process that passed its start-up check has the library open (" +
            who +
            " joined last), so the catalog's changes are Ripen's own transactions "
            "(without it: " +
            due + ")",
        holder->fullCheckAtMs};
}

} // namespace

CatalogStartupCheck::Report CatalogStartupCheck::plan(const fs::path& root) {
    auto sinceClose = planFromCleanClose(root);
    if (sinceClose.depth == Depth::Light) {
        return sinceClose;
    }
    return planBesideLiveSession(root, sinceClose.reason).value_or(std::move(sinceClose));
}

Status CatalogStartupCheck::run(const fs::path& root, const Report& planned) {
    auto db = sqlite::Database::open(catalogFile(root), sqlite::Database::Mode::ReadOnly);
    if (!db) {
        return std::unexpected(db.error());
    }
    if (auto schema = checkSchema(*db); !schema) {
        return schema;
    }
    return planned.depth == Depth::Full ? quickCheck(*db) : Status{};
}

void CatalogStartupCheck::recordCleanClose(const fs::path& root, std::int64_t fullCheckAtMs) {
    (void)CleanCloseRecord::write(root, fullCheckAtMs);
}

} // namespace ripen
