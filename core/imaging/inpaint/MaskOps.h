#pragma once

#include <opencv2/core/mat.hpp>

namespace ripen {

// Operations on a Ripen mask (CV_8UC1, 0 = keep, non-zero = change), shared by the
// compositor, the local engines and the inpaint editor. Each returns a new mask and leaves
// its input alone, so the editor can keep the old one for undo. Distances are Euclidean in
// pixels (OpenCV's exact distance transform), so a grow of 10 px is round, not square.

// Change becomes keep and keep becomes change (a grey g becomes 255 - g).
cv::Mat invertMask(const cv::Mat& mask);

// A mask of the same size that marks nothing.
cv::Mat clearMask(const cv::Mat& mask);

// Grows the marked region by `pixels` (every pixel within that distance of a marked one
// becomes 255); a negative count shrinks it (every pixel within that distance of a kept
// one becomes 0). Marked pixels keep their grey level otherwise.
cv::Mat growMask(const cv::Mat& mask, int pixels);

// A linear ramp of `pixels` width outside the marked region: a kept pixel at distance d
// (0 < d <= pixels) from the nearest marked one gets ceil(255 * (pixels + 1 - d) /
// (pixels + 1)), so the weight falls monotonically from the edge and is 0 beyond the
// ramp. Marked pixels keep their value. This is the compositing weight: what lies beyond
// it is never touched.
cv::Mat featherMask(const cv::Mat& mask, int pixels);

// The bounding box of what featherMask(mask, pixels) marks, clamped to the mask: the
// marked pixels' box grown by `pixels`. Empty when nothing is marked.
cv::Rect reachOf(const cv::Mat& mask, int pixels);

// The pixels a result may change once feathered by `featherPixels`: featherMask's
// non-zero pixels, as 255.
cv::Mat changeableRegion(const cv::Mat& mask, int featherPixels);

} // namespace ripen
