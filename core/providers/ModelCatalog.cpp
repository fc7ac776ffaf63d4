#include "providers/ModelCatalog.h"

#include "common/BoundedJson.h"
#include "common/FileIo.h"

#include <algorithm>

namespace ripen {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

template <class T> bool allows(const std::vector<T>& allowed, const T& value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

Result<ModelInfo> modelFrom(const nlohmann::json& entry, const std::string& where) {
    try {
        ModelInfo m;
        m.provider = entry.at("provider").get<std::string>();
        m.id = entry.at("id").get<std::string>();
        m.name = entry.value("name", m.id);
        for (const auto& kind : entry.at("kinds")) {
            auto parsed = jobKindFromString(kind.get<std::string>());
            if (!parsed) {
                return fail(ErrorCode::InvalidArgument,
                            where + ": unknown kind \"" + kind.get<std::string>() + "\"");
            }
            m.kinds.push_back(*parsed);
        }
        m.aspectRatios = entry.value("aspect_ratios", std::vector<std::string>{});
        m.imageSizes = entry.value("image_sizes", std::vector<std::string>{});
        m.durations = entry.value("durations", std::vector<int>{});
        m.maxReferenceImages = entry.value("max_reference_images", 0);
        m.retired = entry.value("retired", "");
        m.successor = entry.value("successor", "");
        return m;
    } catch (const nlohmann::json::exception& e) {
        return fail(ErrorCode::InvalidArgument, where + ": " + e.what());
    }
}

} // namespace

Result<ModelCatalog> ModelCatalog::load(const std::filesystem::path& file) {
    auto text = readFileBounded(file, 4 << 20);
    if (!text) {
        return std::unexpected(text.error());
    }
    return parse(*text, file.string());
}

Result<ModelCatalog> ModelCatalog::parse(const std::string& text, const std::string& name) {
    auto json = parseBoundedJson(text, name);
    if (!json) {
        return std::unexpected(json.error());
    }
    if (!json->is_object() || !json->contains("models") || !(*json)["models"].is_array()) {
        return fail(ErrorCode::InvalidArgument, name + ": expected an object with a \"models\" array");
    }
    ModelCatalog catalog;
    int index = 0;
    for (const auto& entry : (*json)["models"]) {
        auto model = modelFrom(entry, name + ": models[" + std::to_string(index++) + "]");
        if (!model) {
            return std::unexpected(model.error());
        }
        catalog.m_models.push_back(std::move(*model));
    }
    return catalog;
}

const ModelInfo* ModelCatalog::find(const std::string& provider, const std::string& id) const {
    const ModelInfo* wildcard = nullptr;
    for (const auto& m : m_models) {
        if (m.provider != provider) {
            continue;
        }
        if (m.id == id) {
            return &m;
        }
        if (m.id == "*") {
            wildcard = &m;
        }
    }
    return wildcard;
}

std::vector<const ModelInfo*> ModelCatalog::modelsOf(const std::string& provider) const {
    std::vector<const ModelInfo*> list;
    for (const auto& m : m_models) {
        if (m.provider == provider) {
            list.push_back(&m);
        }
    }
    return list;
}

Status ModelCatalog::validate(const GenerationRequest& r, const std::string& today) const {
    const ModelInfo* m = find(r.provider, r.model);
    if (m == nullptr) {
        std::vector<std::string> ids;
        for (const auto* known : modelsOf(r.provider)) {
            ids.push_back(known->id);
        }
        return fail(ErrorCode::InvalidArgument,
                    ids.empty() ? "unknown provider \"" + r.provider + "\""
                                : "model \"" + r.model + "\" is not a " + r.provider +
                                      " model; known: " + joined(ids));
    }
    if (!m->retired.empty() && m->retired <= today) {
        return fail(ErrorCode::InvalidArgument,
                    m->id + " was retired on " + m->retired +
                        (m->successor.empty() ? "" : "; use " + m->successor + " instead"));
    }
    if (!allows(m->kinds, r.kind)) {
        return fail(ErrorCode::InvalidArgument,
                    m->id + " cannot do " + std::string(toString(r.kind)));
    }
    if (!r.aspectRatio.empty() && !allows(m->aspectRatios, r.aspectRatio)) {
        return fail(ErrorCode::InvalidArgument, "aspect ratio " + r.aspectRatio + " is not offered by " +
                                                    m->id + "; choose " + joined(m->aspectRatios));
    }
    if (!r.imageSize.empty() && !allows(m->imageSizes, r.imageSize)) {
        return fail(ErrorCode::InvalidArgument,
                    "size " + r.imageSize + " is not offered by " + m->id +
                        (m->imageSizes.empty() ? "" : "; choose " + joined(m->imageSizes)));
    }
    if (r.durationSeconds > 0 && !allows(m->durations, r.durationSeconds)) {
        return fail(ErrorCode::InvalidArgument, std::to_string(r.durationSeconds) +
                                                    " s is not a duration " + m->id + " offers");
    }
    if (static_cast<int>(r.images.size()) > m->maxReferenceImages) {
        return fail(ErrorCode::InvalidArgument,
                    m->id + " takes at most " + std::to_string(m->maxReferenceImages) +
                        " reference images, not " + std::to_string(r.images.size()));
    }
    return {};
}

} // namespace ripen
