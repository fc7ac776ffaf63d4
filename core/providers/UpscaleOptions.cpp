#include "providers/UpscaleOptions.h"

#include <algorithm>

namespace ripen {

std::optional<cv::Size> upscaleTargetOf(const GenerationRequest& request) {
    const auto it = request.options.find("upscale_target");
    if (it == request.options.end() || !it->is_object()) {
        return std::nullopt;
    }
    const auto width = it->value("width", 0);
    const auto height = it->value("height", 0);
    if (width <= 0 || height <= 0) {
        return std::nullopt;
    }
    return cv::Size(width, height);
}

std::vector<int> upscalePassesOf(const GenerationRequest& request) {
    std::vector<int> passes;
    const auto it = request.options.find("upscale_passes");
    if (it == request.options.end() || !it->is_array()) {
        return passes;
    }
    for (const auto& pass : *it) {
        passes.push_back(pass.is_number_integer() ? pass.get<int>() : 0);
    }
    return passes;
}

int requestsSentBy(const GenerationRequest& request) {
    if (request.kind != JobKind::Upscale || request.provider == "local") {
        return 1;
    }
    return std::max(1, static_cast<int>(upscalePassesOf(request).size()));
}

} // namespace ripen
