#include "video/CameraPath.h"

#include "common/BoundedJson.h"
#include "video/CameraMove.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

namespace ripen {
namespace {

double eased(Easing easing, double u) {
    switch (easing) {
    case Easing::Linear:
        return u;
    case Easing::EaseIn:
        return u * u;
    case Easing::EaseOut:
        return u * (2 - u);
    case Easing::EaseInOut:
        return u * u * (3 - 2 * u); // smoothstep: zero speed at both ends
    }
    return u;
}

double lerp(double a, double b, double u) {
    return a + (b - a) * u;
}

std::string number(double value) {
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.') {
        text.pop_back();
    }
    return text;
}

Result<double> finiteNumber(const nlohmann::json& key, const char* field, const std::string& at) {
    const auto it = key.find(field);
    if (it == key.end()) {
        return fail(ErrorCode::InvalidArgument, at + "." + field + ": missing");
    }
    if (!it->is_number() || !std::isfinite(it->get<double>())) {
        return fail(ErrorCode::InvalidArgument, at + "." + field + ": must be a number");
    }
    return it->get<double>();
}

Result<PathKey> parseKey(const nlohmann::json& key, const std::string& at, const PathLimits& l) {
    if (!key.is_object()) {
        return fail(ErrorCode::InvalidArgument, at + ": must be an object");
    }
    PathKey parsed;
    double* targets[] = {&parsed.timeSeconds, &parsed.rect.x, &parsed.rect.y, &parsed.rect.width,
                         &parsed.rect.height};
    const char* fields[] = {"t", "x", "y", "w", "h"};
    for (int i = 0; i < 5; ++i) {
        auto value = finiteNumber(key, fields[i], at);
        if (!value) {
            return std::unexpected(value.error());
        }
        *targets[i] = *value;
    }
    const CropRect& r = parsed.rect;
    if (r.width < 1 || r.height < 1) {
        return fail(ErrorCode::InvalidArgument, at + ".w/h: the crop must be at least 1x1 px");
    }
    if (r.x < 0 || r.x + r.width > l.sourceWidth + 1e-6) {
        return fail(ErrorCode::InvalidArgument,
                    at + ".x: the crop " + number(r.x) + "+" + number(r.width) +
                        " runs outside the still's width " + std::to_string(l.sourceWidth));
    }
    if (r.y < 0 || r.y + r.height > l.sourceHeight + 1e-6) {
        return fail(ErrorCode::InvalidArgument,
                    at + ".y: the crop " + number(r.y) + "+" + number(r.height) +
                        " runs outside the still's height " + std::to_string(l.sourceHeight));
    }
    const double aspect = r.width / r.height;
    if (std::abs(aspect / l.outputAspect - 1) > 0.01) {
        return fail(ErrorCode::InvalidArgument, at + ".h: the crop's aspect " + number(aspect) +
                                                    " differs from the output's " +
                                                    number(l.outputAspect));
    }
    if (auto ease = key.find("ease"); ease != key.end()) {
        auto easing = ease->is_string() ? easingFromString(ease->get<std::string>()) : std::nullopt;
        if (!easing) {
            return fail(ErrorCode::InvalidArgument,
                        at + ".ease: must be linear, ease-in, ease-out or ease-in-out");
        }
        parsed.easing = *easing;
    }
    return parsed;
}

} // namespace

std::string_view toString(Easing easing) {
    switch (easing) {
    case Easing::Linear:
        return "linear";
    case Easing::EaseIn:
        return "ease-in";
    case Easing::EaseOut:
        return "ease-out";
    case Easing::EaseInOut:
        return "ease-in-out";
    }
    return "linear";
}

std::optional<Easing> easingFromString(std::string_view text) {
    for (Easing e : {Easing::Linear, Easing::EaseIn, Easing::EaseOut, Easing::EaseInOut}) {
        if (toString(e) == text) {
            return e;
        }
    }
    return std::nullopt;
}

