#pragma once

#include "providers/Provider.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ripen {

// How hard Ripen may push one provider. A self-hosted farm (ComfyUI, A1111) lists several
// base URLs, each running one job at a time; cloud APIs take several at once.
struct ProviderLimits {
    int concurrencyPerEndpoint = 4;
    int requestsPerMinute = 60;
};

// The providers this process can use, registered once at start-up by app/ and handed to
// the queue and the UI (no singletons).
class ProviderRegistry {
public:
    void add(std::unique_ptr<Provider> provider, ProviderLimits limits = {});

    Provider* find(const std::string& id) const;
    std::vector<Provider*> all() const;
    ProviderLimits limits(const std::string& id) const;
    // The base URLs to use: those set with setBaseUrls (the GUI's settings), else the
    // provider's environment variable (comma-separated, e.g.
    // RIPEN_COMFYUI_BASE_URL=http://a:8188,http://b:8188), else its defaults.
    std::vector<std::string> endpoints(const std::string& id) const;

    // Settings a user chose for a registered provider (ignored for unknown ids). Call
    // before the registry is handed to a runner: the runner reads them once.
    void setLimits(const std::string& id, ProviderLimits limits);
    void setBaseUrls(const std::string& id, std::vector<std::string> urls);

private:
    struct Entry {
        std::unique_ptr<Provider> provider;
        ProviderLimits limits;
        std::vector<std::string> baseUrls; // chosen in settings; empty: environment or defaults
    };
    std::map<std::string, Entry> m_entries;
};

} // namespace ripen
