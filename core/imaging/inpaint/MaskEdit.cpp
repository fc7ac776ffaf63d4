#include "imaging/inpaint/MaskEdit.h"

#include "imaging/inpaint/MaskOps.h"

#include <opencv2/core.hpp>

namespace ripen {

void applyMaskEdit(MaskPixels pixels, MaskEdit edit, int pixelCount) {
    if (pixels.data == nullptr || pixels.width <= 0 || pixels.height <= 0) {
        return;
    }
    cv::Mat mask(pixels.height, pixels.width, CV_8UC1, pixels.data, pixels.bytesPerLine);
    switch (edit) {
    case MaskEdit::Invert:
        invertMask(mask).copyTo(mask);
        break;
    case MaskEdit::Clear:
        mask.setTo(cv::Scalar(0));
        break;
    case MaskEdit::Grow:
        growMask(mask, pixelCount).copyTo(mask);
        break;
    case MaskEdit::Shrink:
        growMask(mask, -pixelCount).copyTo(mask);
        break;
    case MaskEdit::Feather:
        featherMask(mask, pixelCount).copyTo(mask);
        break;
    }
}

} // namespace ripen
