#include "providers/openai/OpenAiImagesRequest.h"

#include <array>
#include <regex>
#include <string_view>
#include <utility>

namespace ripen::providers {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxPromptChars = 32'000;
constexpr std::size_t kMaxOptionChars = 64;

// The sizes gpt-image-1 documents, by the aspect ratio Ripen's UI offers.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kSizeByAspect{{
    {"1:1", "1024x1024"},
    {"3:2", "1536x1024"},
    {"2:3", "1024x1536"},
}};

// Code points, not bytes: OpenAI's limit is in characters.
std::size_t utf8Length(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text) {
        count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return count;
}

Status invalid(const std::string& message) {
    return fail(ErrorCode::InvalidArgument, "OpenAI Images: " + message);
}

Status addSize(const GenerationRequest& request, Json& params) {
    std::string size = request.imageSize;
    if (const auto it = request.options.find("size");
        it != request.options.end() && it->is_string()) {
        size = it->get<std::string>();
    }
    if (!size.empty()) {
        static const std::regex kSizePattern("auto|[1-9][0-9]{1,4}x[1-9][0-9]{1,4}");
        if (!std::regex_match(size, kSizePattern)) {
            return invalid("size \"" + size + "\" is not \"auto\" or WIDTHxHEIGHT");
        }
        params["size"] = size;
        return {};
    }
    if (request.aspectRatio.empty()) {
        return {};
    }
    for (const auto& [aspect, pixels] : kSizeByAspect) {
        if (request.aspectRatio == aspect) {
            params["size"] = pixels;
            return {};
        }
    }
    return invalid("aspect ratio " + request.aspectRatio +
                   " has no OpenAI size; use 1:1, 3:2 or 2:3, or give a size");
}

Status addStringOption(const Json& options, const char* name, Json& params) {
    const auto it = options.find(name);
    if (it == options.end() || it->is_null()) {
        return {};
    }
    if (!it->is_string() || it->get<std::string>().empty() ||
        it->get<std::string>().size() > kMaxOptionChars) {
        return invalid(std::string("option \"") + name + "\" must be a short string");
    }
    params[name] = *it;
    return {};
}

Status addIntegerOption(const Json& options, const char* name, int low, int high, Json& params) {
    const auto it = options.find(name);
    if (it == options.end() || it->is_null()) {
        return {};
    }
    if (!it->is_number_integer() || it->get<long long>() < low || it->get<long long>() > high) {
        return invalid(std::string("option \"") + name + "\" must be an integer from " +
                       std::to_string(low) + " to " + std::to_string(high));
    }
    params[name] = it->get<int>();
    return {};
}

Status addOptions(const GenerationRequest& request, bool forEdit, Json& params) {
    const Json& options = request.options;
    if (!options.is_object()) {
        return invalid("options must be a JSON object");
    }
    for (const char* name : {"quality", "background", "output_format", "moderation"}) {
        if (auto status = addStringOption(options, name, params); !status) {
            return status;
        }
    }
    if (forEdit) {
        if (auto status = addStringOption(options, "input_fidelity", params); !status) {
            return status;
        }
    }
    if (auto status = addIntegerOption(options, "n", 1, 10, params); !status) {
        return status;
    }
    return addIntegerOption(options, "output_compression", 0, 100, params);
}

} // namespace

Result<Json> openAiImageParameters(const GenerationRequest& request, bool forEdit) {
    if (request.model.empty()) {
        return std::unexpected(
            invalid("no model chosen (models.json lists the gpt-image ids)").error());
    }
    if (request.prompt.empty() || utf8Length(request.prompt) > kMaxPromptChars) {
        return std::unexpected(invalid("the prompt must have 1 to 32000 characters").error());
    }
    Json params = Json::object();
    params["model"] = request.model;
    params["prompt"] = request.prompt;
    if (auto status = addSize(request, params); !status) {
        return std::unexpected(status.error());
    }
    if (auto status = addOptions(request, forEdit, params); !status) {
        return std::unexpected(status.error());
    }
    return params;
}

std::string multipartValue(const Json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

} // namespace ripen::providers
