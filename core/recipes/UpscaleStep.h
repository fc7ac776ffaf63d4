#pragma once

#include "recipes/FieldReader.h"
#include "recipes/PostStep.h"

#include <memory>

namespace ripen {

// {"step": "upscale", "factor": 2|3|4|8, "engine": "PROVIDER:MODEL"}: every asset is
// upscaled by a queue job (default engine "local:classic-upscale", which costs nothing;
// "stability:upscale-fast" and the like are priced and reserved as any job).
class UpscaleStep final : public PostStep {
public:
    UpscaleStep(int factor, std::string provider, std::string model)
        : m_factor(factor), m_provider(std::move(provider)), m_model(std::move(model)) {}

    std::string kind() const override { return "upscale"; }
    nlohmann::json toJson() const override;
    std::vector<GenerationRequest> plannedJobs(std::size_t inputs) const override;
    Result<PostStepResult> run(PostStepRuntime& runtime,
                               const std::vector<PostStepItem>& inputs) const override;

private:
    GenerationRequest request() const;

    int m_factor;
    std::string m_provider;
    std::string m_model;
};

std::shared_ptr<const PostStep> parseUpscaleStep(FieldReader& reader);

} // namespace ripen
