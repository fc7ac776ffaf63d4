#pragma once

#include "common/ProgressSink.h"
#include "providers/Credentials.h"
#include "providers/GenerationRequest.h"
#include "providers/ProviderTypes.h"
#include "providers/http/HttpClient.h"

#include <chrono>
#include <filesystem>
#include <stop_token>
#include <string>
#include <vector>

namespace ripen {

// Everything one provider call needs, handed in by the queue.
struct ProviderContext {
    const http::HttpClient& http;
    std::string baseUrl;               // the endpoint chosen for this call, no trailing '/'
    const Credentials& credentials;
    std::filesystem::path workDir;     // where downloads go (same filesystem as the library)
    std::string jobKey;                // stable for the job's lifetime: idempotency key,
                                       // ComfyUI client_id; a UUID
    std::stop_token stop;
    ProgressSink* progress = nullptr;  // may be null
};

// One generation back-end speaking one wire protocol. Implementations are stateless apart
// from configuration, so the queue may call them from several worker threads at once.
class Provider {
public:
    virtual ~Provider() = default;

    virtual std::string id() const = 0;          // "google", "openai", ...
    virtual std::string displayName() const = 0; // "Google Gemini API"
    virtual bool supports(JobKind kind) const = 0;

    // Base URLs to use when the user configured none; the environment variable
    // (e.g. RIPEN_GEMINI_BASE_URL, comma-separated for a farm) overrides them.
    virtual std::vector<std::string> defaultBaseUrls() const = 0;
    virtual std::string baseUrlVariable() const = 0;

    // Empty when the provider can be called; otherwise what to set, e.g.
    // "set GEMINI_API_KEY or add a Google key in Settings".
    virtual std::string missingConfiguration(const Credentials& credentials) const = 0;

    // True when resending the same request with the same jobKey cannot cause a second
    // charge (the provider honours an idempotency key). Only then may the queue resend a
    // request whose outcome is unknown.
    virtual bool dedupesResubmission() const { return false; }

    // Sends the request. A synchronous provider returns Done with its outputs; an
    // asynchronous one returns Running with the operation id to persist and poll.
    virtual ProviderOutcome<ProviderResult> submit(const ProviderContext& context,
                                                   const GenerationRequest& request) = 0;

    // Asks about a running operation; Done carries the outputs (downloaded).
    virtual ProviderOutcome<ProviderResult> poll(const ProviderContext& context,
                                                 const std::string& operationId,
                                                 const GenerationRequest& request) {
        (void)context;
        (void)operationId;
        (void)request;
        return std::unexpected(ProviderFailure{ProviderFailure::Kind::Permanent,
                                               id() + " has no long-running operations", 0,
                                               std::nullopt, std::nullopt});
    }

    // How long to wait before poll number `attempt` (0-based).
    virtual std::chrono::milliseconds pollInterval(int attempt) const {
        return std::chrono::milliseconds(std::min(10'000, 1'000 * (1 << std::min(attempt, 4))));
    }
};

} // namespace ripen
