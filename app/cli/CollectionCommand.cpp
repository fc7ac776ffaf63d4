#include "Command.h"
#include "LibraryAccess.h"
#include "catalog/Collections.h"

#include <charconv>
#include <iostream>
#include <optional>

namespace ripen::cli {
namespace {

constexpr const char* kUsage =
    "ripen-cli collection: expected create NAME, rename NAME NEW, delete NAME, add NAME ID...,\n"
    "remove NAME ID... or list\n";

// The asset ids after the collection's name; nullopt when one is not a positive number.
std::optional<std::vector<AssetId>> assetIds(const std::vector<std::string>& words) {
    std::vector<AssetId> ids;
    for (std::size_t i = 2; i < words.size(); ++i) {
        AssetId id = 0;
        const auto& w = words[i];
        const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), id);
        if (ec != std::errc() || end != w.data() + w.size() || id <= 0) {
            std::cerr << "ripen-cli collection: '" << w << "' is not an asset id\n";
            return std::nullopt;
        }
        ids.push_back(id);
    }
    return ids;
}

int report(const Status& status) {
    if (!status) {
        std::cerr << "ripen-cli collection: " << status.error().message << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

int list(Collections& collections) {
    auto all = collections.list();
    if (!all) {
        return report(std::unexpected(all.error()));
    }
    for (const auto& c : *all) {
        std::cout << c.assetCount << "\t" << c.name << "\n";
    }
    return kExitOk;
}

// Runs a change on the collection named words[1].
int onNamed(Collections& collections, const std::vector<std::string>& words,
            const std::function<Status(std::int64_t id)>& change) {
    auto named = collections.byName(words[1]);
    if (!named) {
        return report(std::unexpected(named.error()));
    }
    return report(change(named->id));
}

int runCollection(const CommandContext& context, const ArgParser& args) {
    const auto& words = args.positionals();
    const std::string action = words.empty() ? "" : words[0];
    const bool takesIds = action == "add" || action == "remove";
    const bool wellFormed = (action == "list" && words.size() == 1) ||
                            ((action == "create" || action == "delete") && words.size() == 2) ||
                            (action == "rename" && words.size() == 3) ||
                            (takesIds && words.size() >= 3);
    if (!wellFormed) {
        std::cerr << kUsage;
        return kExitUsage;
    }
    const auto ids = takesIds ? assetIds(words) : std::vector<AssetId>{};
    if (!ids) {
        return kExitUsage;
    }
    auto library = openLibraryOrReport(context.library);
    if (!library) {
        return kExitFailure;
    }
    Collections collections(library->catalog());
    if (action == "list") {
        return list(collections);
    }
    if (action == "create") {
        auto id = collections.create(words[1]);
        return report(id ? Status{} : Status(std::unexpected(id.error())));
    }
    return onNamed(collections, words, [&](std::int64_t id) -> Status {
        if (action == "rename") {
            return collections.rename(id, words[2]);
        }
        if (action == "delete") {
            return collections.remove(id);
        }
        return action == "add" ? collections.addAssets(id, *ids)
                               : collections.removeAssets(id, *ids);
    });
}

} // namespace

Command collectionCommand() {
    return {"collection",
            "collection create NAME | rename NAME NEW | delete NAME | add NAME ID... | "
            "remove NAME ID... | list",
            "Hand-picked sets of assets that cut across projects (a portfolio, a client's\n"
            "shortlist). Names are unique without regard to case; an asset may be in any\n"
            "number of collections.\n"
            "  collection create NAME         a new, empty collection\n"
            "  collection rename NAME NEW     give it another name\n"
            "  collection delete NAME         the collection goes; its assets stay\n"
            "  collection add NAME ID...      put assets (ids as `list` shows them) in it\n"
            "  collection remove NAME ID...   take assets out of it (not out of the library)\n"
            "  collection list                every collection: asset count, tab, name\n"
            "`list --collection NAME` lists a collection's assets.",
            [](ArgParser&) {}, runCollection};
}

} // namespace ripen::cli
