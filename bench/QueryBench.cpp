// bench_query: Ripen's catalog queries (Catalog::find / Catalog::count, prepared per call as
// the app does) on a realistic 100k-asset catalog, against PERFORMANCE.md §6's plain-schema
// SQLite figures, re-measured here in the same run on a plain table of the same rows.

#include "BenchCommon.h"
#include "CommandLine.h"
#include "PlainSqliteAnchor.h"
#include "ResultTable.h"
#include "SyntheticAssets.h"

#include "catalog/Catalog.h"
#include "catalog/internal/AssetQuerySql.h"

#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

namespace rb = ripen::bench;
using ripen::bench::orThrow;

namespace {

// Bump when SyntheticAssets changes, so an old cached catalog is rebuilt.
constexpr int kGeneratorVersion = 1;
const std::string kTag = "cyberpunk";
const std::string kSearch = "volumetric dragon";
// PERFORMANCE.md §6 (100k rows, after ANALYZE, prepared once, 200 runs, median).
constexpr double kDocCountTag = 103e-6;
constexpr double kDocNewestWithTag = 4.44e-3;
constexpr double kDocLikeScan = 26e-3;
constexpr double kDocInsertRowsPerSec = 77'600;

struct Timing {
    double medianSeconds = 0;
    std::int64_t resultRows = 0;
};

std::unique_ptr<ripen::Catalog> openCatalog(const std::filesystem::path& file) {
    return orThrow(ripen::Catalog::open(file), "Catalog::open " + file.string());
}

std::string stampFor(std::int64_t assets, std::uint64_t seed, int schema) {
    std::ostringstream out;
    out << "generator=" << kGeneratorVersion << " assets=" << assets << " seed=" << seed
        << " schema=" << schema << "\n";
    return out.str();
}

// Builds (or reuses) the cached catalog and returns its file. Setup, not a measurement: the
// build runs with synchronous=OFF and its rate is printed for information only.
std::filesystem::path ensureCatalog(std::int64_t assets, std::uint64_t seed) {
    const auto folder = rb::cacheRoot() / ("catalog-n" + std::to_string(assets) + "-seed" +
                                           std::to_string(seed));
    const auto file = folder / "catalog.sqlite";
    const auto stamp = folder / "catalog.stamp";
    if (std::filesystem::exists(stamp)) {
        std::ifstream in(stamp);
        std::stringstream existing;
        existing << in.rdbuf();
        const int schema = openCatalog(file)->schemaVersion();
        if (existing.str() == stampFor(assets, seed, schema)) {
            std::cout << "Ripen catalog: " << assets << " assets, cached in " << folder.string()
                      << "\n";
            return file;
        }
    }
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    const rb::SyntheticAssets source(seed);
    auto catalog = openCatalog(file);
    // The build is setup; durability is irrelevant for it, and FULL sync would make it minutes.
    orThrow(catalog->database().exec("PRAGMA synchronous = OFF"), "synchronous=OFF");
    orThrow(catalog->database().exec("PRAGMA cache_size = -131072"), "cache_size");
    const auto start = rb::Clock::now();
    for (std::int64_t i = 0; i < assets; ++i) {
        orThrow(catalog->addAsset(source.make(i)), "addAsset " + std::to_string(i));
    }
    const double seconds = rb::secondsSince(start);
    for (const char* sql : {"ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)"}) {
        orThrow(catalog->database().exec(sql), sql);
    }
    std::ofstream(stamp) << stampFor(assets, seed, catalog->schemaVersion());
    std::cout << "Ripen catalog: built " << assets << " assets via Catalog::addAsset in "
              << rb::formatFixed(seconds, 1) << " s = "
              << rb::formatFixed(static_cast<double>(assets) / seconds, 0)
              << " assets/s (setup, synchronous=OFF, one transaction per asset; info only)\n";
    return file;
}

// SQLite's plan for the rows Ripen's query selects, for reading the results: the same WHERE
// and ORDER BY that Catalog::find builds, with the id as the only column.
std::string ripenPlan(ripen::Catalog& catalog, const ripen::AssetQuery& query) {
    const ripen::AssetQuerySql sql(query);
    auto stmt = orThrow(catalog.database().prepare(
                            "EXPLAIN QUERY PLAN SELECT a.id FROM assets a LEFT JOIN projects p ON "
                            "p.id = a.project_id LEFT JOIN clients c ON c.id = a.client_id" +
                            sql.where() + sql.orderAndLimit(query)),
                        "plan");
    sql.bind(stmt);
    std::string plan;
    while (orThrow(stmt.step(), "plan")) {
        plan += (plan.empty() ? "" : "; ") + stmt.text(3);
    }
    return plan;
}

Timing timeRipen(int runs, const std::function<std::int64_t()>& call) {
    Timing timing;
    timing.resultRows = call(); // warm-up: page cache and SQLite's cache, not counted
    std::vector<double> samples;
    for (int r = 0; r < runs; ++r) {
        const auto start = rb::Clock::now();
        timing.resultRows = call();
        samples.push_back(rb::secondsSince(start));
    }
    timing.medianSeconds = rb::median(samples);
    return timing;
}

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

int run(int argc, char** argv) {
    const rb::CommandLine args(argc, argv, {"--assets", "--runs", "--seed"}, {"--quick"});
    const std::int64_t assets = args.number("--assets", args.has("--quick") ? 20'000 : 100'000);
    const int runs = static_cast<int>(args.number("--runs", 200));
    const auto seed = static_cast<std::uint64_t>(args.number("--seed", 42));

    std::cout << "## bench_query\n\nmachine: " << rb::machineDescription()
              << "; load average at start: " << loadAverage() << "\n";
    const auto catalogFile = ensureCatalog(assets, seed);
    auto catalog = openCatalog(catalogFile); // a fresh connection, as the app opens it

    const auto find = [&](ripen::AssetQuery q) {
        return [&catalog, q] {
            return static_cast<std::int64_t>(orThrow(catalog->find(q), "find").size());
        };
    };
    const auto count = [&](ripen::AssetQuery q) {
        return [&catalog, q] { return orThrow(catalog->count(q), "count"); };
    };
    ripen::AssetQuery projectRated;
    projectRated.project = rb::SyntheticAssets::projectName(7);
    projectRated.minRating = 3;
    projectRated.limit = 100;
    ripen::AssetQuery tagged;
    tagged.tag = kTag;
    ripen::AssetQuery taggedPage = tagged;
    taggedPage.limit = 100;
    ripen::AssetQuery searched;
    searched.search = kSearch;
    ripen::AssetQuery searchedPage = searched;
    searchedPage.limit = 100;
    ripen::AssetQuery firstPage;
    firstPage.limit = 200;

    const Timing rProject = timeRipen(runs, find(projectRated));
    const Timing rTagPage = timeRipen(runs, find(taggedPage));
    const Timing rTagCount = timeRipen(runs, count(tagged));
    const Timing rSearchPage = timeRipen(runs, find(searchedPage));
    const Timing rSearchCount = timeRipen(runs, count(searched));
    const Timing rFirstPage = timeRipen(runs, find(firstPage));
    const std::string planRipenTag = ripenPlan(*catalog, taggedPage);
    const std::string planRipenSearch = ripenPlan(*catalog, searchedPage);
    catalog.reset();

    // The anchor: a fresh plain-schema database in a scratch folder, built in this run.
    const auto scratch = rb::makeScratchDir("ripen-bench-anchor");
    double anchorInsertRate = 0;
    rb::PlainSqliteAnchor::Timing aTagCount, aTagPage, aLike, aFirstPage;
    std::string planTagPage;
    {
        rb::PlainSqliteAnchor anchor(scratch / "plain.sqlite");
        anchorInsertRate = static_cast<double>(assets) /
                           anchor.build(rb::SyntheticAssets(seed), assets);
        const std::string tagPageSql =
            "SELECT * FROM assets WHERE tag = ? ORDER BY created_at DESC LIMIT 100";
        aTagCount = anchor.measure("SELECT count(*) FROM assets WHERE tag = ?", {kTag}, true, runs);
        aTagPage = anchor.measure(tagPageSql, {kTag}, false, runs);
        aLike = anchor.measure("SELECT count(*) FROM assets WHERE prompt LIKE ?",
                               {"%volumetric%dragon%"}, true, runs);
        aFirstPage = anchor.measure("SELECT * FROM assets ORDER BY created_at DESC LIMIT 200", {},
                                    false, runs);
        planTagPage = anchor.queryPlan(tagPageSql);
    }
    std::filesystem::remove_all(scratch);

    const auto t = [](double seconds) { return rb::formatDuration(seconds); };
    const auto n = [](std::int64_t rows) { return std::to_string(rows); };
    rb::ResultTable table({"query (median of " + std::to_string(runs) + " runs, " +
                               std::to_string(assets / 1000) + "k assets)",
                           "Ripen", "Ripen rows", "anchor (this run)", "anchor rows",
                           "anchor (PERFORMANCE.md)", "ratio Ripen/anchor"});
    table.addRow({"(a) newest 100 in one project, rating >= 3", t(rProject.medianSeconds),
                  n(rProject.resultRows), "–", "–", "–", "–"});
    table.addRow({"(b) newest 100 with tag '" + kTag + "'", t(rTagPage.medianSeconds),
                  n(rTagPage.resultRows), t(aTagPage.medianSeconds), n(aTagPage.resultRows),
                  t(kDocNewestWithTag), rb::ratioText(rTagPage.medianSeconds, aTagPage.medianSeconds)});
    table.addRow({"(c) count with tag '" + kTag + "'", t(rTagCount.medianSeconds),
                  n(rTagCount.resultRows), t(aTagCount.medianSeconds), n(aTagCount.resultRows),
                  t(kDocCountTag), rb::ratioText(rTagCount.medianSeconds, aTagCount.medianSeconds)});
    table.addRow({"(d) full-text '" + kSearch + "', newest 100", t(rSearchPage.medianSeconds),
                  n(rSearchPage.resultRows), "–", "–", "–", "–"});
    table.addRow({"(e) count of '" + kSearch + "' (Ripen FTS5; anchor LIKE scan)",
                  t(rSearchCount.medianSeconds), n(rSearchCount.resultRows),
                  t(aLike.medianSeconds), n(aLike.resultRows), t(kDocLikeScan),
                  rb::ratioText(rSearchCount.medianSeconds, aLike.medianSeconds)});
    table.addRow({"(f) gallery opening: newest 200, unfiltered", t(rFirstPage.medianSeconds),
                  n(rFirstPage.resultRows), t(aFirstPage.medianSeconds), n(aFirstPage.resultRows),
                  "–", rb::ratioText(rFirstPage.medianSeconds, aFirstPage.medianSeconds)});
    std::cout << "\nRipen = Catalog::find/count (statement prepared per call; find() returns full "
                 "Asset records with tags and lineage); anchor = PERFORMANCE.md §6 plain schema, "
                 "C API, prepared once, all columns read.\nRipen tags: 3 per asset (~10% match); "
                 "anchor: one tag column (~1/30 match), as in the anchor corpus.\n\n"
              << table.toMarkdown() << "\nRipen plan for (b): " << planRipenTag
              << "\nRipen plan for (d): " << planRipenSearch
              << "\nanchor plan for (b): " << planTagPage
              << "\nanchor insert, one transaction, prepared: "
              << rb::formatFixed(anchorInsertRate, 0) << " rows/s (PERFORMANCE.md: "
              << rb::formatFixed(kDocInsertRowsPerSec, 0) << ", ratio this run/doc "
              << rb::ratioText(anchorInsertRate, kDocInsertRowsPerSec) << ")\n"
              << "process peak RSS (ru_maxrss): " << rb::maxRssKiBRusage() / 1024
              << " MiB; load average at end: " << loadAverage() << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "bench_query: " << e.what() << "\n";
        return 1;
    }
}
