#include "VideoCommands.h"
#include "common/TextEncoding.h"
#include "video/StillMove.h"

#include <charconv>
#include <iostream>
#include <random>
#include <unistd.h>

namespace ripen::cli::video {
namespace {

// Reports every tenth of the work to stderr, so a long 4K render shows it is alive.
class StderrProgress final : public ProgressSink {
public:
    void report(std::int64_t done, std::int64_t total, std::string_view message) override {
        const std::int64_t tenth = total > 0 ? done * 10 / total : 0;
        if (tenth != m_lastTenth) {
            m_lastTenth = tenth;
            std::cerr << message << " " << done << "/" << total << "\n";
        }
    }
    bool cancelled() const override { return false; }

private:
    std::int64_t m_lastTenth = -1;
};

Result<int> wholeNumber(const std::optional<std::string>& text, int fallback,
                        const std::string& option) {
    if (!text) {
        return fallback;
    }
    int value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size()) {
        return fail(ErrorCode::InvalidArgument, option + ": '" + *text + "' is not a whole number");
    }
    return value;
}

Result<StillMoveRequest> buildRequest(const ArgParser& args) {
    StillMoveRequest request;
    const auto move = args.value("move");
    const auto duration = args.value("duration");
    const auto size = args.value("size");
    if (!move || !duration || !size) {
        return fail(ErrorCode::InvalidArgument, "--move, --duration and --size are required");
    }
    request.move = *move;
    auto seconds = parseSeconds(*duration, "--duration");
    auto dimensions = parseSize(*size);
    auto fps = wholeNumber(args.value("fps"), 30, "--fps");
    auto crf = wholeNumber(args.value("crf"), 20, "--crf");
    for (const Error* error :
         {seconds ? nullptr : &seconds.error(), dimensions ? nullptr : &dimensions.error(),
          fps ? nullptr : &fps.error(), crf ? nullptr : &crf.error()}) {
        if (error != nullptr) {
            return std::unexpected(*error);
        }
    }
    request.durationSeconds = *seconds;
    request.video.width = dimensions->first;
    request.video.height = dimensions->second;
    request.video.fps = *fps;
    request.video.crf = *crf;
    request.video.preset = args.value("preset").value_or("medium");
    return request;
}

std::filesystem::path scratchFile() {
    std::random_device random;
    return std::filesystem::temp_directory_path() /
           ("ripen-move-" + std::to_string(::getpid()) + "-" + std::to_string(random()) + ".mp4");
}

} // namespace

int runMove(const CommandContext& context, const ArgParser& args) {
    auto request = buildRequest(args);
    if (!request) {
        return report("move", request.error().message, kExitUsage);
    }
    auto source = resolveSource(context, args, "image");
    if (!source) {
        return report("move", source.error().message,
                      source.error().code == ErrorCode::InvalidArgument ? kExitUsage
                                                                        : kExitFailure);
    }
    const auto out = args.value("out");
    if (!out && !source->asset) {
        return report("move", "--out FILE is required with --image", kExitUsage);
    }
    // Without --out the clip only lives in the library: render beside nothing, ingest, delete.
    const std::filesystem::path target = out ? std::filesystem::path(*out) : scratchFile();
    StderrProgress progress;
    if (auto ok = renderStillMove(source->file, *request, target, progress); !ok) {
        const bool usage = ok.error().code == ErrorCode::InvalidArgument;
        return report("move", ok.error().message, usage ? kExitUsage : kExitFailure);
    }
    if (out) {
        std::cout << "wrote " << escapeInvalidUtf8(target.native()) << "\n";
    }
    const bool added =
        addOutputAsset(*source, target, "camera-move", Stage::Clip, stillMoveParams(*request));
    if (!out) {
        std::filesystem::remove(target);
    }
    return added ? kExitOk : kExitFailure;
}

} // namespace ripen::cli::video
