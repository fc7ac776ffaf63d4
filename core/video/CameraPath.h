#pragma once

#include "common/Error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// A crop rectangle in source pixels, with float precision: a camera between pixels is what
// keeps slow moves free of the one-pixel stutter of integer crops.
struct CropRect {
    double x = 0;
    double y = 0;
    double width = 0;
    double height = 0;

    double centerX() const { return x + width / 2; }
    double centerY() const { return y + height / 2; }
};

// How the camera accelerates from the previous key into this one.
enum class Easing { Linear, EaseIn, EaseOut, EaseInOut };

std::string_view toString(Easing easing);
std::optional<Easing> easingFromString(std::string_view text);

struct PathKey {
    double timeSeconds = 0;
    CropRect rect;
    Easing easing = Easing::Linear; // of the segment that ends at this key
};

// A camera path over a still: crop rectangles at key times, interpolated between them.
// Before the first key the camera rests on it, after the last it holds the last.
class CameraPath {
public:
    CameraPath() = default;
    explicit CameraPath(std::vector<PathKey> keys); // sorted by time, at least one

    CropRect at(double timeSeconds) const;
    const std::vector<PathKey>& keys() const { return m_keys; }

private:
    std::vector<PathKey> m_keys;
};

struct PathLimits {
    int sourceWidth = 0; // the still, pixels
    int sourceHeight = 0;
    double outputAspect = 16.0 / 9.0; // width / height of the video
    double durationSeconds = 0;
};

inline constexpr std::size_t kMaxPathFileBytes = 1 << 20;
inline constexpr std::size_t kMaxPathKeys = 1000;

// Reads a user's path file (untrusted JSON):
//   {"keys": [{"t": 0, "x": 0, "y": 0, "w": 1920, "h": 1080},
//             {"t": 4, "x": 600, "y": 300, "w": 960, "h": 540, "ease": "ease-in-out"}]}
// t in seconds from 0, strictly increasing and within the duration; x, y, w, h in source
// pixels, inside the still, with the output's aspect ratio (1% tolerance); ease one of
// linear (default), ease-in, ease-out, ease-in-out. At most kMaxPathKeys keys.
// Errors (InvalidArgument, Corrupt, LimitExceeded) name the field: "keys[2].w: ...".
Result<CameraPath> parseCameraPath(std::string_view json, const PathLimits& limits);

// The path file of `path`, as parseCameraPath reads it back (ease left out when linear):
// what the Motion view saves and renders through `video move path:FILE`.
std::string cameraPathJson(const CameraPath& path);

// The crop of width/height `aspect` centred on (centerX, centerY) with `width` source
// pixels, made to fit a still of `sourceWidth` x `sourceHeight`: shrunk to the largest
// crop of that aspect when wider or taller, at least 16 px wide, then moved inside.
CropRect fittedCrop(double centerX, double centerY, double width, double aspect, int sourceWidth,
                    int sourceHeight);

} // namespace ripen
