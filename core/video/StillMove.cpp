#include "video/StillMove.h"

#include "common/FileIo.h"
#include "common/TextEncoding.h"
#include "imaging/ImageDecoder.h"
#include "imaging/ImageLimits.h"
#include "video/CameraMove.h"
#include "video/MoveRenderer.h"

namespace ripen {
namespace {

constexpr std::string_view kPathPrefix = "path:";

Result<CameraPath> pathFor(const StillMoveRequest& request, int stillWidth, int stillHeight) {
    const double aspect = static_cast<double>(request.video.width) / request.video.height;
    if (request.move.starts_with(kPathPrefix)) {
        const std::filesystem::path file = request.move.substr(kPathPrefix.size());
        auto text = readFileBounded(file, kMaxPathFileBytes);
        if (!text) {
            return std::unexpected(text.error());
        }
        auto path =
            parseCameraPath(*text, {stillWidth, stillHeight, aspect, request.durationSeconds});
        if (!path) {
            return std::unexpected(withContext(path.error(), escapeInvalidUtf8(file.native())));
        }
        return path;
    }
    const auto move = cameraMoveFromString(request.move);
    if (!move) {
        return fail(ErrorCode::InvalidArgument,
                    "move: '" + request.move +
                        "' is not pan-left, pan-right, pan-up, pan-down, zoom-in, zoom-out, "
                        "dolly or path:FILE");
    }
    return cameraMovePath(*move, stillWidth, stillHeight, aspect, request.durationSeconds);
}

} // namespace

Status renderStillMove(const std::filesystem::path& still, const StillMoveRequest& request,
                       const std::filesystem::path& target, ProgressSink& progress) {
    // Cheap checks first: a typo should not cost a 100 MB decode.
    if (auto ok = validateDuration(request.durationSeconds); !ok) {
        return ok;
    }
    if (auto ok = validateH264Settings(request.video); !ok) {
        return ok;
    }
    auto bytes = readFileBounded(still, kMaxImageFileBytes);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    auto image = decodeImage(*bytes);
    if (!image) {
        return std::unexpected(withContext(image.error(), escapeInvalidUtf8(still.native())));
    }
    bytes->clear();
    bytes->shrink_to_fit();
    auto path = pathFor(request, image->cols, image->rows);
    if (!path) {
        return std::unexpected(path.error());
    }
    return renderMove(*image, {*path, request.durationSeconds, request.video}, target, progress);
}

nlohmann::json stillMoveParams(const StillMoveRequest& request) {
    return {
        {"move", request.move},
        {"duration_s", request.durationSeconds},
        {"size", std::to_string(request.video.width) + "x" + std::to_string(request.video.height)},
        {"fps", request.video.fps},
        {"crf", request.video.crf},
        {"preset", request.video.preset},
        {"codec", "h264"}};
}

} // namespace ripen
