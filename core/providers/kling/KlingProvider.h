#pragma once

#include "providers/Provider.h"

#include <chrono>
#include <string>

namespace ripen::providers::kling {

struct KlingTask;

// Kling AI image-to-video over its task API (providers.md §3): POST
// /v1/videos/image2video creates a task, GET /v1/videos/image2video/{task_id} reports it,
// and the finished clip is downloaded from the CDN URL in data.task_result.videos[].
// Auth is an HS256 JWT we sign per request from KLING_ACCESS_KEY / KLING_SECRET_KEY; it is
// only ever sent to the API base URL, never to the CDN host.
//
// Thread-safety: stateless apart from its settings; submit/poll may run concurrently.
class KlingProvider final : public Provider {
public:
    struct Settings {
        std::string defaultModel = "kling-v2-1"; // when the request names none
        std::chrono::milliseconds connectTimeout{10'000};
        std::chrono::milliseconds requestDeadline{60'000};   // create and query calls
        std::chrono::milliseconds downloadDeadline{600'000}; // the finished MP4
        std::uint64_t maxVideoBytes = 2ULL << 30;
        std::uint64_t maxInputImageBytes = 10ULL << 20; // Kling's documented limit
    };

    static constexpr const char* kAccessKeyVariable = "KLING_ACCESS_KEY";
    static constexpr const char* kSecretKeyVariable = "KLING_SECRET_KEY";

    KlingProvider();
    explicit KlingProvider(Settings settings);

    std::string id() const override { return "kling"; }
    std::string displayName() const override { return "Kling AI"; }
    bool supports(JobKind kind) const override { return kind == JobKind::ImageToVideo; }
    std::vector<std::string> defaultBaseUrls() const override;
    std::string baseUrlVariable() const override { return "RIPEN_KLING_BASE_URL"; }
    std::string missingConfiguration(const Credentials& credentials) const override;

    ProviderOutcome<ProviderResult> submit(const ProviderContext& context,
                                           const GenerationRequest& request) override;
    ProviderOutcome<ProviderResult> poll(const ProviderContext& context,
                                         const std::string& operationId,
                                         const GenerationRequest& request) override;
    // Kling clips take minutes: start at 5 s and settle at 15 s between queries.
    std::chrono::milliseconds pollInterval(int attempt) const override;

private:
    ProviderOutcome<std::string> authorization(const ProviderContext& context) const;
    ProviderOutcome<nlohmann::json> buildCreateBody(const ProviderContext& context,
                                                    const GenerationRequest& request) const;
    ProviderOutcome<ProviderResult> finish(const ProviderContext& context, const KlingTask& task,
                                           const GenerationRequest& request) const;
    http::Request apiRequest(std::string method, std::string url, std::string bearer) const;

    Settings m_settings;
};

} // namespace ripen::providers::kling
