#pragma once

#include <nlohmann/json.hpp>

namespace ripen {

// How an inpaint result is fitted back into its image. Stored in the job's request options
// (the keys below) so a restarted queue composites exactly as the user asked.
struct InpaintSettings {
    int featherPixels = 0;    // "feather_px": ramp outside the mask, pixels
    bool matchColour = false; // "match_colour": Poisson colour match at the seam
    bool onlyMasked = false;  // "only_masked": the engine sees a context box, not the image
    int paddingPixels = 32;   // "padding_px": context around the mask in that box
    int nativeSide = 0;       // "native_side": the engine's working size (0: 1:1)

    // Largest feather and padding accepted: beyond this a "local" edit is the whole image.
    static constexpr int kMaxPixels = 1024;

    // Providers work on a context box of this side with "only masked": the size the common
    // inpaint models are trained at. Local engines work at 1:1.
    static constexpr int kProviderNativeSide = 1024;

    // Sets nativeSide for the engine that will run: kProviderNativeSide for a provider
    // with onlyMasked, else 0. The CLI and the editor both call it, so both send the same.
    void fitToEngine(bool localEngine);

    // Missing or mistyped keys keep their defaults; values are clamped to 0..kMaxPixels.
    static InpaintSettings fromOptions(const nlohmann::json& options);
    void writeTo(nlohmann::json& options) const;
};

} // namespace ripen
