#include "CreditsLedgerCorpus.h"

#include "BenchCommon.h"
#include "catalog/Library.h"
#include "credits/CreditAccounts.h"
#include "credits/Ledger.h"

#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

namespace ripen::bench {
namespace {

using ripen::CalendarDay;
using ripen::Micros;

// Bump when the generator changes, so an old cached library is rebuilt.
constexpr int kGeneratorVersion = 2;
constexpr int kProjects = 40;
constexpr int kClients = 8;
constexpr int kDays = 730;

struct Model {
    const char* provider;
    const char* model;
    Micros usd;
    const char* unit;
};
constexpr Model kModels[] = {{"fal", "flux-schnell", 3000, "USD"},
                             {"fal", "flux-pro", 50'000, "USD"},
                             {"openai", "gpt-image-1", 42'000, "USD"},
                             {"google", "imagen-4", 40'000, "USD"},
                             {"kling", "kling-v2", 140'000, "credits"}};

// Two years of a studio: 40 projects of 8 clients, each running for about 60 days, jobs
// spread over the days a project runs, queued four to a batch; three ledger entries a
// settled job (reserve, release, charge), two for a failed one. A tenth of the jobs leave a picked
// asset whose parent is a concept asset of the same project. Written in one transaction.
void generate(ripen::Library& library, std::int64_t entries, std::uint64_t seed) {
    auto& db = library.catalog().database();
    std::mt19937_64 rng(seed);
    auto tx = orThrow(ripen::sqlite::Transaction::begin(db), "begin");
    for (int c = 1; c <= kClients; ++c) {
        orThrow(library.catalog().ensureClient("client-" + std::to_string(c)), "client");
    }
    std::vector<std::pair<CalendarDay, CalendarDay>> spans;
    const CalendarDay first = *ripen::parseCalendarDay("2025-01-01");
    for (int p = 1; p <= kProjects; ++p) {
        orThrow(library.catalog().ensureProject("project-" + std::to_string(p),
                                                "client-" + std::to_string(1 + p % kClients)),
                "project");
        const CalendarDay start = first + static_cast<CalendarDay>(rng() % (kDays - 60));
        spans.emplace_back(start, start + 60);
        orThrow(ripen::Ledger(db).setBudget("project", p, 5'000'000'000), "budget");
    }
    auto job = orThrow(db.prepare(R"sql(
        INSERT INTO jobs(id, job_key, batch, provider, model, kind, request_json, state, project_id,
                         client_id, stage, attempts, estimate_micros, estimate_usd_micros,
                         created_at, updated_at)
        VALUES (?1, 'k' || ?1, ?9, ?2, ?3, 'text-to-image', '{}', ?4, ?5,
                1 + ?5 % 8, ?6, 1, ?7, ?7, ?8, ?8))sql"),
                       "prepare jobs");
    auto money = orThrow(db.prepare(R"sql(
        INSERT INTO ledger(at, job_id, kind, amount_micros, unit, usd_micros, provider, model,
                           project_id, client_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1 + ?9 % 8))sql"),
                         "prepare ledger");
    auto asset = orThrow(db.prepare(R"sql(
        INSERT INTO assets(id, kind, sha256, blob_path, format, byte_size, width, height,
                           project_id, client_id, stage, flag, created_at, imported_at)
        VALUES (?1, 'image', printf('%064d', ?1), 'blobs/x', 'png', 1, 8, 8, ?2, 1 + ?2 % 8, ?3,
                ?4, ?5, ?5))sql"),
                         "prepare assets");
    auto link =
        orThrow(db.prepare("INSERT INTO job_assets(job_id, asset_id) VALUES (?, ?)"), "link");
    auto parent = orThrow(
        db.prepare("INSERT INTO asset_parents(child_id, parent_id) VALUES (?, ?)"), "parent");
    std::int64_t written = 0;
    std::int64_t assetId = 0;
    std::vector<std::int64_t> lastConcept(kProjects + 1, 0);
    std::vector<std::int64_t> queued(kProjects + 1, 0);
    for (std::int64_t id = 1; written < entries; ++id) {
        const int project = 1 + static_cast<int>(rng() % kProjects);
        const auto [from, to] = spans[static_cast<std::size_t>(project - 1)];
        const std::int64_t at =
            (from + static_cast<CalendarDay>(rng() % (to - from))) * ripen::kMillisPerDay +
            static_cast<std::int64_t>(rng() % ripen::kMillisPerDay);
        const bool discovery = rng() % 3 != 0;
        const Model& m = kModels[discovery ? 0 : 1 + rng() % 4];
        const bool failed = rng() % 20 == 0;
        const Micros amount = std::string(m.unit) == "USD" ? m.usd : 10'000'000;
        job.bind(1, id)
            .bind(2, m.provider)
            .bind(3, m.model)
            .bind(4, failed ? "failed" : "succeeded");
        job.bind(5, project).bind(6, discovery ? "concept" : "master").bind(7, m.usd).bind(8, at);
        // A batch is one request queued four times in one project.
        const std::int64_t batch = queued[static_cast<std::size_t>(project)]++ / 4;
        job.bind(9, "b" + std::to_string(project) + "-" + std::to_string(batch));
        orThrow(job.run(), "insert job");
        for (const char* kind : {"reserve", "release", "charge"}) {
            if (failed && std::string(kind) == "charge") {
                continue;
            }
            money.bind(1, at).bind(2, id).bind(3, kind).bind(4, amount).bind(5, m.unit);
            money.bind(6, m.usd).bind(7, m.provider).bind(8, m.model).bind(9, project);
            orThrow(money.run(), "insert ledger");
            ++written;
        }
        if (!failed && id % 10 == 0) {
            const bool pick = !discovery;
            asset.bind(1, ++assetId).bind(2, project).bind(3, discovery ? "concept" : "master");
            asset.bind(4, pick ? "pick" : "none").bind(5, at);
            orThrow(asset.run(), "insert asset");
            orThrow(link.bind(1, id).bind(2, assetId).run(), "link");
            auto& last = lastConcept[static_cast<std::size_t>(project)];
            if (pick && last) {
                orThrow(parent.bind(1, assetId).bind(2, last).run(), "parent");
            }
            if (discovery) {
                last = assetId;
            }
        }
    }
    ripen::CreditAccounts accounts(db);
    orThrow(accounts.upsert("kling", "credits", 14'000), "account");
    orThrow(accounts.subscribe("kling", {10'000'000, 660'000'000, 12, first}), "subscribe");
    orThrow(tx.commit(), "commit");
    orThrow(db.exec("ANALYZE"), "analyze");
}

} // namespace

std::filesystem::path cachedCreditsLibrary(std::int64_t entries, std::uint64_t seed) {
    const auto folder =
        cacheRoot() / ("credits-n" + std::to_string(entries) + "-seed" + std::to_string(seed));
    const auto stamp = folder / "library.stamp";
    std::ostringstream want;
    want << "generator=" << kGeneratorVersion << " entries=" << entries << " seed=" << seed << "\n";
    if (std::ifstream in(stamp); in) {
        std::stringstream have;
        have << in.rdbuf();
        if (have.str() == want.str()) {
            return folder;
        }
    }
    std::filesystem::remove_all(folder);
    auto library = orThrow(ripen::Library::open(folder), "Library::open");
    const auto start = Clock::now();
    generate(*library, entries, seed);
    std::cout << "generated " << entries << " ledger entries in "
              << formatDuration(secondsSince(start)) << "\n";
    std::ofstream(stamp) << want.str();
    return folder;
}

} // namespace ripen::bench
