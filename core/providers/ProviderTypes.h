#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

struct DecodedImage;

// One file a provider produced, already downloaded into the job's work folder, complete
// and checked (decoded size or Content-Length). The queue moves it into the blob store.
struct GeneratedFile {
    std::filesystem::path file;
    std::string mimeType; // "image/png", "video/mp4", ...
    std::optional<std::int64_t> seed;
    // The image as it was decoded in full to verify it (saveVerifiedImage), so that storing
    // it needs no second decode; empty when nothing was decoded. Held in memory only.
    std::shared_ptr<const DecodedImage> decoded;
};

// What a provider said it charged. When costMicros is empty the ledger settles from the
// price book instead.
struct ProviderUsage {
    std::optional<std::int64_t> costMicros; // integer micro-units of `unit`
    std::string unit = "USD";               // "USD" or "credits"
    nlohmann::json raw = nlohmann::json::object(); // usageMetadata, credits_used, ...
};

struct ProviderResult {
    enum class State { Done, Running };
    State state = State::Done;
    // Running: the remote id to persist before anything else and to poll with.
    std::string operationId;
    std::optional<double> progress; // 0..1 when the provider reports it
    std::vector<GeneratedFile> outputs;
    std::string modelVersion; // as the server reported it ("modelVersion", "model")
    ProviderUsage usage;
    nlohmann::json info = nlohmann::json::object(); // extra provenance kept with the asset
};

// Why a provider call failed, classified for the retry policy.
struct ProviderFailure {
    enum class Kind {
        Retryable,     // nothing was executed: network before send, 408, 429, 5xx
        Permanent,     // 4xx, bad request, bad reply: retrying would fail the same way
        Blocked,       // a safety or moderation block: never retried
        Ambiguous,     // the request may have been executed (cut after sending)
        Cancelled,     // the stop token fired
        NotConfigured, // no API key or no base URL; the message says which variable to set
    };
    Kind kind = Kind::Permanent;
    std::string message; // the provider's own words where it gave any; never a secret
    int httpStatus = 0;
    std::optional<std::chrono::milliseconds> retryAfter; // Retry-After / RetryInfo
    // By the provider's billing rule, what this failure costs (e.g. a blocked Gemini reply
    // still bills its input tokens); empty when it costs nothing.
    std::optional<std::int64_t> chargeMicros;
};

template <class T> using ProviderOutcome = std::expected<T, ProviderFailure>;

} // namespace ripen
