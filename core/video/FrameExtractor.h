#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"

#include <filesystem>
#include <string>
#include <vector>

namespace ripen {

struct ExtractedFrame {
    std::filesystem::path file; // a PNG
    int index = 0;              // 0-based frame number in presentation order
    double seconds = 0;
};

inline constexpr int kMaxExtractedFrames = 10'000;

// Writes the poster frame of `clip` as "<baseName>-poster.png" in `outDir`: the sharpest
// frame (variance of the Laplacian at 1/4 size) within the middle 80% of the clip, so
// fades in and out and motion-blurred frames are passed over.
Result<ExtractedFrame> extractPosterFrame(const std::filesystem::path& clip,
                                          const std::filesystem::path& outDir,
                                          const std::string& baseName, ProgressSink& progress);

// Writes frames 0, n, 2n, ... as "<baseName>-fNNNNNN.png" (at most kMaxExtractedFrames).
// Each PNG is written atomically; on an error the ones already written stay.
Result<std::vector<ExtractedFrame>> extractEveryNthFrame(const std::filesystem::path& clip, int n,
                                                         const std::filesystem::path& outDir,
                                                         const std::string& baseName,
                                                         ProgressSink& progress);

} // namespace ripen
