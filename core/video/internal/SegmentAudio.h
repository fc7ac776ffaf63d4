#pragma once

#include "common/Error.h"
#include "video/internal/FfmpegHandles.h"
#include "video/internal/Mp4Output.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace ripen::ffmpeg {

// A clip's audio, handed out segment by segment in one pass over the file, for a cutter
// that writes the segments in order. The packets are copied, never decoded: see cutClip.
class SegmentAudio {
public:
    // nullptr when `clip` has no audio stream, or one in a codec MP4 cannot carry. `originSeconds`
    // is the clip's time 0 on the container's clock (the video's first timestamp), so audio and
    // video line up.
    static Result<std::unique_ptr<SegmentAudio>> open(const std::filesystem::path& clip,
                                                      double originSeconds);

    // Adds a stream like the clip's audio to `muxer`, before its header is written.
    Result<AVStream*> addStream(AVFormatContext* muxer) const;

    // Writes to `stream` of `output` the next packets whose middle falls before `endSeconds`
    // (every remaining packet when it is nullopt), shifted so that `startSeconds` becomes 0.
    // The first call also takes any packets before the clip's start (encoder priming).
    Status writeSegment(double startSeconds, std::optional<double> endSeconds, Mp4Output& output,
                        const AVStream* stream);

private:
    SegmentAudio(FormatContextPtr context, AVStream* stream, double originSeconds,
                 std::string shownName);
    // Reads the next audio packet into m_pending; false at the end of the file.
    Result<bool> readPending();

    FormatContextPtr m_context;
    AVStream* m_stream; // owned by m_context
    double m_originSeconds;
    std::string m_shownName;
    PacketPtr m_pending;
    bool m_havePending = false;
};

} // namespace ripen::ffmpeg
