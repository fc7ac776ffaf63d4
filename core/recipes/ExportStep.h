#pragma once

#include "recipes/FieldReader.h"
#include "recipes/PostStep.h"

#include <memory>
#include <string>
#include <vector>

namespace ripen {

// {"step": "export", "formats": ["png", "jpeg", "webp", "tiff"], "quality": 1-100,
// "dpi": N}: every asset is written to <library>/exports/<run-id>/<name>.<ext> in each
// format, with its provenance (core/catalog/Exporter). The assets pass on unchanged.
class ExportStep final : public PostStep {
public:
    ExportStep(std::vector<std::string> formats, int quality, int dpi)
        : m_formats(std::move(formats)), m_quality(quality), m_dpi(dpi) {}

    std::string kind() const override { return "export"; }
    nlohmann::json toJson() const override;
    Result<PostStepResult> run(PostStepRuntime& runtime,
                               const std::vector<PostStepItem>& inputs) const override;

private:
    std::vector<std::string> m_formats;
    int m_quality;
    int m_dpi;
};

std::shared_ptr<const PostStep> parseExportStep(FieldReader& reader);

} // namespace ripen
