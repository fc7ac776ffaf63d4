#pragma once

#include "common/AtomicFileWriter.h"
#include "common/Error.h"
#include "video/internal/FfmpegHandles.h"

#include <filesystem>
#include <memory>
#include <string>

namespace ripen::ffmpeg {

// An MP4 being muxed into a temporary file beside its target, with the index moved to the
// front on finish (movflags +faststart). The file appears under the target's name only
// when finish() succeeds; destroyed before that, the temporary file is removed.
class Mp4Output {
public:
    static Result<std::unique_ptr<Mp4Output>> create(const std::filesystem::path& target);

    AVFormatContext* context() { return m_context.get(); }
    const std::string& shownName() const { return m_shownName; }

    // Call once streams are added and described.
    Status writeHeader();
    // Takes the packet's reference (it is blank afterwards). Timestamps in the stream's
    // time base as writeHeader left it.
    Status write(AVPacket* packet);
    Status finish();

private:
    Mp4Output(AtomicFileWriter file, std::string shownName);

    AtomicFileWriter m_file;
    std::string m_shownName;
    OutputContextPtr m_context;
    bool m_finished = false;
};

// Adds to `muxer` a stream described like `source` (codec, parameters, time base), for
// copying `source`'s packets. The MP4 muxer picks the codec tag itself.
Result<AVStream*> addStreamLike(AVFormatContext* muxer, const AVStream* source);

} // namespace ripen::ffmpeg
