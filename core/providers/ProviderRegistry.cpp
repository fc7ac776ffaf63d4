#include "providers/ProviderRegistry.h"

#include <cstdlib>
#include <sstream>

namespace ripen {

void ProviderRegistry::add(std::unique_ptr<Provider> provider, ProviderLimits limits) {
    const std::string id = provider->id();
    m_entries[id] = Entry{std::move(provider), limits, {}};
}

Provider* ProviderRegistry::find(const std::string& id) const {
    const auto it = m_entries.find(id);
    return it == m_entries.end() ? nullptr : it->second.provider.get();
}

std::vector<Provider*> ProviderRegistry::all() const {
    std::vector<Provider*> list;
    for (const auto& [id, entry] : m_entries) {
        list.push_back(entry.provider.get());
    }
    return list;
}

ProviderLimits ProviderRegistry::limits(const std::string& id) const {
    const auto it = m_entries.find(id);
    return it == m_entries.end() ? ProviderLimits{} : it->second.limits;
}

std::vector<std::string> ProviderRegistry::endpoints(const std::string& id) const {
    const Provider* provider = find(id);
    if (provider == nullptr) {
        return {};
    }
    if (const auto& chosen = m_entries.at(id).baseUrls; !chosen.empty()) {
        return chosen;
    }
    std::vector<std::string> urls;
    if (const char* env = std::getenv(provider->baseUrlVariable().c_str()); env != nullptr && *env) {
        std::stringstream list(env);
        for (std::string url; std::getline(list, url, ',');) {
            while (!url.empty() && (url.back() == '/' || url.back() == ' ')) {
                url.pop_back();
            }
            if (const auto start = url.find_first_not_of(' '); start != std::string::npos) {
                urls.push_back(url.substr(start));
            }
        }
    }
    return urls.empty() ? provider->defaultBaseUrls() : urls;
}

void ProviderRegistry::setLimits(const std::string& id, ProviderLimits limits) {
    if (const auto it = m_entries.find(id); it != m_entries.end()) {
        it->second.limits = limits;
    }
}

void ProviderRegistry::setBaseUrls(const std::string& id, std::vector<std::string> urls) {
    const auto it = m_entries.find(id);
    if (it == m_entries.end()) {
        return;
    }
    for (auto& url : urls) {
        while (!url.empty() && url.back() == '/') {
            url.pop_back();
        }
    }
    std::erase_if(urls, [](const std::string& url) { return url.empty(); });
    it->second.baseUrls = std::move(urls);
}

} // namespace ripen
