#include "batch/ImageFiles.h"

#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageEncoder.h"
#include "imaging/ImageLimits.h"

namespace ripen {

Result<cv::Mat> readImageFile(const std::filesystem::path& file) {
    auto bytes = readFileBounded(file, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    auto image = decodeImage(*bytes);
    if (!image) {
        return std::unexpected(withContext(image.error(), file.string()));
    }
    return image;
}

Status writePngFile(const std::filesystem::path& file, const cv::Mat& image, int dpi) {
    EncodeOptions options;
    options.format = "png";
    options.dpi = dpi;
    auto bytes = encodeImage(image, options);
    if (!bytes) {
        return std::unexpected(withContext(bytes.error(), file.string()));
    }
    return writeFileAtomically(file, *bytes);
}

} // namespace ripen
