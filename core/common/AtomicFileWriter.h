#pragma once

#include "common/Error.h"
#include "common/UniqueFd.h"

#include <filesystem>
#include <string_view>

namespace ripen {

// Streams data into a temporary file beside `target` and makes it appear at `target` only
// on commit() (fsync, rename, fsync of the folder). If commit() is never reached (an
// error, a cancel, an exception), the destructor removes the temporary file, so no half
// written file is ever visible under the final name.
class AtomicFileWriter {
public:
    static Result<AtomicFileWriter> create(const std::filesystem::path& target);

    AtomicFileWriter(AtomicFileWriter&& other) noexcept;
    AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
    ~AtomicFileWriter();

    Status write(std::string_view bytes);
    Status commit();

    const std::filesystem::path& target() const { return m_target; }
    // Where the bytes go until commit(), for writers (FFmpeg's muxer) that must open the
    // file by name; it is the same file the writer's descriptor holds.
    const std::filesystem::path& tempPath() const { return m_temp; }

private:
    AtomicFileWriter(std::filesystem::path target, std::filesystem::path temp, UniqueFd fd);

    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    UniqueFd m_fd;
    bool m_committed = false;
};

// Copies `from` to `to` through an AtomicFileWriter, one buffer at a time: `to` holds the
// old content or the complete copy, never a part. `from` must be a regular file.
Status copyFileAtomically(const std::filesystem::path& from, const std::filesystem::path& to);

} // namespace ripen
