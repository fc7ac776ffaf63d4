#include "jobs/JobStore.h"

#include "common/Clock.h"
#include "jobs/ResultManifest.h"
#include "jobs/UpscaleChain.h"

#include <chrono>
#include <random>

namespace ripen {
namespace {

std::string newJobKey() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const std::uint64_t hi = rng();
    const std::uint64_t lo = rng();
    char text[40];
    // UUID version 4, variant 1.
    std::snprintf(text, sizeof text, "%08llx-%04llx-4%03llx-%04llx-%012llx",
                  static_cast<unsigned long long>(hi >> 32),
                  static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                  static_cast<unsigned long long>(hi & 0x0FFF),
                  static_cast<unsigned long long>(((lo >> 48) & 0x3FFF) | 0x8000),
                  static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
    return text;
}

constexpr const char* kJobColumns = R"sql(
SELECT j.id, j.job_key, j.batch, j.request_json, j.state, j.priority, coalesce(p.name, ''),
       coalesce(c.name, ''), j.stage, j.operation_id, j.endpoint, j.attempts, j.polls,
       j.not_before, j.cancel_requested, j.estimate_micros, j.estimate_usd_micros, j.unit,
       j.cost_micros, j.result_json, j.error, j.created_at, j.updated_at,
       (SELECT group_concat(asset_id, ',') FROM job_assets WHERE job_id = j.id),
       coalesce(j.recipe_run, '')
FROM jobs j LEFT JOIN projects p ON p.id = j.project_id LEFT JOIN clients c ON c.id = j.client_id
)sql";

Job jobFromRow(const sqlite::Statement& s) {
    Job j;
    j.id = s.int64(0);
    j.key = s.text(1);
    j.batch = s.text(2);
    if (auto parsed = nlohmann::json::parse(s.text(3), nullptr, false); !parsed.is_discarded()) {
        if (auto request = GenerationRequest::fromJson(parsed)) {
            j.request = std::move(*request);
        }
    }
    j.state = jobStateFromString(s.text(4)).value_or(JobState::Interrupted);
    j.priority = static_cast<int>(s.int64(5));
    j.project = s.text(6);
    j.client = s.text(7);
    j.stage = stageFromString(s.text(8)).value_or(Stage::Concept);
    j.operationId = s.text(9);
    j.endpoint = s.text(10);
    j.attempts = static_cast<int>(s.int64(11));
    j.polls = static_cast<int>(s.int64(12));
    j.notBeforeMs = s.int64(13);
    j.cancelRequested = s.int64(14) != 0;
    j.estimate = s.int64(15);
    j.estimateUsd = s.int64(16);
    j.unit = s.text(17);
    j.cost = s.optionalInt64(18);
    j.result = nlohmann::json::parse(s.text(19), nullptr, false);
    j.error = s.text(20);
    j.createdAtMs = s.int64(21);
    j.updatedAtMs = s.int64(22);
    const std::string assets = s.text(23);
    for (std::size_t pos = 0; pos < assets.size();) {
        const std::size_t comma = assets.find(',', pos);
        j.assets.push_back(std::stoll(assets.substr(pos, comma - pos)));
        pos = comma == std::string::npos ? assets.size() : comma + 1;
    }
    j.recipeRun = s.text(24);
    return j;
}

std::string inList(const std::set<std::string>& names, std::vector<std::string>& binds) {
    std::string sql = "(";
    for (const auto& name : names) {
        sql += binds.empty() ? "?" : ", ?";
        binds.push_back(name);
    }
    return sql + ")";
}

std::string dollars(Micros usd) {
    return "$" + formatMicros(usd);
}

} // namespace

JobStore::JobStore(Library& library)
    : m_library(library), m_db(library.catalog().database()), m_ledger(m_db) {}

