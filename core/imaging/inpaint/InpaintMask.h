#pragma once

#include "common/Error.h"

#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <string>
#include <string_view>

namespace ripen {

// Ripen's mask convention, the one every inpaint path shares: an 8-bit single-channel
// image (CV_8UC1) of exactly the image's size where 0 keeps the original pixel and any
// other value marks it for change, 255 fully (a soft brush edge leaves grey in between).

// Reads a mask file (PNG, or anything decodeImage reads, within the image limits) for an
// image of `imageSize`. A file with a varying alpha channel is read by its alpha (opaque =
// change); any other file by its grey level (white = change). `name` is what errors call
// the file. Errors: those of readFileBounded and decodeImage; InvalidArgument when the
// mask has another size ("mask.png is 512x512 but the image is 1024x768"), marks nothing,
// or marks every pixel (there would be nothing left to keep).
Result<cv::Mat> loadInpaintMask(const std::filesystem::path& file, cv::Size imageSize);
Result<cv::Mat> decodeInpaintMask(std::string_view bytes, const std::string& name,
                                  cv::Size imageSize);

// The same reading and checks on decoded pixels (CV_8UC1, CV_8UC3 or CV_8UC4).
Result<cv::Mat> inpaintMaskFromPixels(const cv::Mat& pixels, const std::string& name,
                                      cv::Size imageSize);

// The reading and the size check without the coverage checks, for engines handed a part
// of an image whose mask was checked as a whole (an "only masked" context box).
Result<cv::Mat> loadMaskPlane(const std::filesystem::path& file, cv::Size imageSize);

// "512x512", as errors and reports write sizes.
std::string sizeText(cv::Size size);

} // namespace ripen
