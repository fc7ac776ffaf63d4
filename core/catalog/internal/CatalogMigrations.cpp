#include "catalog/internal/CatalogMigrations.h"

#include "common/TextEncoding.h"

#include <array>
#include <string>

namespace ripen {
namespace {

// Version 1: assets, projects, clients, tags and lineage.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE clients(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK(length(name) > 0),
    created_at INTEGER NOT NULL DEFAULT (unixepoch() * 1000)
);
CREATE TABLE projects(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK(length(name) > 0),
    client_id INTEGER REFERENCES clients(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch() * 1000)
);
CREATE TABLE assets(
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK(kind IN ('image', 'mask', 'video')),
    sha256 TEXT NOT NULL UNIQUE CHECK(length(sha256) = 64),
    blob_path TEXT NOT NULL,
    format TEXT NOT NULL,
    byte_size INTEGER NOT NULL CHECK(byte_size >= 0),
    width INTEGER NOT NULL CHECK(width > 0),
    height INTEGER NOT NULL CHECK(height > 0),
    duration_us INTEGER,
    source_path TEXT NOT NULL DEFAULT '',
    project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    client_id INTEGER REFERENCES clients(id) ON DELETE SET NULL,
    stage TEXT NOT NULL DEFAULT 'none' CHECK(stage IN
        ('none', 'concept', 'master', 'inpainted', 'upscaled', 'final', 'clip')),
    rating INTEGER NOT NULL DEFAULT 0 CHECK(rating BETWEEN 0 AND 5),
    flag TEXT NOT NULL DEFAULT 'none' CHECK(flag IN ('none', 'pick', 'reject')),
    color_label TEXT NOT NULL DEFAULT 'none' CHECK(color_label IN
        ('none', 'red', 'yellow', 'green', 'blue', 'purple')),
    prompt TEXT NOT NULL DEFAULT '',
    negative_prompt TEXT NOT NULL DEFAULT '',
    provider TEXT NOT NULL DEFAULT '',
    model_id TEXT NOT NULL DEFAULT '',
    model_version TEXT NOT NULL DEFAULT '',
    seed INTEGER,
    params_json TEXT NOT NULL DEFAULT '{}' CHECK(json_valid(params_json)),
    cost_micros INTEGER NOT NULL DEFAULT 0,
    cost_currency TEXT NOT NULL DEFAULT 'USD',
    notes TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    imported_at INTEGER NOT NULL
);
CREATE INDEX assets_by_project ON assets(project_id, imported_at);
CREATE INDEX assets_by_client ON assets(client_id);
CREATE INDEX assets_by_imported ON assets(imported_at, id);
CREATE INDEX assets_by_stage ON assets(stage);
CREATE INDEX assets_by_rating ON assets(rating);
CREATE INDEX assets_by_flag ON assets(flag);
CREATE TABLE asset_parents(
    child_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    parent_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    relation TEXT NOT NULL DEFAULT 'derived',
    PRIMARY KEY(child_id, parent_id),
    CHECK(child_id <> parent_id)
) WITHOUT ROWID;
CREATE INDEX asset_parents_by_parent ON asset_parents(parent_id);
CREATE TABLE tags(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK(length(name) > 0)
);
CREATE TABLE asset_tags(
    asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY(asset_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX asset_tags_by_tag ON asset_tags(tag_id);
)sql";

// Version 2: full-text search over prompts, tags and notes, kept current by triggers so
// that every writer (the app, ripen-cli, a future sync) updates it in the same transaction.
constexpr const char* kVersion2 = R"sql(
CREATE VIRTUAL TABLE assets_fts USING fts5(
    prompt, negative_prompt, tags, notes, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER assets_fts_insert AFTER INSERT ON assets BEGIN
    INSERT INTO assets_fts(rowid, prompt, negative_prompt, tags, notes)
    VALUES (new.id, new.prompt, new.negative_prompt, '', new.notes);
END;
CREATE TRIGGER assets_fts_update AFTER UPDATE OF prompt, negative_prompt, notes ON assets BEGIN
    UPDATE assets_fts SET prompt = new.prompt, negative_prompt = new.negative_prompt,
                          notes = new.notes WHERE rowid = new.id;
END;
CREATE TRIGGER assets_fts_delete AFTER DELETE ON assets BEGIN
    DELETE FROM assets_fts WHERE rowid = old.id;
END;
CREATE TRIGGER asset_tags_fts_insert AFTER INSERT ON asset_tags BEGIN
    UPDATE assets_fts SET tags = (SELECT coalesce(group_concat(t.name, ' '), '')
        FROM asset_tags a JOIN tags t ON t.id = a.tag_id WHERE a.asset_id = new.asset_id)
    WHERE rowid = new.asset_id;
END;
CREATE TRIGGER asset_tags_fts_delete AFTER DELETE ON asset_tags BEGIN
    UPDATE assets_fts SET tags = (SELECT coalesce(group_concat(t.name, ' '), '')
        FROM asset_tags a JOIN tags t ON t.id = a.tag_id WHERE a.asset_id = old.asset_id)
    WHERE rowid = old.asset_id;
END;
INSERT INTO assets_fts(rowid, prompt, negative_prompt, tags, notes)
    SELECT s.id, s.prompt, s.negative_prompt,
           (SELECT coalesce(group_concat(t.name, ' '), '')
              FROM asset_tags a JOIN tags t ON t.id = a.tag_id WHERE a.asset_id = s.id),
           s.notes
    FROM assets s;
)sql";

// Version 3: the job queue and the credit ledger. They live in the catalog so that a
// finished job, its assets and its charge commit in one transaction.
constexpr const char* kVersion3 = R"sql(
CREATE TABLE jobs(
    id INTEGER PRIMARY KEY,
    job_key TEXT NOT NULL UNIQUE,
    batch TEXT NOT NULL DEFAULT '',
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    kind TEXT NOT NULL,
    request_json TEXT NOT NULL CHECK(json_valid(request_json)),
    state TEXT NOT NULL CHECK(state IN ('queued', 'submitting', 'running', 'storing',
        'succeeded', 'failed', 'canceled', 'interrupted')),
    priority INTEGER NOT NULL DEFAULT 0,
    project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    client_id INTEGER REFERENCES clients(id) ON DELETE SET NULL,
    stage TEXT NOT NULL DEFAULT 'concept',
    operation_id TEXT NOT NULL DEFAULT '',
    endpoint TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    polls INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL DEFAULT 0,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    estimate_micros INTEGER NOT NULL,
    estimate_usd_micros INTEGER NOT NULL,
    unit TEXT NOT NULL DEFAULT 'USD',
    cost_micros INTEGER,
    result_json TEXT NOT NULL DEFAULT '{}' CHECK(json_valid(result_json)),
    error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX jobs_runnable ON jobs(state, not_before, priority DESC, id);
CREATE TABLE job_assets(
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    PRIMARY KEY(job_id, asset_id)
) WITHOUT ROWID;
CREATE TABLE ledger(
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    job_id INTEGER REFERENCES jobs(id),
    kind TEXT NOT NULL CHECK(kind IN ('reserve', 'release', 'charge', 'grant', 'adjust')),
    amount_micros INTEGER NOT NULL,
    unit TEXT NOT NULL,
    usd_micros INTEGER NOT NULL,
    provider TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    project_id INTEGER,
    client_id INTEGER,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_by_job ON ledger(job_id);
CREATE INDEX ledger_by_project ON ledger(project_id, kind);
CREATE INDEX ledger_by_client ON ledger(client_id, kind);
-- The ledger is append-only: corrections are new rows, never edits.
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TABLE budgets(
    scope TEXT NOT NULL CHECK(scope IN ('project', 'client')),
    scope_id INTEGER NOT NULL,
    limit_usd_micros INTEGER NOT NULL CHECK(limit_usd_micros >= 0),
    soft_percent INTEGER NOT NULL DEFAULT 80 CHECK(soft_percent BETWEEN 1 AND 100),
    PRIMARY KEY(scope, scope_id)
) WITHOUT ROWID;
)sql";

// Version 4: provider accounts, subscriptions and bonus grants, and a daily roll-up of the
// ledger that the dashboard and reports read instead of scanning every entry. Money rows
// (subscriptions, grants) are append-only like the ledger: a new subscription supersedes
// the old one from its start date, a wrong grant is corrected by a negative one.
constexpr const char* kVersion4 = R"sql(
CREATE TABLE accounts(
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL UNIQUE CHECK(length(provider) > 0),
    currency TEXT NOT NULL CHECK(currency IN ('USD', 'credits')),
    -- What one credit costs when bought outright (0 for USD accounts).
    usd_micros_per_credit INTEGER NOT NULL DEFAULT 0 CHECK(usd_micros_per_credit >= 0),
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    CHECK(currency = 'credits' OR usd_micros_per_credit = 0)
);
CREATE TABLE subscriptions(
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    monthly_price_usd_micros INTEGER NOT NULL CHECK(monthly_price_usd_micros >= 0),
    -- In the account's unit: credit micro-units, or USD micros for a USD account.
    monthly_credit_micros INTEGER NOT NULL CHECK(monthly_credit_micros >= 0),
    renewal_day INTEGER NOT NULL CHECK(renewal_day BETWEEN 1 AND 28),
    -- A real day: '+0 days' turns 2026-02-30 into 2026-03-02, which then differs.
    starts_on TEXT NOT NULL CHECK(date(starts_on, '+0 days') IS starts_on),
    -- Ending one is subscribing again with zero amounts from the end date.
    created_at INTEGER NOT NULL
);
CREATE INDEX subscriptions_by_account ON subscriptions(account_id, starts_on);
CREATE TABLE grants(
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    granted_on TEXT NOT NULL CHECK(date(granted_on, '+0 days') IS granted_on),
    amount_micros INTEGER NOT NULL CHECK(amount_micros <> 0),
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX grants_by_account ON grants(account_id, granted_on);
CREATE TRIGGER subscriptions_no_update BEFORE UPDATE ON subscriptions BEGIN
    SELECT RAISE(ABORT, 'subscriptions are append-only: subscribe again to change one');
END;
CREATE TRIGGER subscriptions_no_delete BEFORE DELETE ON subscriptions BEGIN
    SELECT RAISE(ABORT, 'subscriptions are append-only: subscribe again to change one');
END;
CREATE TRIGGER grants_no_update BEFORE UPDATE ON grants BEGIN
    SELECT RAISE(ABORT, 'grants are append-only: add a negative grant to correct one');
END;
CREATE TRIGGER grants_no_delete BEFORE DELETE ON grants BEGIN
    SELECT RAISE(ABORT, 'grants are append-only: add a negative grant to correct one');
END;

-- One row per UTC day and combination of what the dashboard groups by. Kept by a trigger
-- in the same transaction as the ledger row, so it can never disagree with the ledger.
-- project_id, client_id and job_stage use 0 / '' for "none" so the key stays unique.
CREATE TABLE ledger_daily(
    day INTEGER NOT NULL,
    kind TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    unit TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    client_id INTEGER NOT NULL,
    job_stage TEXT NOT NULL,
    usd_micros INTEGER NOT NULL,
    amount_micros INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    PRIMARY KEY(day, kind, provider, model, unit, project_id, client_id, job_stage)
) WITHOUT ROWID;
CREATE INDEX ledger_daily_by_project ON ledger_daily(project_id, kind);
CREATE INDEX ledger_daily_by_client ON ledger_daily(client_id, kind);
CREATE TRIGGER ledger_daily_add AFTER INSERT ON ledger BEGIN
    INSERT INTO ledger_daily(day, kind, provider, model, unit, project_id, client_id, job_stage,
                             usd_micros, amount_micros, entries)
    VALUES (new.at / 86400000, new.kind, new.provider, new.model, new.unit,
            coalesce(new.project_id, 0), coalesce(new.client_id, 0),
            coalesce((SELECT stage FROM jobs WHERE id = new.job_id), ''),
            new.usd_micros, new.amount_micros, 1)
    ON CONFLICT DO UPDATE SET usd_micros = usd_micros + excluded.usd_micros,
                              amount_micros = amount_micros + excluded.amount_micros,
                              entries = entries + 1;
END;
INSERT INTO ledger_daily(day, kind, provider, model, unit, project_id, client_id, job_stage,
                         usd_micros, amount_micros, entries)
    SELECT l.at / 86400000, l.kind, l.provider, l.model, l.unit, coalesce(l.project_id, 0),
           coalesce(l.client_id, 0), coalesce(j.stage, ''), sum(l.usd_micros),
           sum(l.amount_micros), count(*)
    FROM ledger l LEFT JOIN jobs j ON j.id = l.job_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
-- Jobs by batch: the yield walks from an accepted asset to every attempt of its request.
CREATE INDEX jobs_by_batch ON jobs(batch);
CREATE INDEX jobs_by_project ON jobs(project_id, state);
CREATE INDEX job_assets_by_asset ON job_assets(asset_id);
CREATE INDEX assets_picks ON assets(flag, project_id) WHERE flag = 'pick';
)sql";

// Version 5: recipe runs. A run is one execution of a recipe (or an expansion of an
// earlier run); its jobs point at it so their assets carry the run in their provenance.
// The jobs reference is deferred so a run and its jobs are written in one transaction.
constexpr const char* kVersion5 = R"sql(
CREATE TABLE recipe_runs(
    id TEXT PRIMARY KEY CHECK(length(id) > 0),
    name TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL CHECK(stage IN ('concept', 'production')),
    recipe_json TEXT NOT NULL CHECK(json_valid(recipe_json)),
    recipe_file TEXT NOT NULL DEFAULT '',
    manifest_path TEXT NOT NULL,
    expanded_from TEXT REFERENCES recipe_runs(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    project TEXT NOT NULL DEFAULT '',
    client TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK(state IN ('queued', 'finished')),
    created_at INTEGER NOT NULL,
    finished_at INTEGER
);
ALTER TABLE jobs ADD COLUMN recipe_run TEXT
    REFERENCES recipe_runs(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX jobs_by_recipe_run ON jobs(recipe_run) WHERE recipe_run IS NOT NULL;
)sql";

// Version 6: collections, hand-picked sets of assets that cut across projects. Deleting an
// asset or a collection drops its memberships; the index by asset keeps both the cascade and
// "which collections hold this asset" fast.
constexpr const char* kVersion6 = R"sql(
CREATE TABLE collections(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK(length(name) > 0),
    created_at INTEGER NOT NULL
);
CREATE TABLE collection_assets(
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY(collection_id, asset_id)
) WITHOUT ROWID;
CREATE INDEX collection_assets_by_asset ON collection_assets(asset_id);
)sql";

// Version 7: the user's own prices, laid over the shipped price book (or the library's
// pricebook.json) when prices are loaded. One row per price key (provider, model and its
// qualifiers); deleting the row reverts to the shipped price. Amounts are micro-units.
constexpr const char* kVersion7 = R"sql(
CREATE TABLE price_overrides(
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL CHECK(length(provider) > 0),
    model TEXT NOT NULL CHECK(length(model) > 0),
    image_size TEXT NOT NULL DEFAULT '',
    quality TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT '',
    per TEXT NOT NULL CHECK(per IN ('image', 'second', 'call')),
    amount_micros INTEGER NOT NULL CHECK(amount_micros >= 0),
    unit TEXT NOT NULL CHECK(length(unit) > 0),
    source TEXT NOT NULL,
    as_of TEXT NOT NULL CHECK(length(as_of) = 10),
    created_at INTEGER NOT NULL,
    UNIQUE(provider, model, image_size, quality, mode)
);
)sql";

// Version 8: when a submission's request was about to leave (JobStore::markSent), so that a
// restart can queue again a job that was claimed but never sent, and interrupt only those
// that may have reached the provider. Jobs an older Ripen left "submitting" may have been
// sent: they count as sent.
constexpr const char* kVersion8 = R"sql(
ALTER TABLE jobs ADD COLUMN sent_at INTEGER;
UPDATE jobs SET sent_at = updated_at WHERE state = 'submitting';
)sql";

// Version 9: the picks and rejects of each project or client (and period) counted from an
// index instead of every asset's row: the credit dashboard's yield reads it at each
// refresh. Partial, so only flagged assets pay for it on import.
constexpr const char* kVersion9 = R"sql(
CREATE INDEX assets_flagged ON assets(flag, project_id, client_id, imported_at)
    WHERE flag IN ('pick', 'reject');
)sql";