Status JobStore::checkBudgets(std::optional<std::int64_t> projectId,
                              std::optional<std::int64_t> clientId, Micros neededUsd, int count) {
    for (const auto& [scope, id] : {std::pair{"project", projectId}, {"client", clientId}}) {
        if (!id) {
            continue;
        }
        auto budget = m_ledger.budget(scope, *id);
        if (!budget) {
            return std::unexpected(budget.error());
        }
        if (!*budget) {
            continue;
        }
        const auto& b = **budget;
        if (b.spentUsd + b.reservedUsd + neededUsd > b.limitUsd) {
            return fail(ErrorCode::LimitExceeded,
                        std::string(scope) + " \"" + b.name + "\" has a budget of " +
                            dollars(b.limitUsd) + ": " + dollars(b.spentUsd) + " spent and " +
                            dollars(b.reservedUsd) + " reserved, so " + std::to_string(count) +
                            " more job(s) at " + dollars(neededUsd / std::max(1, count)) +
                            " would pass it. Nothing was queued; raise the budget with "
                            "ripen-cli budget set --" +
                            scope + " NAME --limit AMOUNT");
        }
    }
    return {};
}

Result<std::vector<JobId>> JobStore::enqueue(const GenerationRequest& request,
                                             const EnqueueOptions& options,
                                             const Estimate& estimate) {
    const std::vector<BatchItem> items(static_cast<std::size_t>(std::max(0, options.count)),
                                       BatchItem{request, estimate, options.stage});
    return enqueueBatch(items, options, {});
}

