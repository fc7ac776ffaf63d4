#pragma once

#include "catalog/GenerationMetadata.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ripen {

// The AUTOMATIC1111 "parameters" text, which Forge, SD.Next and InvokeAI also read:
//
//     prompt line(s)
//     Negative prompt: negative line(s)
//     Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1, Size: 512x768, Model: x
//
// The last line counts as settings only when it holds at least three "Key: value" pairs,
// as in A1111; values holding a comma, colon or newline are JSON strings. Ripen adds
// "Provider" and "Model version" to the settings so its own exports read back whole.
class A1111Parameters {
public:
    // Never fails: text that is not in this shape is all prompt. Seed, Size, Model,
    // Model version and Provider fill their fields (a Seed or Size that does not parse stays
    // in params); every other setting goes to params as the string written, so "7.0" stays
    // "7.0". When settings are present without a Provider, provider is "automatic1111".
    // Invalid UTF-8 is replaced with U+FFFD.
    static GenerationMetadata parse(std::string_view text);

    // The inverse of parse(). Every line of prompt and negative prompt loses leading and
    // trailing whitespace on reading, as in A1111. A params value that is not a string is
    // written as JSON. Left out: keys that the settings syntax cannot hold (they must start
    // with a letter, digit or '_' and hold at least two of those, spaces, '-' or '/'), a
    // Size without both width and height, and kNotWritten. "Provider: automatic1111" is
    // left out while three other settings remain, since parse() assumes it. With fewer than
    // three settings, readers (A1111 included) take the settings line for more prompt.
    static std::string format(const GenerationMetadata& metadata);

    // The "Key: value" pairs of one settings line, in order, JSON-quoted values decoded.
    static std::vector<std::pair<std::string, std::string>>
    parseSettingsLine(std::string_view line);

    // Whether `key` can be written as a setting (see format()).
    static bool isWritableKey(std::string_view key);

    // Params too large or too specific for the settings line; ComfyUI graphs have their own
    // "prompt" and "workflow" chunks.
    static constexpr std::string_view kNotWritten[] = {"comfyui_prompt", "comfyui_workflow"};
};

} // namespace ripen
