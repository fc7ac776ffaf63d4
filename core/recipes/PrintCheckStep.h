#pragma once

#include "batch/PrintReadiness.h"
#include "recipes/FieldReader.h"
#include "recipes/PostStep.h"

#include <memory>
#include <string>

namespace ripen {

// {"step": "printcheck", "size": "A4" | "8x10in" | "20x30cm" | ..., "dpi": 1-2400 (300)}:
// the print readiness of every asset (core/batch checkPrintReadiness: pixels, effective DPI,
// colour profile, crop) recorded in the run manifest. Nothing is written; a "not ready"
// verdict does not stop the run. The assets pass on unchanged.
class PrintCheckStep final : public PostStep {
public:
    PrintCheckStep(std::string sizeText, PrintSize size, int dpi)
        : m_sizeText(std::move(sizeText)), m_size(size), m_dpi(dpi) {}

    std::string kind() const override { return "printcheck"; }
    nlohmann::json toJson() const override;
    Result<PostStepResult> run(PostStepRuntime& runtime,
                               const std::vector<PostStepItem>& inputs) const override;

private:
    std::string m_sizeText;
    PrintSize m_size;
    int m_dpi;
};

std::shared_ptr<const PostStep> parsePrintCheckStep(FieldReader& reader);

} // namespace ripen
