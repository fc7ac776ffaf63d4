#include "VideoCommands.h"
#include "common/TextEncoding.h"
#include "video/ClipCutter.h"
#include "video/ConsistencyCheck.h"
#include "video/FrameExtractor.h"

#include <cstdio>
#include <iostream>
#include <sstream>

namespace ripen::cli::video {
namespace {

int exitFor(const Error& error) {
    return error.code == ErrorCode::InvalidArgument ? kExitUsage : kExitFailure;
}

Result<std::vector<double>> parseTimes(const std::string& list) {
    std::vector<double> times;
    std::stringstream items(list);
    std::string item;
    while (std::getline(items, item, ',')) {
        auto seconds = parseSeconds(item, "--at");
        if (!seconds) {
            return std::unexpected(seconds.error());
        }
        times.push_back(*seconds);
    }
    return times;
}

Result<std::vector<double>> cutPoints(const ArgParser& args, const std::filesystem::path& clip,
                                      ProgressSink& progress) {
    const int modes =
        (args.has("every") ? 1 : 0) + (args.has("scenes") ? 1 : 0) + (args.has("at") ? 1 : 0);
    if (modes != 1) {
        return fail(ErrorCode::InvalidArgument, "choose one of --every, --scenes or --at");
    }
    CutChoice choice;
    if (args.has("scenes")) {
        choice.mode = CutMode::Scenes;
    } else if (auto every = args.value("every")) {
        auto seconds = parseSeconds(*every, "--every");
        if (!seconds) {
            return std::unexpected(seconds.error());
        }
        choice.everySeconds = *seconds;
    } else {
        auto times = parseTimes(*args.value("at"));
        if (!times) {
            return std::unexpected(times.error());
        }
        choice.mode = CutMode::At;
        choice.times = std::move(*times);
    }
    return cutPointsFor(clip, choice, progress);
}

std::string formatSeconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", seconds);
    return text;
}

} // namespace

int runCut(const CommandContext& context, const ArgParser& args) {
    const auto outDir = args.value("out-dir");
    if (!outDir) {
        return report("cut", "--out-dir DIR is required", kExitUsage);
    }
    auto source = resolveSource(context, args, "in");
    if (!source) {
        return report("cut", source.error().message, exitFor(source.error()));
    }
    CutPlan plan;
    if (auto aspect = args.value("aspect")) {
        auto parsed = parseAspect(*aspect);
        if (!parsed) {
            return report("cut", parsed.error().message, kExitUsage);
        }
        plan.aspect = *parsed;
    }
    if (auto anchor = args.value("anchor")) {
        auto parsed = cropAnchorFromString(*anchor);
        if (!parsed) {
            return report("cut", "--anchor must be center, left, right, top or bottom", kExitUsage);
        }
        plan.anchor = *parsed;
    }
    NullProgress progress;
    auto cuts = cutPoints(args, source->file, progress);
    if (!cuts) {
        return report("cut", cuts.error().message, exitFor(cuts.error()));
    }
    plan.cutsSeconds = *cuts;
    plan.baseName = outputBaseName(*source);
    auto segments = cutClip(source->file, plan, *outDir, progress);
    if (!segments) {
        return report("cut", segments.error().message, exitFor(segments.error()));
    }
    bool ok = true;
    for (const CutSegment& segment : *segments) {
        std::cout << "wrote " << escapeInvalidUtf8(segment.file.native()) << " "
                  << formatSeconds(segment.startSeconds) << " " << formatSeconds(segment.endSeconds)
                  << " " << (segment.streamCopied ? "copied" : "re-encoded") << "\n";
        ok = addOutputAsset(*source, segment.file, "cut", Stage::Clip,
                            {{"start_s", segment.startSeconds},
                             {"end_s", segment.endSeconds},
                             {"frames", segment.frames},
                             {"stream_copied", segment.streamCopied},
                             {"aspect", args.value("aspect").value_or("")},
                             {"anchor", args.value("anchor").value_or("center")}}) &&
             ok;
    }
    return ok ? kExitOk : kExitFailure;
}

int runFrames(const CommandContext& context, const ArgParser& args) {
    const auto outDir = args.value("out-dir");
    if (!outDir || args.has("poster") == args.has("every")) {
        return report("frames", "give --out-dir DIR and one of --poster or --every N", kExitUsage);
    }
    auto source = resolveSource(context, args, "in");
    if (!source) {
        return report("frames", source.error().message, exitFor(source.error()));
    }
    NullProgress progress;
    std::vector<ExtractedFrame> frames;
    if (args.has("poster")) {
        auto poster = extractPosterFrame(source->file, *outDir, outputBaseName(*source), progress);
        if (!poster) {
            return report("frames", poster.error().message, exitFor(poster.error()));
        }
        frames.push_back(*poster);
    } else {
        int n = 0;
        try {
            std::size_t used = 0;
            n = std::stoi(*args.value("every"), &used);
            if (used != args.value("every")->size()) {
                n = 0;
            }
        } catch (const std::exception&) {
            n = 0;
        }
        if (n < 1) {
            return report("frames", "--every takes a whole number of frames, 1 or more",
                          kExitUsage);
        }
        auto every =
            extractEveryNthFrame(source->file, n, *outDir, outputBaseName(*source), progress);
        if (!every) {
            return report("frames", every.error().message, exitFor(every.error()));
        }
        frames = std::move(*every);
    }
    bool ok = true;
    for (const ExtractedFrame& frame : frames) {
        std::cout << "wrote " << escapeInvalidUtf8(frame.file.native()) << " "
                  << formatSeconds(frame.seconds) << "\n";
        ok = addOutputAsset(*source, frame.file, "frame", Stage::None,
                            {{"frame", frame.index},
                             {"time_s", frame.seconds},
                             {"poster", args.has("poster")}}) &&
             ok;
    }
    return ok ? kExitOk : kExitFailure;
}

int runCheck(const CommandContext& context, const ArgParser& args) {
    auto source = resolveSource(context, args, "in");
    if (!source) {
        return report("check", source.error().message, exitFor(source.error()));
    }
    NullProgress progress;
    auto result = checkConsistency(source->file, progress);
    if (!result) {
        return report("check", result.error().message, exitFor(result.error()));
    }
    if (args.has("json")) {
        std::cout << result->toJson().dump(2) << "\n";
    } else {
        std::cout << result->changes.size() + 1 << " frames, " << result->flaggedCount
                  << " flagged (structural over " << result->structuralThreshold
                  << ", flicker over " << result->flickerThreshold << ")\n";
        for (const FrameChange& c : result->worst) {
            std::cout << "flagged " << formatSeconds(c.seconds) << " s frame " << c.index
                      << " structural " << c.structural << " flicker " << c.flicker << " motion "
                      << c.motionPixels << " px\n";
        }
    }
    return result->flaggedCount > 0 ? kExitSkipped : kExitOk;
}

} // namespace ripen::cli::video
