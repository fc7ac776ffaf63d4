#pragma once

#include <opencv2/core/mat.hpp>

namespace ripen {

// "Only masked": instead of the whole image, the engine sees a context box around the
// mask, scaled to the size the engine works best at, and its answer is pasted back into
// that box. Pixels are image pixels throughout.
class ContextBox {
public:
    // The bounding box of what the mask may change (the mask and its feather), padded by
    // `paddingPixels` on every side and clamped at the image borders. `nativeSide` is the
    // engine's working size: the box is scaled so its longer side has that many pixels
    // (0: worked on at 1:1, as the local engines do). An empty mask gives an empty box.
    static ContextBox around(const cv::Mat& mask, int featherPixels, int paddingPixels,
                             int nativeSide);

    const cv::Rect& box() const { return m_box; }
    cv::Size workSize() const { return m_workSize; }
    bool empty() const { return m_box.empty(); }

    // The box's pixels of `image` (or a mask) at the work size. Masks are resized with
    // nearest neighbour, so no new grey levels appear at their edges.
    cv::Mat crop(const cv::Mat& image) const;
    cv::Mat cropMask(const cv::Mat& mask) const;

    // `original` with the box replaced by `regionResult` (any size: it is resized to the
    // box). Pixels outside the box are the original's; the caller composites the result
    // through the mask afterwards, which keeps everything outside mask+feather exact.
    cv::Mat pasteBack(const cv::Mat& original, const cv::Mat& regionResult) const;

private:
    cv::Rect m_box;
    cv::Size m_workSize;
};

} // namespace ripen
