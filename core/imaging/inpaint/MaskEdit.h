#pragma once

#include <cstddef>
#include <cstdint>

namespace ripen {

// 8-bit mask pixels owned by someone else (the editor's QImage), so the editor applies the
// same mask operations as the compositor without either side converting whole images.
struct MaskPixels {
    std::uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    std::size_t bytesPerLine = 0;
};

enum class MaskEdit {
    Invert,  // change becomes keep and keep becomes change
    Clear,   // nothing marked
    Grow,    // by `pixels` (see growMask)
    Shrink,  // by `pixels`
    Feather, // a linear ramp of `pixels` outside the marked region (see featherMask)
};

// Applies `edit` to the pixels in place. Blocks for a few distance transforms at most.
void applyMaskEdit(MaskPixels pixels, MaskEdit edit, int pixelCount = 0);

} // namespace ripen
