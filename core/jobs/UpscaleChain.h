#pragma once

#include "credits/PriceBook.h"
#include "jobs/Job.h"
#include "providers/ProviderTypes.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// A provider's upscale whose target needs more than one pass of the engine's scale (x8
// with Stability's x4 fast upscale): one job that sends the passes in turn, each pass's
// output the next one's input. Every pass is a paid request of its own, so each is
// persisted as done (its file and its charge, JobStore::advanceChain) before the next is
// sent: a later failure, retry or restart continues after the last pass done and never
// sends an earlier pass again. Intermediates stay in the job's work folder, never in the
// library; the final asset is the source's child with the passes in its provenance.
// The local provider chains its passes inside one call and is never a chain here.
//
// The chain's state lives in the job's result under "upscale_chain":
//   {"passes": [{"factor", "file", "model_version", "cost_micros", "unit", "usd_micros"}],
//    "charged_micros", "charged_usd_micros"}
class UpscaleChain {
public:
    // Nullopt unless `job` is a provider's upscale of more than one pass.
    static std::optional<UpscaleChain> of(const Job& job);

    int passCount() const { return static_cast<int>(m_passes.size()); }
    int passesDone() const { return static_cast<int>(m_done.size()); }
    bool onLastPass() const { return passesDone() + 1 >= passCount(); }

    // What the pass to send now asks for: the source (first pass) or the last pass's
    // output as its one image, that pass's factor, priced as one request.
    GenerationRequest nextRequest() const;
    // The idempotency key and client id of that pass: the job's own key for the first
    // pass, "<key>-pass<N>" after it, so a provider that dedupes by key never answers a
    // later pass with an earlier pass's result.
    std::string nextKey() const;
    // What the next pass's share of the job's reservation is (the last pass: what is left).
    Estimate nextShare() const;
    // What the passes still to send would reserve (a retry after a failed pass).
    Estimate remainingShare() const;

    // The chain state with the pass just finished (`result`, charged `charge`) appended.
    nlohmann::json withPassDone(const ProviderResult& result, const Estimate& charge) const;
    // The passes as the final asset's provenance lists them (factor, model version, cost).
    static nlohmann::json provenance(const nlohmann::json& chainState);
    // The chain state kept in a job's result (an empty object when there is none).
    static nlohmann::json stateOf(const Job& job);

private:
    Job m_job;
    std::vector<int> m_passes;
    nlohmann::json m_done = nlohmann::json::array();
};

// What the passes before the last one of a chained job charged (0 when it is no chain).
Micros chargedByEarlierPasses(const Job& job);

} // namespace ripen