std::string cameraPathJson(const CameraPath& path) {
    nlohmann::json keys = nlohmann::json::array();
    for (const PathKey& key : path.keys()) {
        nlohmann::json entry = {{"t", key.timeSeconds},
                                {"x", key.rect.x},
                                {"y", key.rect.y},
                                {"w", key.rect.width},
                                {"h", key.rect.height}};
        if (key.easing != Easing::Linear) {
            entry["ease"] = std::string(toString(key.easing));
        }
        keys.push_back(std::move(entry));
    }
    return nlohmann::json{{"keys", std::move(keys)}}.dump(2) + "\n";
}

CropRect fittedCrop(double centerX, double centerY, double width, double aspect, int sourceWidth,
                    int sourceHeight) {
    constexpr double kMinWidth = 16;
    const CropRect largest = largestCrop(sourceWidth, sourceHeight, aspect);
    CropRect crop;
    crop.width = std::clamp(width, std::min(kMinWidth, largest.width), largest.width);
    crop.height = std::min(crop.width / aspect, static_cast<double>(sourceHeight));
    crop.x = std::clamp(centerX - crop.width / 2, 0.0, std::max(0.0, sourceWidth - crop.width));
    crop.y = std::clamp(centerY - crop.height / 2, 0.0, std::max(0.0, sourceHeight - crop.height));
    return crop;
}

CameraPath::CameraPath(std::vector<PathKey> keys) : m_keys(std::move(keys)) {}

CropRect CameraPath::at(double t) const {
    if (m_keys.empty()) {
        return {};
    }
    if (t <= m_keys.front().timeSeconds) {
        return m_keys.front().rect;
    }
    const auto next =
        std::upper_bound(m_keys.begin(), m_keys.end(), t,
                         [](double v, const PathKey& k) { return v < k.timeSeconds; });
    if (next == m_keys.end()) {
        return m_keys.back().rect;
    }
    const PathKey& a = *(next - 1);
    const PathKey& b = *next;
    const double u = eased(b.easing, (t - a.timeSeconds) / (b.timeSeconds - a.timeSeconds));
    return {lerp(a.rect.x, b.rect.x, u), lerp(a.rect.y, b.rect.y, u),
            lerp(a.rect.width, b.rect.width, u), lerp(a.rect.height, b.rect.height, u)};
}

Result<CameraPath> parseCameraPath(std::string_view json, const PathLimits& limits) {
    auto root = parseBoundedJson(json, "path file", 8, kMaxPathFileBytes);
    if (!root) {
        return std::unexpected(root.error());
    }
    if (!root->is_object() || !root->contains("keys")) {
        return fail(ErrorCode::InvalidArgument, "keys: missing (the file holds {\"keys\": [...]})");
    }
    const nlohmann::json& keys = (*root)["keys"];
    if (!keys.is_array() || keys.empty()) {
        return fail(ErrorCode::InvalidArgument, "keys: must be a non-empty array");
    }
    if (keys.size() > kMaxPathKeys) {
        return fail(ErrorCode::LimitExceeded, "keys: " + std::to_string(keys.size()) +
                                                  " keys; at most " + std::to_string(kMaxPathKeys));
    }
    std::vector<PathKey> parsed;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::string at = "keys[" + std::to_string(i) + "]";
        auto key = parseKey(keys[i], at, limits);
        if (!key) {
            return std::unexpected(key.error());
        }
        const double t = key->timeSeconds;
        if (i == 0 && t != 0) {
            return fail(ErrorCode::InvalidArgument, at + ".t: the first key must be at 0 s");
        }
        if (i > 0 && t <= parsed.back().timeSeconds) {
            return fail(ErrorCode::InvalidArgument,
                        at + ".t: " + number(t) + " s is not after the previous key");
        }
        if (t > limits.durationSeconds + 1e-9) {
            return fail(ErrorCode::InvalidArgument, at + ".t: " + number(t) +
                                                        " s is past the duration " +
                                                        number(limits.durationSeconds) + " s");
        }
        parsed.push_back(*key);
    }
    return CameraPath(std::move(parsed));
}

} // namespace ripen
