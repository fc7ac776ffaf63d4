#include "Command.h"
#include "LibraryAccess.h"

#include "credits/Ledger.h"

#include <iostream>

namespace ripen::cli {
namespace {

int runBudget(const CommandContext& context, const ArgParser& args) {
    if (args.positionals().size() != 1 || args.positionals()[0] != "set") {
        std::cerr << "ripen-cli budget: expected 'set'\n";
        return kExitUsage;
    }
    const auto project = args.value("project");
    const auto client = args.value("client");
    const auto limit = args.value("limit");
    if (project.has_value() == client.has_value() || !limit) {
        std::cerr << "ripen-cli budget set: give --limit and one of --project or --client\n";
        return kExitUsage;
    }
    std::optional<Micros> limitUsd;
    if (*limit != "none") {
        auto parsed = parseMicros(*limit, "--limit");
        if (!parsed || *parsed < 0) {
            std::cerr << "ripen-cli budget set: " << (parsed ? "--limit must not be negative"
                                                             : parsed.error().message) << "\n";
            return kExitUsage;
        }
        limitUsd = *parsed;
    }
    auto library = openLibraryOrReport(context.library);
    if (!library) {
        return kExitFailure;
    }
    auto scopeId = project ? library->catalog().ensureProject(*project, "")
                           : library->catalog().ensureClient(*client);
    if (!scopeId) {
        std::cerr << "ripen-cli budget set: " << scopeId.error().message << "\n";
        return kExitFailure;
    }
    Ledger ledger(library->catalog().database());
    if (auto set = ledger.setBudget(project ? "project" : "client", *scopeId, limitUsd); !set) {
        std::cerr << "ripen-cli budget set: " << set.error().message << "\n";
        return kExitFailure;
    }
    std::cout << "budget " << (project ? "project " + *project : "client " + *client) << " "
              << (limitUsd ? formatMicros(*limitUsd) + " USD" : "removed") << "\n";
    return kExitOk;
}

} // namespace

Command budgetCommand() {
    return {"budget", "budget set (--project NAME | --client NAME) --limit AMOUNT",
            "Sets a hard cap in USD on what jobs of a project or client may cost: spent plus\n"
            "reserved plus the new job's estimate may not pass it, so a job that would is\n"
            "refused when queued. --limit none removes the cap. Takes effect for the next job.",
            [](ArgParser& p) {
                p.addOption("project", true, "NAME", "the project's budget");
                p.addOption("client", true, "NAME", "the client's budget");
                p.addOption("limit", true, "AMOUNT", "USD, e.g. 25 or 12.50; 'none' to remove");
            },
            runBudget};
}

} // namespace ripen::cli
