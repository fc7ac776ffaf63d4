#include "providers/kling/KlingReply.h"

#include "providers/ProviderSupport.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <system_error>

namespace ripen::providers::kling {

namespace {

using Kind = ProviderFailure::Kind;

constexpr std::size_t kMaxIdLength = 128;

ProviderFailure failure(Kind kind, std::string message, int status = 0) {
    return ProviderFailure{kind, std::move(message), status, std::nullopt, std::nullopt};
}

} // namespace

std::string klingString(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

namespace {

// Kling's business code decides the class, not the HTTP status: a 429 with 1102 means the
// resource pack is empty (retrying cannot help), while 1302/1303 are real rate limits.
Kind kindForCode(std::int64_t code, Kind fallback) {
    if (code == 1300 || code == 1301) {
        return Kind::Blocked;
    }
    if (code == 1302 || code == 1303 || (code >= 5000 && code <= 5999)) {
        return Kind::Retryable;
    }
    return code == 0 ? fallback : Kind::Permanent;
}

std::string codeHint(std::int64_t code) {
    if (code == 1003 || code == 1004) {
        return " (the token's time window was refused: check the system clock)";
    }
    if (code >= 1000 && code <= 1002) {
        return " (check KLING_ACCESS_KEY and KLING_SECRET_KEY)";
    }
    return {};
}

// A reply that is an error, by HTTP status or by a non-zero `code` in its body.
ProviderFailure errorFromReply(const http::Response& response, const nlohmann::json* body) {
    std::int64_t code = 0;
    std::string message;
    if (body != nullptr && body->is_object()) {
        if (const auto it = body->find("code"); it != body->end() && it->is_number_integer()) {
            code = it->get<std::int64_t>();
        }
        message = klingString(*body, "message");
    }
    std::string text = "Kling";
    if (code != 0) {
        text += " error " + std::to_string(code);
    }
    text += message.empty() ? std::string() : ": " + message;
    text += codeHint(code);

    ProviderFailure result;
    if (response.status < 200 || response.status > 299) {
        result = failureFromStatus(response, body != nullptr ? text : std::string());
    } else {
        result = failure(Kind::Permanent, text, response.status);
    }
    result.kind = kindForCode(code, result.kind);
    return result;
}

// "1.5" units -> 1'500'000 micro-units, exactly; nullopt for anything else.
std::optional<std::int64_t> unitsToMicros(const nlohmann::json& value) {
    if (value.is_number_integer()) {
        // Bounded as the text form is (12 digits): a hostile count must not overflow.
        const std::int64_t units = value.get<std::int64_t>();
        if (units < 0 || units > 999'999'999'999) {
            return std::nullopt;
        }
        return units * 1'000'000;
    }
    if (!value.is_string()) {
        return std::nullopt;
    }
    const std::string text = value.get<std::string>();
    const auto dot = text.find('.');
    const std::string whole = text.substr(0, dot);
    std::string fraction = dot == std::string::npos ? std::string() : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 12 || fraction.size() > 6) {
        return std::nullopt;
    }
    fraction.resize(6, '0');
    std::int64_t units = 0;
    std::int64_t micros = 0;
    const auto r1 = std::from_chars(whole.data(), whole.data() + whole.size(), units);
    const auto r2 = std::from_chars(fraction.data(), fraction.data() + fraction.size(), micros);
    if (r1.ec != std::errc{} || r1.ptr != whole.data() + whole.size() || r2.ec != std::errc{} ||
        r2.ptr != fraction.data() + fraction.size() || units < 0 || micros < 0) {
        return std::nullopt;
    }
    return units * 1'000'000 + micros;
}

// Kling describes failed tasks in words; its content checks say "risk" or "security".
bool looksLikeSafetyFailure(std::string message) {
    std::transform(message.begin(), message.end(), message.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* word : {"risk", "safety", "security", "sensitive", "moderation", "policy"}) {
        if (message.find(word) != std::string::npos) {
            return true;
        }
    }
    return false;
}

} // namespace

ProviderOutcome<nlohmann::json> readKlingReply(const http::Response& response, Kind unreadable) {
    auto body = parseJsonReply(response, "Kling reply");
    const bool success = response.status >= 200 && response.status <= 299;
    if (!body) {
        if (!success) {
            return std::unexpected(errorFromReply(response, nullptr));
        }
        return std::unexpected(failure(unreadable, body.error().message, response.status));
    }
    const auto codeIt = body->is_object() ? body->find("code") : body->end();
    const bool codeOk = body->is_object() && codeIt != body->end() && codeIt->is_number_integer() &&
                        codeIt->get<std::int64_t>() == 0;
    if (!success || !codeOk) {
        if (success && (codeIt == body->end() || !codeIt->is_number_integer())) {
            return std::unexpected(
                failure(unreadable, "Kling reply has no numeric \"code\"", response.status));
        }
        return std::unexpected(errorFromReply(response, &*body));
    }
    const auto dataIt = body->find("data");
    if (dataIt == body->end() || !dataIt->is_object()) {
        return std::unexpected(
            failure(unreadable, "Kling reply has no \"data\" object", response.status));
    }
    nlohmann::json data = std::move(*dataIt);
    if (const auto requestId = klingString(*body, "request_id"); !requestId.empty()) {
        data["request_id"] = requestId;
    }
    return data;
}

bool isSafeKlingId(std::string_view id) {
    return !id.empty() && id.size() <= kMaxIdLength &&
           std::all_of(id.begin(), id.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                      c == '.';
           });
}

ProviderOutcome<KlingTask> readKlingTask(const nlohmann::json& data, int httpStatus) {
    KlingTask task;
    task.taskId = klingString(data, "task_id");
    task.requestId = klingString(data, "request_id");
    task.status = klingString(data, "task_status");
    if (task.status == "submitted" || task.status == "processing") {
        return task;
    }
    if (task.status == "failed") {
        std::string reason = klingString(data, "task_status_msg");
        const Kind kind = looksLikeSafetyFailure(reason) ? Kind::Blocked : Kind::Permanent;
        return std::unexpected(failure(
            kind,
            "Kling task failed: " + (reason.empty() ? std::string("no reason given") : reason),
            httpStatus));
    }
    if (task.status != "succeed") {
        return std::unexpected(failure(Kind::Permanent, "Kling task is in an unknown state \"" +
                                                            task.status.substr(0, 40) + "\""));
    }
    const auto resultIt = data.find("task_result");
    const nlohmann::json* videos = nullptr;
    if (resultIt != data.end() && resultIt->is_object()) {
        const auto it = resultIt->find("videos");
        videos = it != resultIt->end() && it->is_array() ? &*it : nullptr;
    }
    if (videos == nullptr || videos->empty()) {
        return std::unexpected(
            failure(Kind::Permanent, "Kling reports success but lists no video"));
    }
    for (const auto& video : *videos) {
        KlingVideo item{klingString(video, "url"), klingString(video, "id"),
                        klingString(video, "duration")};
        if (item.url.rfind("https://", 0) != 0 && item.url.rfind("http://", 0) != 0) {
            return std::unexpected(failure(Kind::Permanent, "Kling listed a video without a URL"));
        }
        task.videos.push_back(std::move(item));
    }
    if (const auto it = data.find("final_unit_deduction"); it != data.end()) {
        task.unitDeduction = *it;
        task.costMicros = unitsToMicros(*it);
    }
    return task;
}

} // namespace ripen::providers::kling
