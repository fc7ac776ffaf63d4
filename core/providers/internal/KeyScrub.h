#pragma once

#include <string>
#include <string_view>

namespace ripen::providers {

// Removes API keys from text that came back from a provider before it becomes a failure
// message. OpenAI's 401 reply quotes the key it rejected ("Incorrect API key provided:
// sk-abc***wxyz"), and a relay may echo headers verbatim, so both the exact key and any
// token shaped like an OpenAI/Stability key ("sk-" followed by key characters) are
// replaced with "<redacted>".
std::string scrubKeys(std::string text, std::string_view key);

} // namespace ripen::providers
