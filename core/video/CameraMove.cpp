#include "video/CameraMove.h"

#include <algorithm>
#include <array>

namespace ripen {
namespace {

constexpr std::array<std::pair<CameraMove, std::string_view>, 7> kNames = {{
    {CameraMove::PanLeft, "pan-left"},
    {CameraMove::PanRight, "pan-right"},
    {CameraMove::PanUp, "pan-up"},
    {CameraMove::PanDown, "pan-down"},
    {CameraMove::ZoomIn, "zoom-in"},
    {CameraMove::ZoomOut, "zoom-out"},
    {CameraMove::Dolly, "dolly"},
}};

CropRect scaledAbout(const CropRect& full, double fraction, double centerX, double centerY) {
    const double w = full.width * fraction;
    const double h = full.height * fraction;
    return {centerX - w / 2, centerY - h / 2, w, h};
}

} // namespace

std::string_view toString(CameraMove move) {
    for (const auto& [value, name] : kNames) {
        if (value == move) {
            return name;
        }
    }
    return "zoom-in";
}

std::optional<CameraMove> cameraMoveFromString(std::string_view text) {
    for (const auto& [value, name] : kNames) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

CropRect largestCrop(int sourceWidth, int sourceHeight, double aspect) {
    double w = sourceWidth;
    double h = w / aspect;
    if (h > sourceHeight) {
        h = sourceHeight;
        w = h * aspect;
    }
    return {(sourceWidth - w) / 2, (sourceHeight - h) / 2, w, h};
}

CameraPath cameraMovePath(CameraMove move, int sourceWidth, int sourceHeight, double outputAspect,
                          double durationSeconds) {
    const CropRect full = largestCrop(sourceWidth, sourceHeight, outputAspect);
    const double cx = sourceWidth / 2.0;
    const double cy = sourceHeight / 2.0;
    CropRect from = full;
    CropRect to = full;
    switch (move) {
    case CameraMove::PanLeft:
    case CameraMove::PanRight:
    case CameraMove::PanUp:
    case CameraMove::PanDown: {
        const CropRect framed = scaledAbout(full, kPanCropFraction, cx, cy);
        // The camera travels over all the room the still leaves along the pan's axis.
        const bool horizontal = move == CameraMove::PanLeft || move == CameraMove::PanRight;
        const double room = horizontal ? sourceWidth - framed.width : sourceHeight - framed.height;
        CropRect first = framed;
        CropRect last = framed;
        (horizontal ? first.x : first.y) = 0;
        (horizontal ? last.x : last.y) = room;
        const bool towardsOrigin = move == CameraMove::PanLeft || move == CameraMove::PanUp;
        from = towardsOrigin ? last : first;
        to = towardsOrigin ? first : last;
        break;
    }
    case CameraMove::ZoomIn:
        to = scaledAbout(full, 1 / kZoomFactor, cx, cy);
        break;
    case CameraMove::ZoomOut:
        from = scaledAbout(full, 1 / kZoomFactor, cx, cy);
        break;
    case CameraMove::Dolly: {
        // Push in while drifting sideways by a tenth of the frame: parallax without a depth map.
        const double drift = full.width * 0.1;
        const CropRect last = scaledAbout(full, 1 / kZoomFactor, cx, cy);
        const double maxShift = full.width - last.width;
        const double shift = std::min(drift, maxShift / 2);
        to = last;
        to.x += shift;
        from = full;
        break;
    }
    }
    return CameraPath({{0, from, Easing::Linear}, {durationSeconds, to, Easing::Linear}});
}

} // namespace ripen
