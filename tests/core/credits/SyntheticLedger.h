#pragma once

// Small ledgers written row by row with known dates, so every figure the credit queries
// return can be worked out by hand. Rows go in through SQL because the real writers stamp
// "now"; the catalog's own triggers (the daily roll-up) still run for every row.
#include "catalog/Library.h"
#include "credits/CalendarDay.h"
#include "support/TempDir.h"

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>

namespace ripen::test {

struct SyntheticLedger {
    TempDir dir;
    std::unique_ptr<Library> library;

    SyntheticLedger() {
        auto opened = Library::open(dir / "library");
        REQUIRE(opened);
        library = std::move(*opened);
    }

    sqlite::Database& db() { return library->catalog().database(); }

    static CalendarDay day(const char* date) { return *parseCalendarDay(date); }
    // Noon UTC of `date`, in unix ms.
    static std::int64_t noon(const char* date) { return day(date) * kMillisPerDay + 43'200'000; }

    std::int64_t project(const std::string& name, const std::string& client = "") {
        auto id = library->catalog().ensureProject(name, client);
        REQUIRE(id);
        return *id;
    }
    std::int64_t client(const std::string& name) {
        auto id = library->catalog().ensureClient(name);
        REQUIRE(id);
        return *id;
    }

    struct JobRow {
        std::int64_t id = 0;
        std::string batch{};
        std::string provider = "openai";
        std::string model = "gpt-image-1";
        std::string state = "succeeded";
        std::optional<std::int64_t> projectId{};
        std::optional<std::int64_t> clientId{};
        std::string stage = "concept";
        int attempts = 1;
        std::int64_t createdAt = 0;
    };
    void job(const JobRow& j) {
        auto stmt = db().prepare(R"sql(
            INSERT INTO jobs(id, job_key, batch, provider, model, kind, request_json, state,
                             project_id, client_id, stage, attempts, estimate_micros,
                             estimate_usd_micros, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'text-to-image', '{}', ?, ?, ?, ?, ?, 0, 0, ?, ?))sql");
        REQUIRE(stmt);
        stmt->bind(1, j.id).bind(2, "key-" + std::to_string(j.id)).bind(3, j.batch);
        stmt->bind(4, j.provider).bind(5, j.model).bind(6, j.state).bind(7, j.projectId);
        stmt->bind(8, j.clientId).bind(9, j.stage).bind(10, j.attempts).bind(11, j.createdAt);
        REQUIRE(stmt->bind(12, j.createdAt).run());
    }

    // One ledger row; provider, model, project and client are copied from the job.
    void money(std::int64_t at, std::int64_t jobId, const char* kind, std::int64_t amount,
               std::int64_t usd, const char* unit = "USD") {
        auto stmt = db().prepare(R"sql(
            INSERT INTO ledger(at, job_id, kind, amount_micros, unit, usd_micros, provider, model,
                               project_id, client_id)
            SELECT ?, id, ?, ?, ?, ?, provider, model, project_id, client_id FROM jobs WHERE id = ?)sql");
        REQUIRE(stmt);
        stmt->bind(1, at).bind(2, kind).bind(3, amount).bind(4, unit).bind(5, usd).bind(6, jobId);
        REQUIRE(stmt->run());
        REQUIRE(db().changes() == 1);
    }

    // reserve, release and (when `charge` is given) charge: a job that settled.
    void settled(std::int64_t at, std::int64_t jobId, std::int64_t estimateUsd,
                 std::optional<std::int64_t> chargeUsd) {
        money(at, jobId, "reserve", estimateUsd, estimateUsd);
        money(at + 1000, jobId, "release", estimateUsd, estimateUsd);
        if (chargeUsd) {
            money(at + 1000, jobId, "charge", *chargeUsd, *chargeUsd);
        }
    }

    struct AssetRow {
        std::int64_t id = 0;
        std::optional<std::int64_t> projectId{};
        std::optional<std::int64_t> clientId{};
        std::string flag = "none";
        std::string stage = "concept";
        std::optional<std::int64_t> madeBy{}; // job
        std::optional<std::int64_t> parent{}; // asset
        std::int64_t importedAt = 0;
    };
    void asset(const AssetRow& a) {
        auto stmt = db().prepare(R"sql(
            INSERT INTO assets(id, kind, sha256, blob_path, format, byte_size, width, height,
                               project_id, client_id, stage, flag, provider, model_id, created_at,
                               imported_at)
            VALUES (?, 'image', printf('%064d', ?), 'blobs/x.png', 'png', 1, 8, 8, ?, ?, ?, ?,
                    'openai', 'gpt-image-1', ?, ?))sql");
        REQUIRE(stmt);
        stmt->bind(1, a.id).bind(2, a.id).bind(3, a.projectId).bind(4, a.clientId);
        stmt->bind(5, a.stage).bind(6, a.flag).bind(7, a.importedAt).bind(8, a.importedAt);
        REQUIRE(stmt->run());
        if (a.madeBy) {
            REQUIRE(db().exec("INSERT INTO job_assets(job_id, asset_id) VALUES (" +
                              std::to_string(*a.madeBy) + ", " + std::to_string(a.id) + ")"));
        }
        if (a.parent) {
            REQUIRE(db().exec("INSERT INTO asset_parents(child_id, parent_id) VALUES (" +
                              std::to_string(a.id) + ", " + std::to_string(*a.parent) + ")"));
        }
    }
};

} // namespace ripen::test
