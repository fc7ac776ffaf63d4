#include "recipes/UpscaleStep.h"

#include "catalog/Library.h"

namespace ripen {

std::shared_ptr<const PostStep> parseUpscaleStep(FieldReader& reader) {
    const auto factor = reader.integer("factor", 2, 8, true);
    const auto engine = reader.string("engine", false, 128).value_or("local:classic-upscale");
    reader.finish();
    if (factor && *factor != 2 && *factor != 3 && *factor != 4 && *factor != 8) {
        reader.issues().add(reader.pathOf("factor"), "expected 2, 3, 4 or 8");
        return nullptr;
    }
    const auto colon = engine.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == engine.size()) {
        reader.issues().add(reader.pathOf("engine"),
                            "expected PROVIDER:MODEL, e.g. \"local:classic-upscale\"");
        return nullptr;
    }
    if (!factor) {
        return nullptr;
    }
    return std::make_shared<UpscaleStep>(static_cast<int>(*factor), engine.substr(0, colon),
                                         engine.substr(colon + 1));
}

nlohmann::json UpscaleStep::toJson() const {
    return {{"step", kind()}, {"factor", m_factor}, {"engine", m_provider + ":" + m_model}};
}

GenerationRequest UpscaleStep::request() const {
    GenerationRequest r;
    r.kind = JobKind::Upscale;
    r.provider = m_provider;
    r.model = m_model;
    r.upscaleFactor = m_factor;
    return r;
}

std::vector<GenerationRequest> UpscaleStep::plannedJobs(std::size_t inputs) const {
    return std::vector<GenerationRequest>(inputs, request());
}

Result<PostStepResult> UpscaleStep::run(PostStepRuntime& runtime,
                                        const std::vector<PostStepItem>& inputs) const {
    std::vector<GenerationRequest> requests;
    for (const auto& input : inputs) {
        auto asset = runtime.library.catalog().asset(input.asset);
        if (!asset) {
            return std::unexpected(asset.error());
        }
        GenerationRequest r = request();
        r.images.push_back(runtime.library.blobFile(*asset));
        requests.push_back(std::move(r));
    }
    auto made = runtime.runJobs(requests);
    if (!made) {
        return std::unexpected(made.error());
    }
    PostStepResult result;
    result.record = toJson();
    result.record["assets"] = nlohmann::json::array();
    for (std::size_t i = 0; i < inputs.size() && i < made->size(); ++i) {
        for (const AssetId id : (*made)[i]) {
            const std::string name = inputs[i].name + "-x" + std::to_string(m_factor);
            result.outputs.push_back({id, name});
            result.record["assets"].push_back({{"from", inputs[i].asset}, {"asset", id}});
        }
    }
    return result;
}

} // namespace ripen
