#include "Command.h"
#include "VideoCommands.h"
#include "common/TextEncoding.h"
#include "video/DerivedAsset.h"

#include <charconv>
#include <cmath>
#include <iostream>

namespace ripen::cli {
namespace video {

int report(const std::string& sub, const std::string& message, int code) {
    std::cerr << "ripen-cli video " << sub << ": " << message << "\n";
    return code;
}

Result<Source> resolveSource(const CommandContext& context, const ArgParser& args,
                             const std::string& fileOption) {
    const auto assetText = args.value("asset");
    const auto file = args.value(fileOption);
    if (assetText.has_value() == file.has_value()) {
        return fail(ErrorCode::InvalidArgument,
                    "name the source with either --asset ID or --" + fileOption + " FILE");
    }
    Source source;
    if (file) {
        source.file = *file;
        return source;
    }
    AssetId id = 0;
    const auto [end, ec] =
        std::from_chars(assetText->data(), assetText->data() + assetText->size(), id);
    if (ec != std::errc() || end != assetText->data() + assetText->size() || id <= 0) {
        return fail(ErrorCode::InvalidArgument, "--asset: '" + *assetText + "' is not an asset id");
    }
    auto library = Library::open(context.library);
    if (!library) {
        return std::unexpected(
            withContext(library.error(), "cannot open library " + context.library.string()));
    }
    source.library = std::move(*library);
    auto asset = source.library->catalog().asset(id);
    if (!asset) {
        return std::unexpected(withContext(asset.error(), "--asset " + *assetText));
    }
    source.file = source.library->blobFile(*asset);
    source.asset = std::move(*asset);
    return source;
}

std::string outputBaseName(const Source& source) {
    return source.asset ? "asset-" + std::to_string(source.asset->id) : source.file.stem().string();
}

Result<std::pair<int, int>> parseSize(const std::string& text) {
    const auto x = text.find('x');
    int width = 0;
    int height = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (x != std::string::npos) {
        const auto w = std::from_chars(begin, begin + x, width);
        const auto h = std::from_chars(begin + x + 1, end, height);
        if (w.ec == std::errc() && w.ptr == begin + x && h.ec == std::errc() && h.ptr == end) {
            return std::pair{width, height};
        }
    }
    return fail(ErrorCode::InvalidArgument, "--size: '" + text + "' is not WIDTHxHEIGHT");
}

Result<double> parseAspect(const std::string& text) {
    auto size =
        parseSize(text.find(':') == std::string::npos
                      ? std::string("?")
                      : text.substr(0, text.find(':')) + "x" + text.substr(text.find(':') + 1));
    if (!size || size->first <= 0 || size->second <= 0 || size->first > 100 || size->second > 100) {
        return fail(ErrorCode::InvalidArgument, "--aspect: '" + text + "' is not W:H, e.g. 9:16");
    }
    return static_cast<double>(size->first) / size->second;
}

Result<double> parseSeconds(const std::string& text, const std::string& option) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
        return fail(ErrorCode::InvalidArgument,
                    option + ": '" + text + "' is not a number of seconds");
    }
    return value;
}

bool addOutputAsset(Source& source, const std::filesystem::path& file, const std::string& operation,
                    Stage stage, const nlohmann::json& params) {
    if (!source.asset) {
        return true;
    }
    NullProgress progress;
    auto id =
        addDerivedAsset(*source.library, file, *source.asset, {operation, stage, params}, progress);
    if (!id) {
        std::cerr << "ripen-cli video: cannot add " << file.string()
                  << " to the library: " << id.error().message << "\n";
        return false;
    }
    std::cout << "asset " << *id << " " << escapeInvalidUtf8(file.native()) << "\n";
    return true;
}

} // namespace video

