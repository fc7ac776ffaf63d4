#pragma once

#include "batch/MockupRenderer.h"
#include "recipes/FieldReader.h"
#include "recipes/PostStep.h"

#include <memory>
#include <string>
#include <vector>

namespace ripen {

// {"step": "mockup", "templates": [NAME or absolute .json path, ...], "fit": "cover"|"stretch"}:
// every asset is placed on every template (core/batch renderMockup) and written to
// <library>/exports/<run-id>/mockups/<name>-<template>.png. Shipped names are checked when
// the recipe is parsed; files when the step runs. The assets pass on unchanged.
class MockupStep final : public PostStep {
public:
    MockupStep(std::vector<std::string> templates, MockupOptions::Fit fit)
        : m_templates(std::move(templates)), m_fit(fit) {}

    std::string kind() const override { return "mockup"; }
    nlohmann::json toJson() const override;
    Result<PostStepResult> run(PostStepRuntime& runtime,
                               const std::vector<PostStepItem>& inputs) const override;

private:
    std::vector<std::string> m_templates;
    MockupOptions::Fit m_fit;
};

std::shared_ptr<const PostStep> parseMockupStep(FieldReader& reader);

} // namespace ripen
