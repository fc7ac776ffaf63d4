#include "providers/automatic1111/A1111Reply.h"

#include "common/BoundedJson.h"
#include "providers/ProviderSupport.h"
#include "providers/automatic1111/Automatic1111Provider.h"
#include "providers/localsd/SdRequestSupport.h"

#include <algorithm>

namespace ripen::providers::automatic1111 {

namespace {

using Kind = ProviderFailure::Kind;
using localsd::permanentFailure;

constexpr std::size_t kMaxImages = 64;
constexpr std::size_t kMaxDecodedImageBytes = 512ULL << 20;

std::string stringField(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// FastAPI's 422: {"detail": [{"loc": ["body", "steps"], "msg": "...", "type": "..."}]};
// A1111's own errors: {"error": "HTTPException", "detail": "Sampler not found", ...}.
std::string describeError(const nlohmann::json& body) {
    if (!body.is_object()) {
        return {};
    }
    std::string text;
    const auto detail = body.find("detail");
    if (detail != body.end() && detail->is_array()) {
        for (const auto& item : *detail) {
            std::string location;
            if (const auto loc = item.is_object() ? item.find("loc") : item.end();
                item.is_object() && loc != item.end() && loc->is_array()) {
                for (const auto& part : *loc) {
                    location += (location.empty() ? "" : ".") +
                                (part.is_string() ? part.get<std::string>() : part.dump());
                }
            }
            text += (text.empty() ? "" : "; ") + location + (location.empty() ? "" : ": ") +
                    stringField(item, "msg");
        }
        return localsd::clipServerText(text);
    }
    text = stringField(body, "error");
    if (detail != body.end() && detail->is_string() && !detail->get<std::string>().empty()) {
        text += (text.empty() ? "" : ": ") + detail->get<std::string>();
    } else if (const auto errors = stringField(body, "errors"); !errors.empty()) {
        text += (text.empty() ? "" : ": ") + errors;
    }
    return localsd::clipServerText(text);
}

// A1111 tolerates a data: prefix on input images, and some forks add one to outputs.
std::string_view withoutDataPrefix(std::string_view text) {
    if (text.rfind("data:", 0) == 0) {
        const auto comma = text.find(',');
        if (comma != std::string_view::npos) {
            return text.substr(comma + 1);
        }
    }
    return text;
}

// `info` is a JSON document inside a string; some forks send the object itself.
nlohmann::json parseInfo(const nlohmann::json& reply) {
    const auto it = reply.find("info");
    if (it == reply.end()) {
        return nlohmann::json::object();
    }
    if (it->is_object()) {
        return *it;
    }
    if (!it->is_string()) {
        return nlohmann::json::object();
    }
    auto parsed = parseBoundedJson(it->get<std::string>(), "A1111 info");
    return parsed && parsed->is_object() ? std::move(*parsed) : nlohmann::json::object();
}

std::optional<std::int64_t> integerField(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    if (it != object.end() && it->is_number_integer()) {
        return it->get<std::int64_t>();
    }
    return std::nullopt;
}

// The provenance worth keeping from `info`; the rest (all prompts, styles) is noise.
nlohmann::json provenanceFrom(const nlohmann::json& info) {
    nlohmann::json kept = nlohmann::json::object();
    for (const char* key :
         {"seed", "all_seeds", "subseed", "sd_model_name", "sd_model_hash", "sd_vae_name",
          "sampler_name", "scheduler", "steps", "cfg_scale", "width", "height",
          "denoising_strength", "version", "infotexts", "job_timestamp"}) {
        if (const auto it = info.find(key); it != info.end() && !it->is_null()) {
            kept[key] = *it;
        }
    }
    return kept;
}

std::string modelVersionFrom(const nlohmann::json& info) {
    const std::string name = stringField(info, "sd_model_name");
    const std::string hash = stringField(info, "sd_model_hash");
    if (name.empty()) {
        return hash;
    }
    return hash.empty() ? name : name + " [" + hash + "]";
}

ProviderOutcome<GeneratedFile> saveImage(const std::filesystem::path& workDir,
                                         const nlohmann::json& encoded) {
    if (!encoded.is_string()) {
        return std::unexpected(permanentFailure("A1111 reply lists an image that is not a string"));
    }
    auto bytes = decodeBase64(withoutDataPrefix(encoded.get_ref<const std::string&>()),
                              kMaxDecodedImageBytes);
    if (!bytes) {
        return std::unexpected(
            permanentFailure("A1111 image is not valid base64: " + bytes.error().message));
    }
    auto file = saveGeneratedImage(workDir, *bytes);
    if (!file) {
        const Kind kind =
            file.error().code == ErrorCode::DiskFull || file.error().code == ErrorCode::Io
                ? Kind::Retryable
                : Kind::Permanent;
        return std::unexpected(ProviderFailure{kind, "A1111 image: " + file.error().message, 0,
                                               std::nullopt, std::nullopt});
    }
    return std::move(*file);
}

} // namespace

ProviderOutcome<nlohmann::json> readA1111Reply(const http::Response& response,
                                               std::uint64_t maxBytes) {
    auto reply = parseBoundedJson(response.body, "A1111 reply", kDefaultMaxJsonDepth, maxBytes);
    if (response.status < 200 || response.status > 299) {
        std::string message = reply ? describeError(*reply) : std::string();
        if (response.status == 401) {
            message = "A1111 wants a login: set " +
                      std::string(Automatic1111Provider::kUserVariable) + " and " +
                      Automatic1111Provider::kPasswordVariable + " to match its --api-auth";
        }
        return std::unexpected(
            failureFromStatus(response, message.empty() ? message : "A1111: " + message));
    }
    if (!reply || !reply->is_object()) {
        return std::unexpected(permanentFailure(
            reply ? std::string("A1111 reply is not a JSON object") : reply.error().message));
    }
    return std::move(*reply);
}

ProviderOutcome<ProviderResult> readA1111Images(const nlohmann::json& reply,
                                                const std::filesystem::path& workDir) {
    const auto images = reply.is_object() ? reply.find("images") : reply.end();
    if (!reply.is_object() || images == reply.end() || !images->is_array() || images->empty()) {
        return std::unexpected(permanentFailure("A1111 returned no image"));
    }
    const nlohmann::json info = parseInfo(reply);
    std::vector<std::int64_t> seeds;
    if (const auto all = info.find("all_seeds"); all != info.end() && all->is_array()) {
        for (const auto& seed : *all) {
            seeds.push_back(seed.is_number_integer() ? seed.get<std::int64_t>() : -1);
        }
    }
    // Extensions (ControlNet maps, grids) append extra images after the generated ones.
    std::size_t count = std::min(images->size(), kMaxImages);
    if (!seeds.empty()) {
        count = std::min(count, seeds.size());
    }
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.modelVersion = modelVersionFrom(info);
    result.info = provenanceFrom(info);
    const auto firstSeed = integerField(info, "seed");
    for (std::size_t i = 0; i < count; ++i) {
        auto file = saveImage(workDir, (*images)[i]);
        if (!file) {
            return std::unexpected(file.error());
        }
        if (i < seeds.size() && seeds[i] >= 0) {
            file->seed = seeds[i];
        } else if (i == 0 && firstSeed) {
            file->seed = firstSeed;
        }
        result.outputs.push_back(std::move(*file));
    }
    return result;
}

ProviderOutcome<ProviderResult> readA1111Upscale(const nlohmann::json& reply,
                                                 const std::filesystem::path& workDir,
                                                 const std::string& upscaler) {
    const auto image = reply.is_object() ? reply.find("image") : reply.end();
    if (!reply.is_object() || image == reply.end() || !image->is_string() ||
        image->get_ref<const std::string&>().empty()) {
        return std::unexpected(permanentFailure("A1111 returned no upscaled image"));
    }
    auto file = saveImage(workDir, *image);
    if (!file) {
        return std::unexpected(file.error());
    }
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.modelVersion = upscaler;
    result.outputs.push_back(std::move(*file));
    result.info = {{"upscaler", upscaler}};
    if (const auto html = stringField(reply, "html_info"); !html.empty()) {
        result.info["html_info"] = localsd::clipServerText(html);
    }
    return result;
}

} // namespace ripen::providers::automatic1111
