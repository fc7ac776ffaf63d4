#include "providers/google/GoogleSettings.h"

#include "providers/ModelCatalog.h"

#include <algorithm>

namespace ripen::providers::google {

GoogleSettings GoogleSettings::defaults() {
    GoogleSettings settings;
    settings.models = {
        {"gemini-2.5-flash-image", 3, false},
        {"gemini-3-pro-image", 14, true},
        {"gemini-3.1-flash-image", 14, true},
    };
    return settings;
}

GoogleSettings GoogleSettings::fromCatalog(const ModelCatalog& catalog) {
    GoogleSettings settings = defaults();
    for (const ModelInfo* model : catalog.modelsOf("google")) {
        if (model->id.empty() || model->id == "*" || model->id.starts_with("veo")) {
            continue;
        }
        GeminiModelTraits traits;
        traits.modelPrefix = model->id;
        if (const GeminiModelTraits* known = settings.traitsFor(model->id)) {
            traits = *known;
            traits.modelPrefix = model->id;
        } else {
            traits.maxReferenceImages = settings.defaultMaxReferenceImages;
            traits.supportsImageSize = settings.defaultSupportsImageSize;
        }
        if (model->maxReferenceImages > 0) {
            traits.maxReferenceImages = model->maxReferenceImages;
        }
        if (!model->imageSizes.empty()) {
            traits.supportsImageSize = true;
        }
        auto existing = std::find_if(
            settings.models.begin(), settings.models.end(),
            [&](const GeminiModelTraits& t) { return t.modelPrefix == traits.modelPrefix; });
        if (existing != settings.models.end()) {
            *existing = traits;
        } else {
            settings.models.push_back(traits);
        }
    }
    return settings;
}

const GeminiModelTraits* GoogleSettings::traitsFor(std::string_view model) const {
    if (model.starts_with("models/")) {
        model.remove_prefix(7);
    }
    const GeminiModelTraits* best = nullptr;
    for (const GeminiModelTraits& traits : models) {
        if (model.starts_with(traits.modelPrefix) &&
            (best == nullptr || traits.modelPrefix.size() > best->modelPrefix.size())) {
            best = &traits;
        }
    }
    return best;
}

int GoogleSettings::maxReferenceImagesFor(std::string_view model) const {
    const GeminiModelTraits* traits = traitsFor(model);
    return traits != nullptr ? traits->maxReferenceImages : defaultMaxReferenceImages;
}

bool GoogleSettings::supportsImageSizeFor(std::string_view model) const {
    const GeminiModelTraits* traits = traitsFor(model);
    return traits != nullptr ? traits->supportsImageSize : defaultSupportsImageSize;
}

} // namespace ripen::providers::google
