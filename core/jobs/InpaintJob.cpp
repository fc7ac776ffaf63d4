#include "jobs/InpaintJob.h"

#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageLimits.h"
#include "imaging/inpaint/InpaintMask.h"
#include "imaging/inpaint/InpaintPlan.h"

#include <opencv2/imgcodecs.hpp>
#include <vector>

namespace ripen {
namespace {

struct MaskedEdit {
    cv::Mat original;
    cv::Mat mask;
    InpaintSettings settings;
};

Result<cv::Mat> readImage(const std::filesystem::path& file, const std::string& what) {
    auto bytes = readFileBounded(file, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(withContext(bytes.error(), what));
    }
    auto image = decodeImage(*bytes);
    if (!image) {
        return std::unexpected(withContext(image.error(), what));
    }
    return image;
}

Result<MaskedEdit> readMaskedEdit(const GenerationRequest& request) {
    if (request.images.empty() || !request.mask) {
        return fail(ErrorCode::InvalidArgument, "an inpaint needs an image and a mask");
    }
    auto original = readImage(request.images.front(), "the image to inpaint");
    if (!original) {
        return std::unexpected(original.error());
    }
    auto mask = loadInpaintMask(*request.mask, original->size());
    if (!mask) {
        return std::unexpected(mask.error());
    }
    return MaskedEdit{std::move(*original), std::move(*mask),
                      InpaintSettings::fromOptions(request.options)};
}

Status writePng(const std::filesystem::path& file, const cv::Mat& pixels) {
    std::vector<uchar> png;
    try {
        if (!cv::imencode(".png", pixels, png)) {
            return fail(ErrorCode::Internal, "OpenCV could not encode " + file.filename().string());
        }
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, "encoding " + file.filename().string() + ": " + e.what());
    }
    return writeFileAtomically(
        file, std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
}

} // namespace

bool isMaskedEdit(const GenerationRequest& request) {
    return (request.kind == JobKind::Inpaint || request.kind == JobKind::Erase) &&
           request.mask.has_value();
}

Status checkMaskedEdit(const GenerationRequest& request) {
    auto edit = readMaskedEdit(request);
    if (!edit) {
        return std::unexpected(edit.error());
    }
    return {};
}

Result<GenerationRequest> maskedEditSubmission(const GenerationRequest& request,
                                               const std::filesystem::path& workDir) {
    auto edit = readMaskedEdit(request);
    if (!edit) {
        return std::unexpected(edit.error());
    }
    if (!edit->settings.onlyMasked) {
        return request;
    }
    const EngineInput input = engineInput(edit->original, edit->mask, edit->settings);
    GenerationRequest cropped = request;
    cropped.images.front() = workDir / "context-image.png";
    cropped.mask = workDir / "context-mask.png";
    if (auto written = writePng(cropped.images.front(), input.image); !written) {
        return std::unexpected(written.error());
    }
    if (auto written = writePng(*cropped.mask, input.mask); !written) {
        return std::unexpected(written.error());
    }
    return cropped;
}

Result<std::filesystem::path> compositeMaskedEditOutput(const GenerationRequest& request,
                                                        const std::filesystem::path& output) {
    auto edit = readMaskedEdit(request);
    if (!edit) {
        return std::unexpected(edit.error());
    }
    auto returned = readImage(output, "the provider's result");
    if (!returned) {
        return std::unexpected(returned.error());
    }
    auto result = resultFromEngine(edit->original, edit->mask, *returned, edit->settings);
    if (!result) {
        return std::unexpected(result.error());
    }
    const auto file = output.parent_path() / (output.stem().string() + "-composited.png");
    if (auto written = writePng(file, *result); !written) {
        return std::unexpected(written.error());
    }
    return file;
}

} // namespace ripen
