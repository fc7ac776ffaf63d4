#pragma once

#include "common/Error.h"

#include <string>

namespace ripen {

struct H264Settings {
    int width = 1920; // pixels; both even (yuv420p halves the chroma planes)
    int height = 1080;
    int fps = 30;                   // frames per second, 1-120
    int crf = 20;                   // x264 constant rate factor, 0 (lossless) - 51
    std::string preset = "medium";  // x264 preset: ultrafast ... veryslow
    int keyframeIntervalFrames = 0; // 0: one keyframe a second, so whole-second cuts copy
};

// Checks a settings value against what the writer accepts; the error names the field.
Status validateH264Settings(const H264Settings& settings);

} // namespace ripen
