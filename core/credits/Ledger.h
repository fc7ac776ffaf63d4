#pragma once

#include "catalog/internal/SqliteDatabase.h"
#include "common/Error.h"
#include "credits/DailyRollup.h"
#include "credits/Money.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// The append-only credit ledger in the catalog. Every row is one money event: a
// reservation when a job is queued, its release when the job settles, the charge, grants
// and manual adjustments. Reserved(job) = its reserves - its releases; spent = charges plus
// adjustments, which are signed like charges (a refund is a negative adjustment).
//
// Writes happen inside the caller's transaction (the job change and its money event commit
// together); reads may happen anywhere.
class Ledger {
public:
    enum class Kind { Reserve, Release, Charge, Grant, Adjust };
    struct Entry {
        Kind kind = Kind::Charge;
        std::optional<std::int64_t> jobId;
        Micros amount = 0; // in `unit`
        std::string unit = "USD";
        Micros usd = 0; // the same amount in USD micro-units
        std::string provider;
        std::string model;
        std::optional<std::int64_t> projectId;
        std::optional<std::int64_t> clientId;
        std::string note;
    };

    struct BudgetStatus {
        std::string scope; // "project" or "client"
        std::string name;
        Micros limitUsd = 0;
        Micros spentUsd = 0;
        Micros reservedUsd = 0;
        int softPercent = 80;
    };

    struct SpendLine {
        std::string key; // provider, "provider model", project or client name
        Micros usd = 0;
        Micros amount = 0;
        std::string unit;
        std::int64_t jobs = 0;
    };

    explicit Ledger(sqlite::Database& db);

    Status append(const Entry& entry);
    // The part of a job's reservation not yet released, in USD micro-units.
    Result<Micros> openReservationUsd(std::int64_t jobId);

    Result<std::optional<BudgetStatus>> budget(const std::string& scope, std::int64_t scopeId);
    Result<std::vector<BudgetStatus>> budgets();
    // The same, summed from `rollup` (read from this catalog) in one pass for every budget.
    Result<std::vector<BudgetStatus>> budgets(const DailyRollup& rollup);
    // Sets (or with nullopt removes) a hard cap; takes effect for the next queued job.
    Status setBudget(const std::string& scope, std::int64_t scopeId,
                     std::optional<Micros> limitUsd);

    Result<Micros> totalChargedUsd();
    Result<Micros> totalReservedUsd();
    // Charges recorded at or after `sinceMs` (Unix milliseconds), e.g. since local midnight.
    Result<Micros> chargedUsdSince(std::int64_t sinceMs);
    // Charges grouped by "provider", "model", "project" or "client".
    Result<std::vector<SpendLine>> spendBy(const std::string& dimension);

private:
    sqlite::Database& m_db;
};

} // namespace ripen
