#include "providers/openai/OpenAiImagesReply.h"

#include "providers/ProviderSupport.h"
#include "providers/internal/KeyScrub.h"
#include "providers/internal/VerifiedImage.h"

#include <algorithm>
#include <system_error>

namespace ripen::providers {
namespace {

using Json = nlohmann::json;

// n is at most 10; anything longer is a hostile or broken reply.
constexpr std::size_t kMaxImagesPerReply = 16;
// A reply is capped at 64 MiB, so its base64 cannot decode to more than 48 MiB.
constexpr std::size_t kMaxDecodedImageBytes = std::size_t{64} << 20;

ProviderFailure permanent(std::string message, int status) {
    return ProviderFailure{ProviderFailure::Kind::Permanent, std::move(message), status,
                           std::nullopt, std::nullopt};
}

const Json& member(const Json& object, const char* name) {
    static const Json kNull;
    if (!object.is_object()) {
        return kNull;
    }
    const auto it = object.find(name);
    return it != object.end() ? *it : kNull;
}

// A string member without copying it (an image's base64 is megabytes); empty when absent.
std::string_view stringViewField(const Json& object, const char* name) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(name);
    return it != object.end() && it->is_string()
               ? std::string_view(it->get_ref<const std::string&>())
               : std::string_view();
}

std::string stringField(const Json& object, const char* name) {
    return std::string(stringViewField(object, name));
}

bool isSafetyCode(const std::string& code) {
    return code == "moderation_blocked" || code == "content_policy_violation";
}

ProviderFailure errorFailure(const http::Response& response, const Json& reply,
                             std::string_view apiKey) {
    const Json& error = member(reply, "error");
    const auto code = stringField(error, "code");
    auto message = scrubKeys(stringField(error, "message"), apiKey);
    if (isSafetyCode(code)) {
        if (message.empty()) {
            message = "OpenAI's safety system rejected the request (" + code + ")";
        }
        return ProviderFailure{ProviderFailure::Kind::Blocked, std::move(message), response.status,
                               std::nullopt, std::nullopt};
    }
    if (!code.empty() && !message.empty()) {
        message += " (" + code + ")";
    }
    auto failure = failureFromStatus(response, std::move(message));
    failure.message = scrubKeys(std::move(failure.message), apiKey);
    if (code == "insufficient_quota") {
        // A 429 that no wait cures: the account is out of credit. The queue waits out rate
        // limits without counting them as attempts, so this one must not look like one.
        failure.kind = ProviderFailure::Kind::Permanent;
        failure.retryAfter.reset();
        failure.message += " — add credit to the OpenAI account; retrying will not help";
    }
    return failure;
}

void removeAll(const std::vector<GeneratedFile>& outputs) {
    for (const auto& output : outputs) {
        std::error_code ignored;
        std::filesystem::remove(output.file, ignored);
    }
}

ProviderOutcome<GeneratedFile> saveItem(const Json& item, std::size_t index,
                                        const std::filesystem::path& workDir, int status) {
    const auto where = "OpenAI reply data[" + std::to_string(index) + "]";
    const std::string_view b64 = stringViewField(item, "b64_json");
    if (b64.empty()) {
        const bool hasUrl = !stringField(item, "url").empty();
        return std::unexpected(permanent(
            where + (hasUrl ? " carries a URL instead of b64_json (only GPT image models are "
                              "supported)"
                            : " carries no b64_json image"),
            status));
    }
    auto bytes = decodeBase64(b64, kMaxDecodedImageBytes);
    if (!bytes) {
        return std::unexpected(permanent(where + ": " + bytes.error().message, status));
    }
    auto saved = saveVerifiedImage(workDir, *bytes);
    if (!saved) {
        return std::unexpected(permanent(where + ": " + saved.error().message, status));
    }
    return *saved;
}

ProviderOutcome<std::vector<GeneratedFile>>
saveImages(const Json& data, const std::filesystem::path& workDir, int status) {
    if (!data.is_array() || data.empty()) {
        return std::unexpected(
            permanent("OpenAI replied without any image (empty \"data\")", status));
    }
    if (data.size() > kMaxImagesPerReply) {
        return std::unexpected(permanent("OpenAI reply lists " + std::to_string(data.size()) +
                                             " images; at most 16 are expected",
                                         status));
    }
    std::vector<GeneratedFile> outputs;
    for (std::size_t i = 0; i < data.size(); ++i) {
        auto saved = saveItem(data[i], i, workDir, status);
        if (!saved) {
            removeAll(outputs);
            return std::unexpected(saved.error());
        }
        outputs.push_back(std::move(*saved));
    }
    return outputs;
}

Json provenance(const Json& reply) {
    Json info = Json::object();
    for (const char* key : {"created", "background", "output_format", "quality", "size"}) {
        const auto it = reply.find(key);
        if (it != reply.end() && (it->is_string() || it->is_number_integer())) {
            info[key] = *it;
        }
    }
    Json revised = Json::array();
    for (const auto& item : member(reply, "data")) {
        revised.push_back(stringField(item, "revised_prompt"));
    }
    if (std::any_of(revised.begin(), revised.end(),
                    [](const Json& text) { return !text.get<std::string>().empty(); })) {
        info["revised_prompt"] = revised;
    }
    return info;
}

ProviderOutcome<ProviderResult> readSuccess(const http::Response& response, const Json& reply,
                                            const std::filesystem::path& workDir) {
    auto outputs = saveImages(member(reply, "data"), workDir, response.status);
    if (!outputs) {
        return std::unexpected(outputs.error());
    }
    ProviderResult result;
    result.state = ProviderResult::State::Done;
    result.outputs = std::move(*outputs);
    result.modelVersion = stringField(reply, "model");
    // Token usage is billed by the price book; OpenAI states no money amount itself.
    if (const auto& usage = member(reply, "usage"); usage.is_object()) {
        result.usage.raw = usage;
    }
    result.info = provenance(reply);
    return result;
}

} // namespace

ProviderOutcome<ProviderResult> readOpenAiImagesReply(const http::Response& response,
                                                      const std::filesystem::path& workDir,
                                                      std::string_view apiKey) {
    const bool ok = response.status >= 200 && response.status < 300;
    auto reply = parseJsonReply(response, "OpenAI Images reply");
    if (!ok) {
        return std::unexpected(errorFailure(response, reply ? *reply : Json(), apiKey));
    }
    if (!reply) {
        return std::unexpected(
            permanent(scrubKeys(reply.error().message, apiKey), response.status));
    }
    if (!reply->is_object()) {
        return std::unexpected(permanent("OpenAI reply is not a JSON object", response.status));
    }
    // Some relays answer 200 with an error object; treat it as the error it names.
    if (reply->contains("error") && !reply->contains("data")) {
        auto failure = errorFailure(response, *reply, apiKey);
        if (failure.kind != ProviderFailure::Kind::Blocked) {
            failure.kind = ProviderFailure::Kind::Permanent;
        }
        return std::unexpected(std::move(failure));
    }
    return readSuccess(response, *reply, workDir);
}

} // namespace ripen::providers