// Version 10: a provider's rate-limit hold (RELIABILITY.md P2), so that a runner started
// after a stop or a crash during a 429 storm does not send into it. One row per provider:
// until when it said to come back (wall clock, ms since the epoch, UTC; 0 when its 429
// named no time), whether it has refused since it last took a submission, and why.
constexpr const char* kVersion10 = R"sql(
CREATE TABLE provider_holds(
    provider TEXT PRIMARY KEY CHECK(length(provider) > 0),
    held_until INTEGER NOT NULL CHECK(held_until >= 0),
    recovering INTEGER NOT NULL DEFAULT 1 CHECK(recovering IN (0, 1)),
    reason TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

constexpr std::array<const char*, CatalogMigrations::kLatestVersion> kSteps{
    kVersion1, kVersion2, kVersion3, kVersion4, kVersion5,
    kVersion6, kVersion7, kVersion8, kVersion9, kVersion10};

} // namespace

Result<int> CatalogMigrations::currentVersion(sqlite::Database& db) {
    auto version = db.queryInt64("PRAGMA user_version");
    if (!version) {
        return std::unexpected(version.error());
    }
    return static_cast<int>(*version);
}

Status CatalogMigrations::migrate(sqlite::Database& db, int targetVersion) {
    auto current = currentVersion(db);
    if (!current) {
        return std::unexpected(current.error());
    }
    if (*current > kLatestVersion) {
        return fail(ErrorCode::SchemaTooNew,
                    escapeInvalidUtf8(db.path().native()) + " uses catalog schema version " +
                        std::to_string(*current) + ", but this Ripen knows versions up to " +
                        std::to_string(kLatestVersion) +
                        "; open it with a newer Ripen. The catalog was not changed.");
    }
    for (int version = *current + 1; version <= targetVersion; ++version) {
        auto tx = sqlite::Transaction::begin(db);
        if (!tx) {
            return std::unexpected(tx.error());
        }
        if (auto applied = db.exec(kSteps[static_cast<std::size_t>(version - 1)]); !applied) {
            return std::unexpected(withContext(applied.error(), "catalog migration to version " +
                                                                    std::to_string(version)));
        }
        if (auto stamped = db.exec("PRAGMA user_version = " + std::to_string(version)); !stamped) {
            return stamped;
        }
        if (auto committed = tx->commit(); !committed) {
            return committed;
        }
    }
    return {};
}

} // namespace ripen
