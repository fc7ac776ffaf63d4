#pragma once

#include "common/Error.h"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string_view>

namespace ripen {

inline constexpr int kDefaultMaxJsonDepth = 64;
inline constexpr std::size_t kDefaultMaxJsonBytes = std::size_t{16} << 20;

// Parses untrusted JSON (PNG text chunks, provider replies, files on disk). nlohmann/json
// parses any depth but copies and dumps recursively, so a 100 000-deep array parses fine
// and then overflows the stack later, far from here (RELIABILITY.md finding 5). The depth
// is therefore refused before parsing, in linear time. `maxDepth` counts nested arrays and
// objects: 1 allows `[1]` but not `[[1]]`.
//
// Errors: LimitExceeded for text longer than `maxBytes` or nesting deeper than `maxDepth`;
// Corrupt for anything that is not JSON (ill-formed UTF-8 included), naming
// `whatForErrors` and the byte offset where parsing stopped.
Result<nlohmann::json> parseBoundedJson(std::string_view text, std::string_view whatForErrors,
                                        int maxDepth = kDefaultMaxJsonDepth,
                                        std::size_t maxBytes = kDefaultMaxJsonBytes);

} // namespace ripen
