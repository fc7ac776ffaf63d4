#pragma once

namespace ripen::upscale_internal {

// Registers "RipenDepthToSpace" with OpenCV DNN's layer factory (once per process; safe
// from any thread). Params: "block" (int), "channels_first" (bool, PyTorch PixelShuffle
// order) - see SrOp::DepthToSpace.
void registerDepthToSpaceLayer();

} // namespace ripen::upscale_internal
