#include "providers/google/GoogleUrls.h"

#include "providers/google/GeminiErrors.h"

#include <algorithm>
#include <cctype>

namespace ripen::providers::google {

namespace {

bool isIdChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

ProviderOutcome<std::string> GoogleUrls::modelMethod(std::string_view base, std::string_view model,
                                                     std::string_view method) {
    if (model.starts_with("models/")) {
        model.remove_prefix(7);
    }
    if (model.empty()) {
        return std::unexpected(GeminiErrors::permanent("no Google model was chosen"));
    }
    if (!std::all_of(model.begin(), model.end(), isIdChar) || model.find("..") != model.npos) {
        return std::unexpected(
            GeminiErrors::permanent("\"" + std::string(model) + "\" is not a Google model id"));
    }
    return std::string(base) + "/v1beta/models/" + std::string(model) + ":" + std::string(method);
}

bool GoogleUrls::isValidOperationName(std::string_view name) {
    if (name.empty() || name.size() > 512 || name.front() == '/' || name.back() == '/' ||
        name.find("..") != name.npos || name.find("//") != name.npos ||
        name.find("operations/") == name.npos) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) { return isIdChar(c) || c == '/'; });
}

ProviderOutcome<std::string> GoogleUrls::operation(std::string_view base,
                                                   std::string_view operationName) {
    if (!isValidOperationName(operationName)) {
        return std::unexpected(GeminiErrors::permanent("\"" +
                                                       std::string(operationName.substr(0, 200)) +
                                                       "\" is not a Google operation name"));
    }
    return std::string(base) + "/v1beta/" + std::string(operationName);
}

std::string GoogleUrls::origin(std::string_view url) {
    const auto schemeEnd = url.find("://");
    if (schemeEnd == url.npos) {
        return {};
    }
    const std::string scheme = lower(url.substr(0, schemeEnd));
    if (scheme != "http" && scheme != "https") {
        return {};
    }
    std::string_view rest = url.substr(schemeEnd + 3);
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.empty() || authority.find('@') != authority.npos) {
        return {};
    }
    std::string host;
    std::string port;
    if (authority.front() == '[') { // IPv6 literal
        const auto close = authority.find(']');
        if (close == authority.npos) {
            return {};
        }
        host = lower(authority.substr(0, close + 1));
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') {
                return {};
            }
            port = std::string(authority.substr(close + 2));
        }
    } else {
        const auto colon = authority.find(':');
        host = lower(authority.substr(0, colon));
        if (colon != authority.npos) {
            port = std::string(authority.substr(colon + 1));
        }
    }
    if (host.empty() || !std::all_of(port.begin(), port.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        })) {
        return {};
    }
    if (port.empty()) {
        port = scheme == "https" ? "443" : "80";
    }
    return scheme + "://" + host + ":" + port;
}

std::string GoogleUrls::resolve(std::string_view from, std::string_view location) {
    if (location.empty()) {
        return {};
    }
    if (location.find("://") != location.npos &&
        location.find("://") < location.find_first_of("/?#")) {
        return origin(location).empty() ? std::string() : std::string(location);
    }
    const auto schemeEnd = from.find("://");
    if (schemeEnd == from.npos) {
        return {};
    }
    if (location.starts_with("//")) {
        std::string result = std::string(from.substr(0, schemeEnd + 1)) + std::string(location);
        return origin(result).empty() ? std::string() : result;
    }
    const auto pathStart = from.find('/', schemeEnd + 3);
    const std::string_view authorityPart =
        pathStart == from.npos ? from.substr(0, from.find_first_of("?#", schemeEnd + 3))
                               : from.substr(0, pathStart);
    if (location.front() == '/') {
        return std::string(authorityPart) + std::string(location);
    }
    std::string_view path = pathStart == from.npos ? std::string_view("/") : from.substr(pathStart);
    path = path.substr(0, path.find_first_of("?#"));
    path = path.substr(0, path.rfind('/') + 1);
    return std::string(authorityPart) + std::string(path) + std::string(location);
}

bool GoogleUrls::keyAllowed(std::string_view url, std::string_view base) {
    const std::string target = origin(url);
    if (target.empty()) {
        return false;
    }
    return target == origin(base) || target == origin(kDefaultBase);
}

} // namespace ripen::providers::google
