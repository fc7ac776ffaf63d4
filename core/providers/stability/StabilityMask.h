#pragma once

#include "common/Error.h"

#include <string>
#include <string_view>

namespace ripen::providers {

// Stability's mask is Ripen's convention already (black = keep, white = full inpainting
// strength, grey in between; a mask of another size is resized by Stability). The file is
// still decoded and re-encoded as an 8-bit grey PNG so that a colour, 16-bit or RGBA mask
// cannot be read differently by the server (an alpha channel, for one, means something
// else to Stability). Errors: those of decodeImage; Internal when encoding fails.
Result<std::string> makeStabilityMask(std::string_view maskFileBytes);

} // namespace ripen::providers
