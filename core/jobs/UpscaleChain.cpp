#include "jobs/UpscaleChain.h"

#include "providers/UpscaleOptions.h"

namespace ripen {
namespace {

const nlohmann::json& chainStateOf(const nlohmann::json& result) {
    static const nlohmann::json kNone = nlohmann::json::object();
    if (!result.is_object()) {
        return kNone;
    }
    const auto it = result.find("upscale_chain");
    return it != result.end() && it->is_object() ? *it : kNone;
}

Micros integerOr0(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<Micros>() : 0;
}

} // namespace

std::optional<UpscaleChain> UpscaleChain::of(const Job& job) {
    if (job.request.kind != JobKind::Upscale || job.request.provider == "local") {
        return std::nullopt;
    }
    std::vector<int> passes = upscalePassesOf(job.request);
    if (passes.size() < 2) {
        return std::nullopt;
    }
    UpscaleChain chain;
    chain.m_job = job;
    chain.m_passes = std::move(passes);
    const auto done = chainStateOf(job.result).find("passes");
    if (done != chainStateOf(job.result).end() && done->is_array()) {
        chain.m_done = *done;
    }
    return chain;
}

GenerationRequest UpscaleChain::nextRequest() const {
    GenerationRequest request = m_job.request;
    const int index = std::min(passesDone(), passCount() - 1);
    if (index > 0) {
        request.images = {std::filesystem::path(m_done.back().value("file", ""))};
    }
    request.upscaleFactor = m_passes[static_cast<std::size_t>(index)];
    request.options["upscale_passes"] = nlohmann::json::array({request.upscaleFactor});
    request.options["upscale_pass"] = index + 1;
    return request;
}

std::string UpscaleChain::nextKey() const {
    return passesDone() == 0 ? m_job.key : m_job.key + "-pass" + std::to_string(passesDone() + 1);
}

Estimate UpscaleChain::nextShare() const {
    Estimate share;
    share.unit = m_job.unit;
    share.amount = m_job.estimate / passCount();
    share.usdMicros = m_job.estimateUsd / passCount();
    return share;
}

Estimate UpscaleChain::remainingShare() const {
    const int left = passCount() - passesDone();
    Estimate share;
    share.unit = m_job.unit;
    share.amount = m_job.estimate * left / passCount();
    share.usdMicros = m_job.estimateUsd * left / passCount();
    return share;
}

nlohmann::json UpscaleChain::stateOf(const Job& job) {
    return chainStateOf(job.result);
}

nlohmann::json UpscaleChain::withPassDone(const ProviderResult& result,
                                          const Estimate& charge) const {
    nlohmann::json passes = m_done;
    passes.push_back(
        {{"factor", m_passes[std::min<std::size_t>(m_done.size(), m_passes.size() - 1)]},
         {"file", result.outputs.empty() ? "" : result.outputs.front().file.string()},
         {"model_version", result.modelVersion},
         {"cost_micros", charge.amount},
         {"unit", charge.unit},
         {"usd_micros", charge.usdMicros}});
    const nlohmann::json& state = chainStateOf(m_job.result);
    return {{"passes", passes},
            {"charged_micros", integerOr0(state, "charged_micros") + charge.amount},
            {"charged_usd_micros", integerOr0(state, "charged_usd_micros") + charge.usdMicros}};
}

nlohmann::json UpscaleChain::provenance(const nlohmann::json& chainState) {
    nlohmann::json list = nlohmann::json::array();
    const auto passes = chainState.find("passes");
    if (passes == chainState.end() || !passes->is_array()) {
        return list;
    }
    for (const auto& pass : *passes) {
        // The work-folder path means nothing once the job is done: it is left out.
        list.push_back({{"factor", pass.value("factor", 0)},
                        {"model_version", pass.value("model_version", "")},
                        {"cost_micros", pass.value("cost_micros", Micros{0})},
                        {"unit", pass.value("unit", "")}});
    }
    return list;
}

Micros chargedByEarlierPasses(const Job& job) {
    return integerOr0(chainStateOf(job.result), "charged_micros");
}

} // namespace ripen
