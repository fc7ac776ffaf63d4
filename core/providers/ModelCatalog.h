#pragma once

#include "common/Error.h"
#include "providers/GenerationRequest.h"

#include <filesystem>
#include <string>
#include <vector>

namespace ripen {

// A model as resources/models.json describes it. Model ids are data because providers
// rename and retire them; "*" stands for any model name a self-hosted server has loaded.
struct ModelInfo {
    std::string provider;
    std::string id;
    std::string name;
    std::vector<JobKind> kinds;
    std::vector<std::string> aspectRatios; // empty: any
    std::vector<std::string> imageSizes;   // empty: any
    std::vector<int> durations;            // video seconds; empty: any
    int maxReferenceImages = 0;
    std::string retired;   // YYYY-MM-DD shutdown date, empty if current
    std::string successor; // the id to use instead
};

class ModelCatalog {
public:
    static Result<ModelCatalog> load(const std::filesystem::path& file);
    static Result<ModelCatalog> parse(const std::string& text, const std::string& nameForErrors);

    const ModelInfo* find(const std::string& provider, const std::string& id) const;
    std::vector<const ModelInfo*> modelsOf(const std::string& provider) const;
    const std::vector<ModelInfo>& models() const { return m_models; }

    // Checks a request against the model's description; the error names the field and
    // lists what is allowed. `today` is YYYY-MM-DD, to refuse retired models.
    Status validate(const GenerationRequest& request, const std::string& today) const;

private:
    std::vector<ModelInfo> m_models;
};

} // namespace ripen
