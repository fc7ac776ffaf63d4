#include "imaging/inpaint/InpaintSettings.h"

#include <algorithm>

namespace ripen {
namespace {

int pixelsOf(const nlohmann::json& options, const char* key, int fallback) {
    const auto it = options.find(key);
    if (it == options.end() || !it->is_number_integer()) {
        return fallback;
    }
    return static_cast<int>(
        std::clamp<std::int64_t>(it->get<std::int64_t>(), 0, InpaintSettings::kMaxPixels));
}

bool flagOf(const nlohmann::json& options, const char* key) {
    const auto it = options.find(key);
    return it != options.end() && it->is_boolean() && it->get<bool>();
}

} // namespace

InpaintSettings InpaintSettings::fromOptions(const nlohmann::json& options) {
    InpaintSettings settings;
    if (!options.is_object()) {
        return settings;
    }
    settings.featherPixels = pixelsOf(options, "feather_px", settings.featherPixels);
    settings.matchColour = flagOf(options, "match_colour");
    settings.onlyMasked = flagOf(options, "only_masked");
    settings.paddingPixels = pixelsOf(options, "padding_px", settings.paddingPixels);
    settings.nativeSide = pixelsOf(options, "native_side", settings.nativeSide);
    return settings;
}

void InpaintSettings::fitToEngine(bool localEngine) {
    nativeSide = onlyMasked && !localEngine ? kProviderNativeSide : 0;
}

void InpaintSettings::writeTo(nlohmann::json& options) const {
    options["feather_px"] = featherPixels;
    options["match_colour"] = matchColour;
    options["only_masked"] = onlyMasked;
    options["padding_px"] = paddingPixels;
    if (nativeSide > 0) {
        options["native_side"] = nativeSide;
    }
}

} // namespace ripen
