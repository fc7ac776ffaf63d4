#pragma once

#include "recipes/FieldReader.h"
#include "recipes/PostStep.h"

#include <memory>
#include <string>
#include <vector>

namespace ripen {

// {"step": "contactsheet", "formats": ["png", "pdf"], "columns": 1-12}: one sheet of the
// assets that reach the step (core/batch ContactSheet), each labelled with its name and
// pixel size, titled with the run id, written as <library>/exports/<run-id>/contact-sheet.png
// and/or .pdf. The assets pass on unchanged.
class ContactSheetStep final : public PostStep {
public:
    ContactSheetStep(std::vector<std::string> formats, int columns)
        : m_formats(std::move(formats)), m_columns(columns) {}

    std::string kind() const override { return "contactsheet"; }
    nlohmann::json toJson() const override;
    Result<PostStepResult> run(PostStepRuntime& runtime,
                               const std::vector<PostStepItem>& inputs) const override;

private:
    std::vector<std::string> m_formats;
    int m_columns;
};

std::shared_ptr<const PostStep> parseContactSheetStep(FieldReader& reader);

} // namespace ripen
