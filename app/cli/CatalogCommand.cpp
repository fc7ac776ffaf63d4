#include "Command.h"
#include "LibraryAccess.h"
#include "catalog/BlobCollector.h"
#include "catalog/CatalogBackup.h"
#include "common/Clock.h"

#include <iostream>

namespace ripen::cli {
namespace {

int check(const CommandContext& context) {
    if (auto healthy = CatalogBackup::checkCatalog(context.library); !healthy) {
        std::cerr << "ripen-cli catalog check: " << healthy.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "catalog ok\n";
    return kExitOk;
}

int backup(const CommandContext& context) {
    auto taken = CatalogBackup::take(context.library);
    if (!taken) {
        std::cerr << "ripen-cli catalog backup: " << taken.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "backup " << taken->file.string() << " " << taken->bytes << " bytes\n";
    return kExitOk;
}

int listBackups(const CommandContext& context) {
    for (const auto& backup : CatalogBackup::list(context.library)) {
        std::cout << backup.file.string() << "  " << formatUtc(backup.takenAtMs) << " UTC  "
                  << backup.bytes << " bytes\n";
    }
    return kExitOk;
}

Result<CatalogBackup::Restored> restoreChosen(const std::filesystem::path& library,
                                              const std::filesystem::path& backup) {
    auto keptAs = CatalogBackup::restore(library, backup);
    if (!keptAs) {
        return std::unexpected(keptAs.error());
    }
    return CatalogBackup::Restored{{backup, 0, 0}, std::move(*keptAs)};
}

int restore(const CommandContext& context, const ArgParser& args) {
    auto restored = args.positionals().size() == 2
                        ? restoreChosen(context.library, args.positionals()[1])
                        : CatalogBackup::restoreNewest(context.library);
    if (!restored) {
        std::cerr << "ripen-cli catalog restore: " << restored.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "restored " << restored->backup.file.string() << "\n"
              << "the previous catalog was kept as " << restored->keptAs.string() << "\n";
    return kExitOk;
}

int collectGarbage(const CommandContext& context) {
    auto library = openLibraryOrReport(context.library);
    if (!library) {
        return kExitFailure;
    }
    auto collected = BlobCollector(*library).collect();
    if (!collected) {
        std::cerr << "ripen-cli catalog gc: " << collected.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "removed " << collected->blobsRemoved << " unreferenced blob(s), "
              << collected->bytesRemoved << " bytes, and " << collected->tempFilesRemoved
              << " temp file(s); " << collected->youngKept
              << " unreferenced blob(s) younger than an hour kept\n";
    return kExitOk;
}

int runCatalog(const CommandContext& context, const ArgParser& args) {
    const auto& words = args.positionals();
    const std::string action = words.empty() ? "" : words[0];
    if (action == "check" && words.size() == 1) {
        return check(context);
    }
    if (action == "backup" && words.size() == 1) {
        return backup(context);
    }
    if (action == "backups" && words.size() == 1) {
        return listBackups(context);
    }
    if (action == "restore" && words.size() <= 2) {
        return restore(context, args);
    }
    if (action == "gc" && words.size() == 1) {
        return collectGarbage(context);
    }
    std::cerr << "ripen-cli catalog: expected check, backup, backups, restore [BACKUP] or gc\n";
    return kExitUsage;
}

} // namespace

Command catalogCommand() {
    return {"catalog",
            "catalog check | catalog backup | catalog backups | catalog restore [BACKUP] | "
            "catalog gc",
            "Keeps the catalog safe. Ripen takes a verified backup (SQLite's online backup API,\n"
            "then an integrity check) once a day when a command opens the library; the newest\n"
            "7 are kept in the library's backups/ folder.\n"
            "  catalog check     integrity and foreign-key check of the catalog\n"
            "  catalog backup    take a backup now\n"
            "  catalog backups   list the backups, newest first\n"
            "  catalog restore   put the newest (or the given) backup in place; the current\n"
            "                    catalog is kept beside it as catalog.sqlite.damaged-DATE.\n"
            "                    Jobs that were queued in the backup wait as 'interrupted':\n"
            "                    they may have been sent since. Close Ripen first.\n"
            "  catalog gc        remove blobs no asset or job refers to (left by a crash\n"
            "                    between saving a file and recording it) and stale temp\n"
            "                    files; anything younger than an hour is kept.",
            [](ArgParser&) {}, runCatalog};
}

} // namespace ripen::cli
