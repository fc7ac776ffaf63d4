#include "providers/GenerationRequest.h"

#include <array>
#include <cstdint>
#include <utility>

namespace ripen {

namespace {

// The names also used in resources/models.json ("kinds") and in stored jobs: never rename.
constexpr std::array<std::pair<JobKind, std::string_view>, 6> kKindNames = {{
    {JobKind::TextToImage, "text-to-image"},
    {JobKind::EditImage, "edit-image"},
    {JobKind::Inpaint, "inpaint"},
    {JobKind::Erase, "erase"},
    {JobKind::Upscale, "upscale"},
    {JobKind::ImageToVideo, "image-to-video"},
}};

std::unexpected<Error> fieldError(std::string_view field, std::string_view problem) {
    return fail(ErrorCode::InvalidArgument,
                "generation request: \"" + std::string(field) + "\" " + std::string(problem));
}

// Reads an optional string field; absent and null both leave `out` as it is.
Status readString(const nlohmann::json& json, std::string_view field, std::string& out) {
    auto it = json.find(field);
    if (it == json.end() || it->is_null()) {
        return {};
    }
    if (!it->is_string()) {
        return fieldError(field, "must be a string");
    }
    out = it->get<std::string>();
    return {};
}

Status readInt(const nlohmann::json& json, std::string_view field, int minimum, int maximum,
               int& out) {
    auto it = json.find(field);
    if (it == json.end() || it->is_null()) {
        return {};
    }
    if (!it->is_number_integer()) {
        return fieldError(field, "must be an integer");
    }
    const auto value = it->get<std::int64_t>();
    if (value < minimum || value > maximum) {
        return fieldError(field, "must be between " + std::to_string(minimum) + " and " +
                                     std::to_string(maximum));
    }
    out = static_cast<int>(value);
    return {};
}

Status readPath(const nlohmann::json& value, std::string_view field,
                std::filesystem::path& out) {
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
        return fieldError(field, "must be a non-empty path string");
    }
    std::filesystem::path path(value.get<std::string>());
    if (!path.is_absolute()) {
        return fieldError(field, "must be an absolute path");
    }
    out = std::move(path);
    return {};
}

} // namespace

std::string_view toString(JobKind kind) {
    for (const auto& [k, name] : kKindNames) {
        if (k == kind) {
            return name;
        }
    }
    return "unknown";
}

std::optional<JobKind> jobKindFromString(std::string_view text) {
    for (const auto& [kind, name] : kKindNames) {
        if (name == text) {
            return kind;
        }
    }
    return std::nullopt;
}

nlohmann::json GenerationRequest::toJson() const {
    nlohmann::json json = {
        {"kind", std::string(toString(kind))},
        {"provider", provider},
        {"model", model},
        {"prompt", prompt},
        {"negativePrompt", negativePrompt},
        {"aspectRatio", aspectRatio},
        {"imageSize", imageSize},
        {"durationSeconds", durationSeconds},
        {"upscaleMode", upscaleMode},
        {"upscaleFactor", upscaleFactor},
        {"options", options.is_object() ? options : nlohmann::json::object()},
    };
    json["seed"] = seed ? nlohmann::json(*seed) : nlohmann::json(nullptr);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& image : images) {
        list.push_back(image.string());
    }
    json["images"] = std::move(list);
    json["mask"] = mask ? nlohmann::json(mask->string()) : nlohmann::json(nullptr);
    return json;
}

Result<GenerationRequest> GenerationRequest::fromJson(const nlohmann::json& json) {
    if (!json.is_object()) {
        return fail(ErrorCode::InvalidArgument, "generation request: must be a JSON object");
    }
    GenerationRequest request;

    auto kindIt = json.find("kind");
    if (kindIt == json.end() || !kindIt->is_string()) {
        return fieldError("kind", "is missing or not a string");
    }
    auto kind = jobKindFromString(kindIt->get_ref<const std::string&>());
    if (!kind) {
        return fieldError("kind", "is not one of text-to-image, edit-image, inpaint, erase, "
                                  "upscale, image-to-video");
    }
    request.kind = *kind;

    for (auto [field, target] : {std::pair{"provider", &request.provider},
                                 std::pair{"model", &request.model},
                                 std::pair{"prompt", &request.prompt},
                                 std::pair{"negativePrompt", &request.negativePrompt},
                                 std::pair{"aspectRatio", &request.aspectRatio},
                                 std::pair{"imageSize", &request.imageSize},
                                 std::pair{"upscaleMode", &request.upscaleMode}}) {
        if (auto read = readString(json, field, *target); !read) {
            return std::unexpected(read.error());
        }
    }
    if (request.provider.empty()) {
        return fieldError("provider", "is missing or empty");
    }
    if (auto read = readInt(json, "durationSeconds", 0, 3600, request.durationSeconds); !read) {
        return std::unexpected(read.error());
    }
    if (auto read = readInt(json, "upscaleFactor", 0, 16, request.upscaleFactor); !read) {
        return std::unexpected(read.error());
    }

    if (auto it = json.find("seed"); it != json.end() && !it->is_null()) {
        if (!it->is_number_integer()) {
            return fieldError("seed", "must be an integer or null");
        }
        if (it->is_number_unsigned() && it->get<std::uint64_t>() > INT64_MAX) {
            return fieldError("seed", "is larger than a signed 64-bit integer");
        }
        request.seed = it->get<std::int64_t>();
    }

    if (auto it = json.find("images"); it != json.end() && !it->is_null()) {
        if (!it->is_array()) {
            return fieldError("images", "must be an array of paths");
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            std::filesystem::path path;
            const std::string field = "images[" + std::to_string(i) + "]";
            if (auto read = readPath((*it)[i], field, path); !read) {
                return std::unexpected(read.error());
            }
            request.images.push_back(std::move(path));
        }
    }
    if (auto it = json.find("mask"); it != json.end() && !it->is_null()) {
        std::filesystem::path path;
        if (auto read = readPath(*it, "mask", path); !read) {
            return std::unexpected(read.error());
        }
        request.mask = std::move(path);
    }
    if (auto it = json.find("options"); it != json.end() && !it->is_null()) {
        if (!it->is_object()) {
            return fieldError("options", "must be a JSON object");
        }
        request.options = *it;
    }
    return request;
}

} // namespace ripen
