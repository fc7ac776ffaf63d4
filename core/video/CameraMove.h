#pragma once

#include "video/CameraPath.h"

#include <optional>
#include <string_view>

namespace ripen {

// The camera moves Ripen renders from a still without a provider (Ken Burns moves).
enum class CameraMove { PanLeft, PanRight, PanUp, PanDown, ZoomIn, ZoomOut, Dolly };

std::string_view toString(CameraMove move);
std::optional<CameraMove> cameraMoveFromString(std::string_view text);

// How far zoom and dolly moves push in: the last crop is 1/kZoomFactor of the first.
inline constexpr double kZoomFactor = 1.3;
// Pans frame the still at this fraction of its largest crop, leaving room to travel.
inline constexpr double kPanCropFraction = 0.8;

// The path of `move` over a still of `sourceWidth` x `sourceHeight` for an output with
// aspect `outputAspect` (width / height), from t = 0 to `durationSeconds`, at constant
// speed. Every crop has the output's aspect and lies inside the still.
CameraPath cameraMovePath(CameraMove move, int sourceWidth, int sourceHeight, double outputAspect,
                          double durationSeconds);

// The largest crop with `aspect` centred in the still.
CropRect largestCrop(int sourceWidth, int sourceHeight, double aspect);

} // namespace ripen
