#pragma once

#include "common/Error.h"

#include <filesystem>

namespace ripen {

// Checks that an MP4/MOV or Matroska/WebM file holds every byte its top-level structure
// declares: each ISO BMFF top-level box fits in the file, and a Matroska Segment of known
// size ends within it. FFmpeg reads what is there without complaint, so a download cut
// short would otherwise import as a shorter or silently broken clip.
// Returns Corrupt naming the box or element that runs past the end. Other files, and
// structures this does not understand (trailing junk, live streams of unknown size),
// pass: FFmpeg has the final word on them.
Status checkContainerComplete(const std::filesystem::path& path);

} // namespace ripen
