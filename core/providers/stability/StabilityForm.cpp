#include "providers/stability/StabilityForm.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace ripen::providers {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxPromptBytes = 10'000 * 4;
constexpr std::int64_t kMaxSeed = 4'294'967'294;
constexpr std::size_t kMaxOptionChars = 64;
constexpr std::array<std::string_view, 3> kOutputFormats{"png", "jpeg", "webp"};

Status invalid(const std::string& message) {
    return fail(ErrorCode::InvalidArgument, "Stability: " + message);
}

StabilityEndpoint upscaleEndpoint(std::string_view mode) {
    StabilityEndpoint endpoint;
    endpoint.name = "upscale/" + std::string(mode);
    endpoint.path = "/v2beta/stable-image/upscale/" + std::string(mode);
    if (mode != "fast") {
        endpoint.needsPrompt = true;
        endpoint.takesNegativePrompt = true;
        endpoint.takesSeed = true;
        endpoint.takesCreativity = true;
    }
    if (mode == "creative") {
        endpoint.async = true;
        endpoint.takesStylePreset = true;
    }
    return endpoint;
}

StabilityEndpoint editEndpoint(bool inpaint) {
    StabilityEndpoint endpoint;
    endpoint.name = inpaint ? "edit/inpaint" : "edit/erase";
    endpoint.path = "/v2beta/stable-image/" + endpoint.name;
    endpoint.needsPrompt = inpaint;
    endpoint.takesNegativePrompt = inpaint;
    endpoint.takesStylePreset = inpaint;
    endpoint.takesMask = true;
    endpoint.takesSeed = true;
    endpoint.takesGrowMask = true;
    return endpoint;
}

void addField(std::vector<http::MultipartPart>& parts, std::string name, std::string value) {
    http::MultipartPart part;
    part.name = std::move(name);
    part.value = std::move(value);
    parts.push_back(std::move(part));
}

Status addPrompts(const GenerationRequest& request, const StabilityEndpoint& endpoint,
                  std::vector<http::MultipartPart>& parts) {
    if (endpoint.needsPrompt) {
        if (request.prompt.empty() || request.prompt.size() > kMaxPromptBytes) {
            return invalid(endpoint.name + " needs a prompt of 1 to 10000 characters");
        }
        addField(parts, "prompt", request.prompt);
    }
    if (endpoint.takesNegativePrompt && !request.negativePrompt.empty()) {
        if (request.negativePrompt.size() > kMaxPromptBytes) {
            return invalid("the negative prompt is longer than 10000 characters");
        }
        addField(parts, "negative_prompt", request.negativePrompt);
    }
    return {};
}

Status addSeed(const GenerationRequest& request, const StabilityEndpoint& endpoint,
               std::vector<http::MultipartPart>& parts) {
    if (!endpoint.takesSeed || !request.seed) {
        return {};
    }
    if (*request.seed < 0 || *request.seed > kMaxSeed) {
        return invalid("seed must be 0 to 4294967294");
    }
    addField(parts, "seed", std::to_string(*request.seed));
    return {};
}

const Json* option(const GenerationRequest& request, const char* name) {
    const auto it = request.options.find(name);
    return it == request.options.end() || it->is_null() ? nullptr : &*it;
}

Status addNumber(const GenerationRequest& request, const char* name, double low, double high,
                 std::vector<http::MultipartPart>& parts) {
    const Json* value = option(request, name);
    if (value == nullptr) {
        return {};
    }
    if (!value->is_number() || !std::isfinite(value->get<double>()) || value->get<double>() < low ||
        value->get<double>() > high) {
        return invalid(std::string("option \"") + name + "\" is out of range");
    }
    addField(parts, name, value->dump());
    return {};
}

Status addString(const GenerationRequest& request, const char* name,
                 std::vector<http::MultipartPart>& parts) {
    const Json* value = option(request, name);
    if (value == nullptr) {
        return {};
    }
    if (!value->is_string() || value->get<std::string>().empty() ||
        value->get<std::string>().size() > kMaxOptionChars) {
        return invalid(std::string("option \"") + name + "\" must be a short string");
    }
    addField(parts, name, value->get<std::string>());
    return {};
}

Status addOutputFormat(const GenerationRequest& request, std::vector<http::MultipartPart>& parts) {
    const Json* value = option(request, "output_format");
    if (value == nullptr) {
        return {};
    }
    for (const auto format : kOutputFormats) {
        if (value->is_string() && value->get<std::string>() == format) {
            addField(parts, "output_format", std::string(format));
            return {};
        }
    }
    return invalid("output_format must be png, jpeg or webp");
}

Status addOptions(const GenerationRequest& request, const StabilityEndpoint& endpoint,
                  std::vector<http::MultipartPart>& parts) {
    if (endpoint.takesCreativity) {
        if (auto status = addNumber(request, "creativity", 0.1, 0.5, parts); !status) {
            return status;
        }
    }
    if (endpoint.takesGrowMask) {
        if (auto status = addNumber(request, "grow_mask", 0, 100, parts); !status) {
            return status;
        }
    }
    if (endpoint.takesStylePreset) {
        if (auto status = addString(request, "style_preset", parts); !status) {
            return status;
        }
    }
    return addOutputFormat(request, parts);
}

} // namespace

Result<StabilityEndpoint> stabilityEndpoint(const GenerationRequest& request) {
    switch (request.kind) {
    case JobKind::Upscale: {
        const std::string mode = request.upscaleMode.empty() ? "fast" : request.upscaleMode;
        if (mode != "fast" && mode != "conservative" && mode != "creative") {
            return std::unexpected(invalid("upscale mode \"" + mode.substr(0, 32) +
                                           "\" is not fast, conservative or creative")
                                       .error());
        }
        return upscaleEndpoint(mode);
    }
    case JobKind::Inpaint:
        return editEndpoint(true);
    case JobKind::Erase:
        return editEndpoint(false);
    default:
        return std::unexpected(
            invalid("cannot run a " + std::string(toString(request.kind)) + " job").error());
    }
}

Result<std::vector<http::MultipartPart>> stabilityTextFields(const GenerationRequest& request,
                                                             const StabilityEndpoint& endpoint) {
    if (!request.options.is_object()) {
        return std::unexpected(invalid("options must be a JSON object").error());
    }
    std::vector<http::MultipartPart> parts;
    for (auto step : {addPrompts, addSeed, addOptions}) {
        if (auto status = step(request, endpoint, parts); !status) {
            return std::unexpected(status.error());
        }
    }
    return parts;
}

} // namespace ripen::providers
