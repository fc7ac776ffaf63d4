#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

namespace ripen {

// How frame `index` differs from the frame before it.
struct FrameChange {
    int index = 0;
    double seconds = 0;
    double motionPixels = 0; // global motion (translation plus zoom at the edge), analysis px
    double structural = 0;   // 1 - SSIM after undoing the global motion: what the camera
                             // does not explain (morphing, popping detail)
    double flicker = 0;      // change of mean brightness, 0-1
    bool flagged = false;
};

struct ConsistencyReport {
    std::vector<FrameChange> changes; // one per frame after the first
    double structuralThreshold = 0;   // what counted as a spike in this clip
    double flickerThreshold = 0;
    std::vector<FrameChange> worst; // the flagged moments, worst first (at most 10)
    int flaggedCount = 0;

    nlohmann::json toJson() const;
};

// Temporal consistency of a clip (generated or rendered). Frames are compared at 320 px
// wide: the global motion between neighbours is estimated from tracked corners (a
// similarity transform: pan, zoom, roll), the earlier frame is warped onto the later, and
// what is left is measured with SSIM. A clean pan or zoom leaves almost nothing; a face
// that melts, an object that morphs or a frame from elsewhere leaves a spike. A frame is
// flagged when its residual stands well above the clip's own typical residual (and above a
// floor, so a static clip's noise is not flagged), or its brightness jumps (flicker).
Result<ConsistencyReport> checkConsistency(const std::filesystem::path& clip,
                                           ProgressSink& progress);

} // namespace ripen
