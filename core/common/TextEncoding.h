#pragma once

#include <string>
#include <string_view>

namespace ripen {

bool isValidUtf8(std::string_view bytes);

// Shows arbitrary bytes (a non-UTF-8 file name, say) as printable UTF-8: valid sequences
// pass through, every other byte becomes \xNN, so the user can still find the file.
std::string escapeInvalidUtf8(std::string_view bytes);

// Replaces invalid sequences with U+FFFD; for text that must be stored or sent as UTF-8.
std::string sanitizeUtf8(std::string_view bytes);

// ISO 8859-1 (PNG tEXt/zTXt) to UTF-8.
std::string latin1ToUtf8(std::string_view latin1);

} // namespace ripen
