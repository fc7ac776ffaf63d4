#include "PlainSqliteAnchor.h"

#include "BenchCommon.h"

#include <sqlite3.h>

#include <stdexcept>

namespace ripen::bench {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE assets(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    format TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    model TEXT,
    prompt TEXT,
    rating INTEGER NOT NULL DEFAULT 0,
    tag TEXT
);
CREATE INDEX assets_tag ON assets(tag);
CREATE INDEX assets_created ON assets(created_at);
)sql";

class Stmt {
public:
    Stmt(sqlite3* db, const std::string& sql) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &m_stmt, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("anchor prepare: ") + sqlite3_errmsg(db));
        }
    }
    ~Stmt() { sqlite3_finalize(m_stmt); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    sqlite3_stmt* get() const { return m_stmt; }

private:
    sqlite3_stmt* m_stmt = nullptr;
};

} // namespace

PlainSqliteAnchor::PlainSqliteAnchor(const std::filesystem::path& file) {
    if (sqlite3_open(file.c_str(), &m_db) != SQLITE_OK) {
        throw std::runtime_error("anchor cannot open " + file.string());
    }
}

PlainSqliteAnchor::~PlainSqliteAnchor() { sqlite3_close(m_db); }

void PlainSqliteAnchor::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw std::runtime_error("anchor: " + text);
    }
}

double PlainSqliteAnchor::build(const SyntheticAssets& source, std::int64_t rows) {
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = NORMAL");
    exec(kSchema);
    // Rows are made before the clock starts: the anchor timed SQLite, not the generator.
    std::vector<Asset> assets;
    assets.reserve(static_cast<std::size_t>(rows));
    for (std::int64_t i = 0; i < rows; ++i) {
        assets.push_back(source.make(i));
    }
    const Stmt insert(m_db, "INSERT INTO assets(path, sha256, width, height, format, size_bytes, "
                            "created_at, model, prompt, rating, tag) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const auto start = Clock::now();
    exec("BEGIN");
    for (const Asset& a : assets) {
        sqlite3_stmt* s = insert.get();
        sqlite3_bind_text(s, 1, a.sourcePath.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, a.sha256.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, a.width);
        sqlite3_bind_int(s, 4, a.height);
        sqlite3_bind_text(s, 5, a.format.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 6, a.byteSize);
        // created_at carries the import order, the order the gallery sorts by.
        sqlite3_bind_int64(s, 7, a.importedAtMs);
        sqlite3_bind_text(s, 8, a.generation.modelId.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 9, a.generation.prompt.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 10, a.rating);
        sqlite3_bind_text(s, 11, a.tags.front().c_str(), -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE) {
            throw std::runtime_error(std::string("anchor insert: ") + sqlite3_errmsg(m_db));
        }
        sqlite3_reset(s);
    }
    exec("COMMIT");
    const double seconds = secondsSince(start);
    exec("ANALYZE");
    return seconds;
}

PlainSqliteAnchor::Timing PlainSqliteAnchor::measure(const std::string& sql,
                                                     const std::vector<std::string>& binds,
                                                     bool isCount, int runs) {
    const Stmt stmt(m_db, sql);
    sqlite3_stmt* s = stmt.get();
    for (std::size_t i = 0; i < binds.size(); ++i) {
        sqlite3_bind_text(s, static_cast<int>(i + 1), binds[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    Timing timing;
    std::vector<double> samples;
    std::size_t checksum = 0; // reading the columns, as a caller would, keeps the work honest
    for (int run = 0; run <= runs; ++run) { // run 0 warms the cache and is not counted
        const auto start = Clock::now();
        std::int64_t rows = 0;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (isCount) {
                rows = sqlite3_column_int64(s, 0);
            } else {
                ++rows;
                for (int c = 0; c < sqlite3_column_count(s); ++c) {
                    checksum += static_cast<std::size_t>(sqlite3_column_bytes(s, c));
                }
            }
        }
        if (rc != SQLITE_DONE) {
            throw std::runtime_error(std::string("anchor query: ") + sqlite3_errmsg(m_db));
        }
        sqlite3_reset(s);
        if (run > 0) {
            samples.push_back(secondsSince(start));
        }
        timing.resultRows = rows;
    }
    timing.medianSeconds = median(samples);
    if (checksum == 1) {
        timing.resultRows = -timing.resultRows; // never true; stops the reads being dropped
    }
    return timing;
}

std::string PlainSqliteAnchor::queryPlan(const std::string& sql) {
    const Stmt stmt(m_db, "EXPLAIN QUERY PLAN " + sql);
    std::string plan;
    while (sqlite3_step(stmt.get()) == SQLITE_ROW) {
        if (!plan.empty()) {
            plan += "; ";
        }
        plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 3));
    }
    return plan;
}

} // namespace ripen::bench