namespace {

int runVideo(const CommandContext& context, const ArgParser& args) {
    const auto& words = args.positionals();
    if (words.size() != 1) {
        std::cerr << "ripen-cli video: name one subcommand: move, i2v, cut, frames or check\n";
        return kExitUsage;
    }
    const std::string& sub = words.front();
    if (sub == "move") {
        return video::runMove(context, args);
    }
    if (sub == "i2v") {
        return video::runImageToVideo(context, args);
    }
    if (sub == "cut") {
        return video::runCut(context, args);
    }
    if (sub == "frames") {
        return video::runFrames(context, args);
    }
    if (sub == "check") {
        return video::runCheck(context, args);
    }
    std::cerr << "ripen-cli video: unknown subcommand '" << sub
              << "' (move, i2v, cut, frames, check)\n";
    return kExitUsage;
}

} // namespace

Command videoCommand() {
    return {
        "video", "video move|i2v|cut|frames|check [OPTIONS]",
        "Motion from a keyframe.\n"
        "  video move (--asset ID | --image FILE) --move MOVE --duration SECONDS --size WxH\n"
        "        [--fps N] [--crf N] [--preset P] [--out FILE]\n"
        "      renders a camera move over a still: pan-left, pan-right, pan-up, pan-down,\n"
        "      zoom-in, zoom-out, dolly, or path:FILE (a JSON list of crop rectangles).\n"
        "  video i2v --provider veo|kling [--model M] (--asset ID | --image FILE)\n"
        "        --prompt TEXT --duration SECONDS [--aspect W:H] [--wait]\n"
        "      queues a cloud image-to-video job, estimated and reserved like any job.\n"
        "  video cut (--asset ID | --in FILE) (--every SECONDS | --scenes | --at T1,T2,...)\n"
        "        [--aspect W:H [--anchor center|left|right|top|bottom]] --out-dir DIR\n"
        "      splits a clip; keyframe-aligned segments are stream-copied.\n"
        "  video frames (--asset ID | --in FILE) (--poster | --every N) --out-dir DIR\n"
        "      writes a poster frame or every Nth frame as PNG.\n"
        "  video check (--asset ID | --in FILE) [--json]\n"
        "      flags morphing and flicker; exit status 3 when anything is flagged.\n"
        "Every file written prints 'wrote <file>'. With --asset the outputs also become\n"
        "assets (children of it, with their settings as provenance): 'asset <id> <file>'.",
        [](ArgParser& p) {
            p.addOption("asset", true, "ID", "the library asset to work on");
            p.addOption("image", true, "FILE", "move, i2v: a still image file");
            p.addOption("in", true, "FILE", "cut, frames, check: a video file");
            p.addOption("move", true, "MOVE", "move: the camera move");
            p.addOption("duration", true, "SECONDS", "move, i2v: the clip's length");
            p.addOption("size", true, "WxH", "move: 1280x720, 1920x1080, 3840x2160, 1080x1920...");
            p.addOption("fps", true, "N", "move: frames per second (default 30)");
            p.addOption("crf", true, "N", "move: x264 quality, 0-51 (default 20)");
            p.addOption("preset", true, "P", "move: x264 preset (default medium)");
            p.addOption("out", true, "FILE", "move: the MP4 to write");
            p.addOption("provider", true, "P", "i2v: veo or kling");
            p.addOption("model", true, "M", "i2v: a model id from resources/models.json");
            p.addOption("prompt", true, "TEXT", "i2v: what should happen");
            p.addOption("aspect", true, "W:H", "i2v: 16:9, 9:16, 1:1; cut: reframe to it");
            p.addOption("anchor", true, "WHERE", "cut: what a reframe keeps (default center)");
            p.addOption("project", true, "NAME", "i2v: charge to this project");
            p.addOption("wait", false, "", "i2v: run the queue until the job finishes");
            p.addOption("every", true, "N", "cut: seconds per segment; frames: every Nth frame");
            p.addOption("scenes", false, "", "cut: at detected scene changes");
            p.addOption("at", true, "T1,T2,...", "cut: at these times (seconds)");
            p.addOption("poster", false, "", "frames: one poster frame");
            p.addOption("out-dir", true, "DIR", "cut, frames: where the files go");
            p.addOption("json", false, "", "check: print the figures as JSON");
        },
        runVideo};
}

} // namespace ripen::cli
