#pragma once

#include "recipes/FieldReader.h"
#include "recipes/PostStep.h"

#include <memory>
#include <string>

namespace ripen {

// {"step": "bundle", "name": NAME}: a delivery zip (core/batch writeExportBundle) of what
// the steps before it wrote into <library>/exports/<run-id>/ — the files at its top (exports,
// ad variants, contact sheets) under files/, mockups/ under mockups/, and manifest.csv —
// written as <library>/exports/<run-id>/<NAME>.zip (NAME as a file slug, default the run
// id). Errors when no step before it wrote a file. The assets pass on unchanged.
class BundleStep final : public PostStep {
public:
    explicit BundleStep(std::string name) : m_name(std::move(name)) {}

    std::string kind() const override { return "bundle"; }
    nlohmann::json toJson() const override;
    Result<PostStepResult> run(PostStepRuntime& runtime,
                               const std::vector<PostStepItem>& inputs) const override;

private:
    std::string m_name; // empty: the run id
};

std::shared_ptr<const PostStep> parseBundleStep(FieldReader& reader);

} // namespace ripen
