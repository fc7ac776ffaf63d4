#pragma once

#include "common/Error.h"

#include <opencv2/core/mat.hpp>
#include <string>
#include <string_view>

namespace ripen::providers {

// Converts a Ripen mask (8-bit grey, white = change) into the mask OpenAI's image edits
// expect: an RGBA PNG of exactly `imageSize` whose fully transparent pixels mark where to
// edit. Every non-zero mask pixel becomes transparent, because Ripen composites the result
// back wherever the mask is non-zero (the feather included), so the model must redraw all
// of it. A mask of another size is resized (nearest neighbour, so no new grey appears).
// `maskFileBytes` is the encoded mask file (PNG, or anything decodeImage reads).
// Errors: those of decodeImage; InvalidArgument for an empty size; Internal when OpenCV
// fails to encode.
Result<std::string> makeOpenAiEditMask(std::string_view maskFileBytes, cv::Size imageSize);

// The same conversion on decoded pixels (CV_8UC1/3/4); returns CV_8UC4 (BGRA).
Result<cv::Mat> openAiMaskPixels(const cv::Mat& ripenMask, cv::Size imageSize);

} // namespace ripen::providers
