#include "providers/google/GeminiInpaint.h"

#include "common/FileIo.h"
#include "imaging/ImageHeader.h"
#include "imaging/ImageLimits.h"
#include "imaging/inpaint/InpaintMask.h"
#include "providers/google/GeminiErrors.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace ripen::providers::google {
namespace {

int percentOf(int pixels, int whole) {
    return whole <= 0 ? 0 : static_cast<int>((100LL * pixels + whole / 2) / whole);
}

// "top", "" (middle) or "bottom" for a centre at `at` of `whole` pixels, by thirds.
const char* third(double at, double whole, const char* first, const char* last) {
    if (at < whole / 3.0) {
        return first;
    }
    return at > 2.0 * whole / 3.0 ? last : "";
}

std::string placeOf(const cv::Rect& box, cv::Size picture) {
    const std::string vertical = third(box.y + box.height / 2.0, picture.height, "top", "bottom");
    const std::string horizontal = third(box.x + box.width / 2.0, picture.width, "left", "right");
    if (vertical.empty() && horizontal.empty()) {
        return "centre";
    }
    if (vertical.empty()) {
        return horizontal;
    }
    return vertical + " " + (horizontal.empty() ? "centre" : horizontal);
}

Result<cv::Mat> readMask(const std::filesystem::path& file) {
    auto bytes = readFileBounded(file, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    auto header = readImageHeader(*bytes);
    if (!header) {
        return std::unexpected(withContext(header.error(), file.filename().string()));
    }
    return loadMaskPlane(
        file, cv::Size(static_cast<int>(header->width), static_cast<int>(header->height)));
}

} // namespace

std::string GeminiInpaint::regionText(const cv::Mat& mask) {
    if (mask.empty() || cv::countNonZero(mask) == 0) {
        return "the whole picture";
    }
    const cv::Rect box = cv::boundingRect(mask);
    const cv::Size picture = mask.size();
    return "the region from " + std::to_string(percentOf(box.x, picture.width)) + "% to " +
           std::to_string(percentOf(box.x + box.width, picture.width)) + "% across and " +
           std::to_string(percentOf(box.y, picture.height)) + "% to " +
           std::to_string(percentOf(box.y + box.height, picture.height)) + "% down the picture (" +
           placeOf(box, picture) + ")";
}

std::string GeminiInpaint::instruction(const std::string& prompt, const std::string& region,
                                       bool erase) {
    const std::string change =
        erase ? "Remove what is in " + region +
                    " and continue the surroundings into it, so that nothing new appears there" +
                    (prompt.empty() ? std::string() : " (" + prompt + ")")
              : "Change only " + region + ": " + prompt;
    return "Edit this picture. " + change +
           ". Keep everything outside that region exactly as it is: the same composition, "
           "framing, perspective, lighting and colours. Return the whole picture at its size.";
}

ProviderOutcome<GenerationRequest> GeminiInpaint::editRequest(const GenerationRequest& request) {
    const bool erase = request.kind == JobKind::Erase;
    if (request.kind != JobKind::Inpaint && !erase) {
        return std::unexpected(
            GeminiErrors::permanent("not an inpaint: " + std::string(toString(request.kind))));
    }
    if (request.images.empty() || !request.mask) {
        return std::unexpected(GeminiErrors::permanent("an inpaint needs an image and a mask"));
    }
    if (!erase && request.prompt.empty()) {
        return std::unexpected(
            GeminiErrors::permanent("a Gemini inpaint needs a prompt: say what to paint there"));
    }
    auto mask = readMask(*request.mask);
    if (!mask) {
        return std::unexpected(
            GeminiErrors::permanent("the inpaint mask cannot be read: " + mask.error().message));
    }
    GenerationRequest edit = request;
    edit.kind = JobKind::EditImage;
    edit.prompt = instruction(request.prompt, regionText(*mask), erase);
    edit.images = {request.images.front()};
    edit.mask.reset();
    return edit;
}

} // namespace ripen::providers::google
