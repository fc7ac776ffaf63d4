#pragma once

#include "common/Error.h"
#include "common/ProgressSink.h"
#include "video/H264Settings.h"

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace ripen {

// Which part of the picture a reframe keeps.
enum class CropAnchor { Center, Left, Right, Top, Bottom };
std::optional<CropAnchor> cropAnchorFromString(std::string_view text);
std::string_view toString(CropAnchor anchor); // "center", "left", ...

struct CutPlan {
    std::vector<double> cutsSeconds; // interior cut points, from the clip's start
    std::optional<double> aspect;    // reframe every segment to width / height
    CropAnchor anchor = CropAnchor::Center;
    int crf = 18; // for re-encoded segments: near-transparent, so a cut costs no visible quality
    std::string preset = "fast";
    std::string baseName; // segment files are "<baseName>-NNN.mp4"; empty: the clip's stem
};

struct CutSegment {
    std::filesystem::path file;
    double startSeconds = 0;
    double endSeconds = 0;
    int frames = 0;
    bool streamCopied = false; // false: re-encoded
};

// Cut points every `every` seconds (the last segment takes the remainder; a remainder
// under half a frame is folded into the one before).
Result<std::vector<double>> cutsEvery(double every, double durationSeconds, double fps);
// Explicit cut points: sorted, each inside the clip (the error names the time at fault).
Result<std::vector<double>> cutsAt(std::vector<double> times, double durationSeconds);
// Cut points at hard scene changes: neighbouring frames (compared at 64 px wide) whose
// mean change stands far above the clip's typical change, at least a second apart.
Result<std::vector<double>> detectSceneCuts(const std::filesystem::path& clip,
                                            ProgressSink& progress);

// The clip's length and frame rate as the cutter sees them (packet timestamps).
struct ClipTiming {
    double durationSeconds = 0;
    double fps = 0;
    int frames = 0;
};
Result<ClipTiming> clipTiming(const std::filesystem::path& clip);

// How the user chose where to cut, as `video cut` and the Motion view take it.
enum class CutMode { Every, Scenes, At };
struct CutChoice {
    CutMode mode = CutMode::Every;
    double everySeconds = 2;   // Every
    std::vector<double> times; // At: in/out points, seconds from the clip's start
};

// The cut points `choice` gives for `clip`: cutsEvery, detectSceneCuts or cutsAt.
// Errors: theirs, and those of clipTiming.
Result<std::vector<double>> cutPointsFor(const std::filesystem::path& clip, const CutChoice& choice,
                                         ProgressSink& progress);

// Splits the video stream of `clip` at the plan's cuts into "<baseName>-NNN.mp4" files in
// `outDir`. A segment whose start and end both fall on keyframes (within half a frame) is
// stream-copied: the packets themselves, no quality lost, no decode. Any other segment,
// and every segment of a reframe, is re-encoded whole (H.264, the plan's CRF): cutting
// inside a GOP and copying its remainder ("smart render") would splice two encoders'
// parameter sets into one MP4 track, which players handle unevenly, so Ripen does not.
// Ripen's own renders put a keyframe on every second, so whole-second cuts copy.
// Segments cover the clip: their frame counts add up to the clip's. The clip's audio, if
// any, is carried into every segment: its packets are copied (both paths), each to the
// segment its middle falls in, so a segment's audio lasts as long as its video within
// one audio frame. A clip without audio gives segments without audio, and so
// does one whose audio codec MP4 cannot hold (PCM from a MOV), rather than no segments.
// Each file appears complete or not at all; on an error the finished ones stay.
Result<std::vector<CutSegment>> cutClip(const std::filesystem::path& clip, const CutPlan& plan,
                                        const std::filesystem::path& outDir,
                                        ProgressSink& progress);

} // namespace ripen