Result<std::vector<JobId>>
JobStore::enqueueBatch(const std::vector<BatchItem>& items, const EnqueueOptions& options,
                       const std::function<Status(const std::vector<JobId>&)>& alsoInTransaction) {
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    std::optional<std::int64_t> projectId;
    std::optional<std::int64_t> clientId;
    if (!options.client.empty()) {
        auto id = m_library.catalog().ensureClient(options.client);
        if (!id) {
            return std::unexpected(id.error());
        }
        clientId = *id;
    }
    if (!options.project.empty()) {
        auto id = m_library.catalog().ensureProject(options.project, options.client);
        if (!id) {
            return std::unexpected(id.error());
        }
        projectId = *id;
        if (!clientId) {
            // A project's client is charged too, so its cap holds whoever queues the job.
            auto owner = m_db.prepare("SELECT client_id FROM projects WHERE id = ?");
            if (!owner) {
                return std::unexpected(owner.error());
            }
            owner->bind(1, *projectId);
            if (auto row = owner->step(); row && *row) {
                clientId = owner->optionalInt64(0);
            }
        }
    }
    Micros neededUsd = 0;
    for (const auto& item : items) {
        neededUsd += item.estimate.usdMicros;
    }
    const int count = static_cast<int>(items.size());
    if (auto within = checkBudgets(projectId, clientId, neededUsd, count); !within) {
        return std::unexpected(within.error());
    }
    auto insert = m_db.prepare(R"sql(
        INSERT INTO jobs(job_key, batch, provider, model, kind, request_json, state, priority,
                         project_id, client_id, stage, estimate_micros, estimate_usd_micros, unit,
                         created_at, updated_at, recipe_run)
        VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    if (!insert) {
        return std::unexpected(insert.error());
    }
    const std::string batch = newJobKey();
    std::optional<std::string> recipeRun;
    if (!options.recipeRun.empty()) {
        recipeRun = options.recipeRun;
    }
    std::vector<JobId> ids;
    for (const auto& [request, estimate, stage] : items) {
        const std::int64_t now = unixMillis();
        insert->bind(1, newJobKey())
            .bind(2, batch)
            .bind(3, request.provider)
            .bind(4, request.model);
        insert->bind(5, toString(request.kind)).bind(6, request.toJson().dump());
        insert->bind(7, options.priority).bind(8, projectId).bind(9, clientId);
        insert->bind(10, toString(stage)).bind(11, estimate.amount).bind(12, estimate.usdMicros);
        insert->bind(13, estimate.unit).bind(14, now).bind(15, now).bind(16, recipeRun);
        if (auto ran = insert->run(); !ran) {
            return std::unexpected(ran.error());
        }
        ids.push_back(m_db.lastInsertRowId());
        Ledger::Entry reserve{Ledger::Kind::Reserve,
                              ids.back(),
                              estimate.amount,
                              estimate.unit,
                              estimate.usdMicros,
                              request.provider,
                              request.model,
                              projectId,
                              clientId,
                              "estimate from the price book"};
        if (auto added = m_ledger.append(reserve); !added) {
            return std::unexpected(added.error());
        }
    }
    if (alsoInTransaction) {
        if (auto also = alsoInTransaction(ids); !also) {
            return std::unexpected(also.error());
        }
    }
    if (auto committed = tx->commit(); !committed) {
        return std::unexpected(committed.error());
    }
    return ids;
}

Result<std::optional<ClaimedJob>>
JobStore::claimNext(const std::set<std::string>& providers, std::int64_t now, bool submissions,
                    const std::set<std::string>& retriesHeld,
                    const std::set<std::string>& submissionsHeld) {
    if (providers.empty()) {
        return std::optional<ClaimedJob>{};
    }
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    std::vector<std::string> binds;
    const std::string in = inList(providers, binds);
    std::vector<std::string> heldBinds;
    const std::string notHeld =
        retriesHeld.empty()
            ? ""
            : " AND NOT (state = 'queued' AND (attempts > 0 OR coalesce(error, '') != '') "
              "AND provider IN " +
                  inList(retriesHeld, heldBinds) + ")";
    binds.insert(binds.end(), heldBinds.begin(), heldBinds.end());
    std::vector<std::string> holdBinds;
    const std::string notOnHold = submissionsHeld.empty()
                                      ? ""
                                      : " AND NOT (state = 'queued' AND provider IN " +
                                            inList(submissionsHeld, holdBinds) + ")";
    binds.insert(binds.end(), holdBinds.begin(), holdBinds.end());
    auto pick = m_db.prepare("SELECT id, state FROM jobs WHERE cancel_requested = 0 AND not_before "
                             "<= ? AND provider IN " +
                             in +
                             (submissions ? " AND state IN ('storing', 'running', 'queued')"
                                          : " AND state IN ('storing', 'running')") +
                             notHeld + notOnHold +
                             " ORDER BY CASE state WHEN 'storing' "
                             "THEN 0 WHEN 'running' THEN 1 ELSE 2 END, priority DESC, id LIMIT 1");
    if (!pick) {
        return std::unexpected(pick.error());
    }
    pick->bind(1, now);
    for (std::size_t i = 0; i < binds.size(); ++i) {
        pick->bind(static_cast<int>(i) + 2, binds[i]);
    }
    auto row = pick->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row) {
        return std::optional<ClaimedJob>{};
    }
    const JobId id = pick->int64(0);
    const JobState state = jobStateFromString(pick->text(1)).value_or(JobState::Queued);
    pick->reset();
    // Submissions are marked "submitting" (persisted before the request leaves); polls and
    // stores take a ten-minute lease on their due time so no second runner picks them.
    const char* mark =
        state == JobState::Queued
            ? "UPDATE jobs SET state = 'submitting', attempts = attempts + 1, sent_at = NULL, "
              "updated_at = ?1 WHERE id = ?2"
            : "UPDATE jobs SET not_before = ?1 + 600000, updated_at = ?1 WHERE id = ?2";
    auto update = m_db.prepare(mark);
    if (!update) {
        return std::unexpected(update.error());
    }
    if (auto ran = update->bind(1, now).bind(2, id).run(); !ran) {
        return std::unexpected(ran.error());
    }
    if (auto committed = tx->commit(); !committed) {
        return std::unexpected(committed.error());
    }
    auto claimed = job(id);
    if (!claimed) {
        return std::unexpected(claimed.error());
    }
    const JobStep step = state == JobState::Storing   ? JobStep::Store
                         : state == JobState::Running ? JobStep::Poll
                                                      : JobStep::Submit;
    return std::optional<ClaimedJob>(ClaimedJob{std::move(*claimed), step});
}

Result<std::optional<std::int64_t>> JobStore::nextDueMs(const std::set<std::string>& providers,
                                                        bool submissions) {
    if (providers.empty()) {
        return std::optional<std::int64_t>{};
    }
    std::vector<std::string> binds;
    auto stmt = m_db.prepare(
        std::string("SELECT min(not_before) FROM jobs WHERE cancel_requested = 0 AND ") +
        (submissions ? "state IN ('storing', 'running', 'queued')"
                     : "state IN ('storing', 'running')") +
        " AND provider IN " + inList(providers, binds));
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    for (std::size_t i = 0; i < binds.size(); ++i) {
        stmt->bind(static_cast<int>(i) + 1, binds[i]);
    }
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    return stmt->optionalInt64(0);
}

Status JobStore::recordEndpoint(JobId id, const std::string& endpoint) {
    auto stmt = m_db.prepare("UPDATE jobs SET endpoint = ?, updated_at = ? WHERE id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->bind(1, endpoint).bind(2, unixMillis()).bind(3, id).run();
}

Status JobStore::markSent(JobId id) {
    auto stmt = m_db.prepare("UPDATE jobs SET sent_at = ?, updated_at = ? WHERE id = ? AND state = "
                             "'submitting'");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    const std::int64_t now = unixMillis();
    if (auto ran = stmt->bind(1, now).bind(2, now).bind(3, id).run(); !ran) {
        return ran;
    }
    if (m_db.changes() != 1) {
        return fail(ErrorCode::NotFound, "job " + std::to_string(id) + " is no longer submitting");
    }
    return {};
}

Status JobStore::recordRunning(JobId id, const std::string& operationId, std::int64_t nextPollMs,
                               std::optional<double> progress) {
    auto stmt = m_db.prepare(
        "UPDATE jobs SET state = 'running', operation_id = ?, not_before = ?, updated_at = ?, "
        "result_json = json_set(result_json, '$.progress', ?) WHERE id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, operationId).bind(2, nextPollMs).bind(3, unixMillis());
    progress ? stmt->bind(4, *progress) : stmt->bindNull(4);
    return stmt->bind(5, id).run();
}

Status JobStore::recordProgress(JobId id, double fraction, const std::string& stage) {
    auto stmt = m_db.prepare(
        "UPDATE jobs SET result_json = json_set(coalesce(result_json, '{}'), '$.progress', ?1, "
        "'$.stage', ?2), updated_at = ?3 WHERE id = ?4 AND state IN ('submitting', 'running')");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->bind(1, fraction).bind(2, stage).bind(3, unixMillis()).bind(4, id).run();
}

Status JobStore::recordStoring(JobId id, const nlohmann::json& result) {
    // The worker that got the result stores it right away; the lease keeps the claim loop
    // from starting a second store of the same job meanwhile. A crash voids the lease.
    auto stmt = m_db.prepare("UPDATE jobs SET state = 'storing', result_json = ?, "
                             "not_before = ?2 + 600000, updated_at = ?2 WHERE id = ?3");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->bind(1, result.dump()).bind(2, unixMillis()).bind(3, id).run();
}

Status JobStore::advanceChain(JobId id, const nlohmann::json& result, const Estimate& share,
                              const Estimate& charge) {
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    auto current = job(id);
    if (!current) {
        return std::unexpected(current.error());
    }
    if (current->state != JobState::Submitting && current->state != JobState::Running) {
        return fail(ErrorCode::NotFound, "job " + std::to_string(id) + " is " +
                                             std::string(toString(current->state)) +
                                             ", not in a pass; the chain did not advance");
    }
    auto ids = m_db.prepare("SELECT project_id, client_id FROM jobs WHERE id = ?");
    if (!ids) {
        return std::unexpected(ids.error());
    }
    ids->bind(1, id);
    (void)ids->step();
    const auto projectId = ids->optionalInt64(0);
    const auto clientId = ids->optionalInt64(1);
    const auto& r = current->request;
    // The pass's part of the reservation goes, what it cost is booked.
    for (const auto& [kind, e] :
         {std::pair{Ledger::Kind::Release, share}, std::pair{Ledger::Kind::Charge, charge}}) {
        if (e.amount == 0 && e.usdMicros == 0) {
            continue;
        }
        const Ledger::Entry entry{kind,       id,      e.amount,  e.unit,   e.usdMicros,
                                  r.provider, r.model, projectId, clientId, "upscale pass done"};
        if (auto added = m_ledger.append(entry); !added) {
            return added;
        }
    }
    auto stmt = m_db.prepare(
        "UPDATE jobs SET state = 'queued', attempts = 0, polls = 0, operation_id = '', "
        "not_before = 0, error = '', result_json = ?, updated_at = ? WHERE id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    if (auto ran = stmt->bind(1, result.dump()).bind(2, unixMillis()).bind(3, id).run(); !ran) {
        return ran;
    }
    return tx->commit();
}

Status JobStore::unclaim(JobId id, std::int64_t notBeforeMs) {
    auto stmt = m_db.prepare("UPDATE jobs SET state = 'queued', not_before = ?, "
                             "attempts = max(attempts - 1, 0), updated_at = ? "
                             "WHERE id = ? AND state = 'submitting'");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->bind(1, notBeforeMs).bind(2, unixMillis()).bind(3, id).run();
}

Status JobStore::retryLater(JobId id, std::int64_t notBeforeMs, const std::string& reason,
                            bool countAsPoll) {
    // A poll that must wait stays "running"; a submission that must wait is queued again.
    auto stmt =
        m_db.prepare(countAsPoll ? "UPDATE jobs SET not_before = ?, error = ?, polls = polls + 1, "
                                   "updated_at = ? WHERE id = ?"
                                 : "UPDATE jobs SET state = 'queued', not_before = ?, error = ?, "
                                   "updated_at = ? WHERE id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->bind(1, notBeforeMs).bind(2, reason).bind(3, unixMillis()).bind(4, id).run();
}

Status JobStore::rateLimited(JobId id, std::int64_t notBeforeMs, const std::string& reason,
                             const ProviderHold& hold, std::chrono::milliseconds ceiling) {
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    auto stmt = m_db.prepare("UPDATE jobs SET state = 'queued', not_before = ?, error = ?, "
                             "attempts = max(attempts - 1, 0), updated_at = ? "
                             "WHERE id = ? AND state = 'submitting'");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, notBeforeMs).bind(2, reason).bind(3, unixMillis()).bind(4, id);
    if (auto queued = stmt->run(); !queued) {
        return queued;
    }
    if (auto held = ProviderHolds(m_library).refused(hold, ceiling); !held) {
        return held;
    }
    return tx->commit();
}

Status JobStore::transition(JobId id, JobState to, const std::string& error,
                            std::optional<Micros> cost) {
    auto plain = m_db.prepare(
        "UPDATE jobs SET state = ?1, error = ?2, cost_micros = coalesce(?3, cost_micros), "
        "updated_at = ?4, finished_at = CASE WHEN ?5 THEN ?4 ELSE finished_at END, "
        "cancel_requested = 0 WHERE id = ?6");
    if (!plain) {
        return std::unexpected(plain.error());
    }
    plain->bind(1, toString(to)).bind(2, error).bind(3, cost).bind(4, unixMillis());
    plain->bind(5, isFinal(to) ? 1 : 0).bind(6, id);
    return plain->run();
}

Status JobStore::settle(const Job& job, std::optional<Estimate> charge, const std::string& note) {
    auto projectAndClient = m_db.prepare("SELECT project_id, client_id FROM jobs WHERE id = ?");
    if (!projectAndClient) {
        return std::unexpected(projectAndClient.error());
    }
    projectAndClient->bind(1, job.id);
    if (auto row = projectAndClient->step(); !row || !*row) {
        return fail(ErrorCode::NotFound, "no job " + std::to_string(job.id));
    }
    const auto projectId = projectAndClient->optionalInt64(0);
    const auto clientId = projectAndClient->optionalInt64(1);
    auto open = m_ledger.openReservationUsd(job.id);
    if (!open) {
        return std::unexpected(open.error());
    }
    if (*open != 0) {
        // Release exactly what is still reserved, in the reservation's own unit.
        const Micros amount = job.estimateUsd == 0 ? 0 : job.estimate * *open / job.estimateUsd;
        Ledger::Entry release{
            Ledger::Kind::Release, job.id,    amount,   job.unit, *open, job.request.provider,
            job.request.model,     projectId, clientId, note};
        if (auto added = m_ledger.append(release); !added) {
            return added;
        }
    }
    if (charge && (charge->amount != 0 || charge->usdMicros != 0)) {
        Ledger::Entry entry{Ledger::Kind::Charge,
                            job.id,
                            charge->amount,
                            charge->unit,
                            charge->usdMicros,
                            job.request.provider,
                            job.request.model,
                            projectId,
                            clientId,
                            note};
        return m_ledger.append(entry);
    }
    return {};
}

Result<std::vector<AssetId>> JobStore::complete(JobId id, const std::vector<Asset>& assets,
                                                const Estimate& charge) {
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    // Read inside the transaction: only a job still being stored may complete, once.
    auto current = job(id);
    if (!current) {
        return std::unexpected(current.error());
    }
    if (current->state != JobState::Storing) {
        return fail(ErrorCode::InvalidArgument, "job " + std::to_string(id) + " is " +
                                                    std::string(toString(current->state)) +
                                                    ", not storing; it was not completed again");
    }
    std::vector<AssetId> ids;
    for (const auto& asset : assets) {
        auto existing = m_library.catalog().findBySha256(asset.sha256);
        if (!existing) {
            return std::unexpected(existing.error());
        }
        auto added = *existing ? Result<AssetId>(**existing)
                               : m_library.catalog().addAssetInTransaction(asset);
        if (!added) {
            return std::unexpected(added.error());
        }
        ids.push_back(*added);
        auto link =
            m_db.prepare("INSERT OR IGNORE INTO job_assets(job_id, asset_id) VALUES (?, ?)");
        if (!link) {
            return std::unexpected(link.error());
        }
        if (auto ran = link->bind(1, id).bind(2, *added).run(); !ran) {
            return std::unexpected(ran.error());
        }
    }
    if (auto settled = settle(*current, charge, "settled on success"); !settled) {
        return std::unexpected(settled.error());
    }
    // A chained upscale's cost is all its passes'; the earlier ones were booked already.
    const Micros cost = charge.amount + chargedByEarlierPasses(*current);
    if (auto moved = transition(id, JobState::Succeeded, "", cost); !moved) {
        return std::unexpected(moved.error());
    }
    if (auto committed = tx->commit(); !committed) {
        return std::unexpected(committed.error());
    }
    return ids;
}

Status JobStore::finish(JobId id, JobState to, const std::string& reason,
                        std::optional<Estimate> charge) {
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    // Read inside the transaction: a job settles once, whoever finishes it.
    auto current = job(id);
    if (!current) {
        return std::unexpected(current.error());
    }
    if (isFinal(current->state)) {
        return fail(ErrorCode::InvalidArgument, "job " + std::to_string(id) + " is already " +
                                                    std::string(toString(current->state)));
    }
    if (auto settled = settle(*current, charge, reason); !settled) {
        return settled;
    }
    const Micros cost = (charge ? charge->amount : 0) + chargedByEarlierPasses(*current);
    if (auto moved = transition(id, to, reason, cost); !moved) {
        return moved;
    }
    return tx->commit();
}

Status JobStore::failJob(JobId id, const std::string& reason, std::optional<Estimate> charge) {
    return finish(id, JobState::Failed, reason, charge);
}

Status JobStore::interrupt(JobId id, const std::string& reason) {
    // The reservation stays: the money may have been spent until the user decides.
    return transition(id, JobState::Interrupted, reason, std::nullopt);
}

Status JobStore::finishCancel(JobId id, const std::string& note) {
    return finish(id, JobState::Canceled, note, std::nullopt);
}

Status JobStore::cancel(JobId id) {
    auto current = job(id);
    if (!current) {
        return std::unexpected(current.error());
    }
    const JobState state = current->state;
    if (state == JobState::Submitting || state == JobState::Storing) {
        // In flight in a runner: it sees the flag, aborts the transfer and settles.
        auto flag = m_db.prepare("UPDATE jobs SET cancel_requested = 1 WHERE id = ?");
        if (!flag) {
            return std::unexpected(flag.error());
        }
        return flag->bind(1, id).run();
    }
    const bool mayBeCharged = state == JobState::Running || state == JobState::Interrupted;
    return finish(id, JobState::Canceled,
                  mayBeCharged ? "canceled by the user; the provider may still charge for it"
                               : "canceled by the user",
                  std::nullopt);
}

Status JobStore::retry(JobId id) {
    auto current = job(id);
    if (!current) {
        return std::unexpected(current.error());
    }
    if (current->state != JobState::Interrupted && current->state != JobState::Failed &&
        current->state != JobState::Canceled) {
        return fail(ErrorCode::InvalidArgument,
                    "job " + std::to_string(id) + " is " + std::string(toString(current->state)) +
                        "; only failed, canceled or interrupted jobs can be retried");
    }
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    auto open = m_ledger.openReservationUsd(id);
    if (!open) {
        return std::unexpected(open.error());
    }
    if (*open == 0) {
        // A settled job needs a fresh reservation, within budget, like a new job.
        auto ids = m_db.prepare("SELECT project_id, client_id FROM jobs WHERE id = ?");
        if (!ids) {
            return std::unexpected(ids.error());
        }
        ids->bind(1, id);
        (void)ids->step();
        const auto projectId = ids->optionalInt64(0);
        const auto clientId = ids->optionalInt64(1);
        // A chained upscale reserves only the passes it has still to send.
        Estimate needed{current->estimate, current->unit, current->estimateUsd};
        if (const auto chain = UpscaleChain::of(*current)) {
            needed = chain->remainingShare();
        }
        if (auto within = checkBudgets(projectId, clientId, needed.usdMicros, 1); !within) {
            return within;
        }
        Ledger::Entry reserve{Ledger::Kind::Reserve,
                              id,
                              needed.amount,
                              current->unit,
                              needed.usdMicros,
                              current->request.provider,
                              current->request.model,
                              projectId,
                              clientId,
                              "retry"};
        if (auto added = m_ledger.append(reserve); !added) {
            return added;
        }
    }
    auto stmt = m_db.prepare("UPDATE jobs SET state = 'queued', not_before = 0, operation_id = '', "
                             "error = '', cost_micros = NULL, finished_at = NULL, updated_at = ? "
                             "WHERE id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    if (auto ran = stmt->bind(1, unixMillis()).bind(2, id).run(); !ran) {
        return ran;
    }
    return tx->commit();
}

Status JobStore::setPriority(JobId id, int priority) {
    auto stmt = m_db.prepare("UPDATE jobs SET priority = ? WHERE id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    return stmt->bind(1, priority).bind(2, id).run();
}

Status JobStore::recoverResults() {
    auto sent = m_db.prepare("SELECT id, sent_at FROM jobs WHERE state = 'submitting' AND "
                             "sent_at IS NOT NULL");
    if (!sent) {
        return std::unexpected(sent.error());
    }
    auto found = sent->collect<std::pair<JobId, std::int64_t>>([](const sqlite::Statement& s) {
        return std::pair{s.int64(0), s.int64(1)};
    });
    if (!found) {
        return std::unexpected(found.error());
    }
    auto toStoring = m_db.prepare(
        "UPDATE jobs SET state = 'storing', result_json = ?, not_before = 0, error = '', "
        "updated_at = ? WHERE id = ? AND state = 'submitting' AND sent_at = ?");
    if (!toStoring) {
        return std::unexpected(toStoring.error());
    }
    for (const auto& [id, sentAt] : *found) {
        auto current = job(id);
        if (!current) {
            return std::unexpected(current.error());
        }
        // A chained upscale's earlier passes are files in the same folder: only the
        // manifest says which file is this pass's.
        const bool bareFiles = !UpscaleChain::of(*current);
        const auto result =
            ResultManifest::recover(m_library.root() / "jobs" / current->key, sentAt, bareFiles);
        if (!result) {
            continue;
        }
        toStoring->bind(1, result->dump()).bind(2, unixMillis()).bind(3, id).bind(4, sentAt);
        if (auto ran = toStoring->run(); !ran) {
            return ran;
        }
        toStoring->reset();
    }
    return {};
}

Result<int> JobStore::recoverAfterCrash(const std::set<std::string>& dedupingProviders) {
    // Files are read before the transaction, so that it stays short.
    if (auto recovered = recoverResults(); !recovered) {
        return std::unexpected(recovered.error());
    }
    auto tx = sqlite::Transaction::begin(m_db);
    if (!tx) {
        return std::unexpected(tx.error());
    }
    std::vector<std::string> binds;
    const std::string deduping =
        inList(dedupingProviders.empty() ? std::set<std::string>{""} : dedupingProviders, binds);
    const std::int64_t now = unixMillis();
    auto requeue = m_db.prepare("UPDATE jobs SET state = 'queued', updated_at = ? WHERE state = "
                                "'submitting' AND provider IN " +
                                deduping);
    // Claimed, never sent: the provider cannot have seen it, so it goes out again as if
    // this attempt had not been made.
    auto unsent = m_db.prepare(
        "UPDATE jobs SET state = 'queued', attempts = max(attempts - 1, 0), not_before = ?1, "
        "updated_at = ?1 WHERE state = 'submitting' AND sent_at IS NULL");
    auto interrupt = m_db.prepare(
        "UPDATE jobs SET state = 'interrupted', updated_at = ?, error = 'Ripen stopped while this "
        "request was being sent, so the provider may have charged for it. Retry it (it may be "
        "charged twice) or cancel it.' WHERE state = 'submitting'");
    auto unlease = m_db.prepare("UPDATE jobs SET not_before = ? WHERE state IN ('running', "
                                "'storing') AND not_before > ?");
    if (!requeue || !unsent || !interrupt || !unlease) {
        return std::unexpected(!requeue     ? requeue.error()
                               : !unsent    ? unsent.error()
                               : !interrupt ? interrupt.error()
                                            : unlease.error());
    }
    requeue->bind(1, now);
    for (std::size_t i = 0; i < binds.size(); ++i) {
        requeue->bind(static_cast<int>(i) + 2, binds[i]);
    }
    if (auto ran = requeue->run(); !ran) {
        return std::unexpected(ran.error());
    }
    if (auto ran = unsent->bind(1, now).run(); !ran) {
        return std::unexpected(ran.error());
    }
    if (auto ran = interrupt->bind(1, now).run(); !ran) {
        return std::unexpected(ran.error());
    }
    const int interrupted = m_db.changes();
    // Leases of a runner that died are void: resume polls and stores at once.
    if (auto ran = unlease->bind(1, now).bind(2, now).run(); !ran) {
        return std::unexpected(ran.error());
    }
    if (auto committed = tx->commit(); !committed) {
        return std::unexpected(committed.error());
    }
    return interrupted;
}

Result<Job> JobStore::job(JobId id) {
    auto stmt = m_db.prepare(std::string(kJobColumns) + " WHERE j.id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, "no job with id " + std::to_string(id));
    }
    return jobFromRow(*stmt);
}

Result<std::vector<Job>> JobStore::jobs(std::optional<JobState> state, int limit) {
    auto stmt = m_db.prepare(std::string(kJobColumns) +
                             (state ? " WHERE j.state = ?" : " WHERE ? IS NULL") +
                             " ORDER BY j.id LIMIT " + std::to_string(limit));
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    state ? stmt->bind(1, toString(*state)) : stmt->bindNull(1);
    return stmt->collect<Job>(jobFromRow);
}

Result<bool> JobStore::cancelRequested(JobId id) {
    auto stmt = m_db.prepare("SELECT cancel_requested FROM jobs WHERE id = ?");
    if (!stmt) {
        return std::unexpected(stmt.error());
    }
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row) {
        return std::unexpected(row.error());
    }
    return *row && stmt->int64(0) != 0;
}

} // namespace ripen
