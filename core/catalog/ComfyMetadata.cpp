#include "catalog/ComfyMetadata.h"

#include "common/BoundedJson.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <optional>
#include <set>

namespace ripen {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kPositive = "positive";
constexpr std::string_view kNegative = "negative";

// Inputs holding prompt text, in groups: a node's text is the first group it has. SDXL
// encoders carry text_g and text_l, Flux encoders clip_l and t5xxl.
const std::vector<std::vector<std::string_view>> kTextInputGroups = {
    {"text"}, {"text_g", "text_l"}, {"t5xxl", "clip_l"}};
// Inputs through which string primitives ("PrimitiveString", "String Literal", ...) pass
// their text on.
constexpr std::string_view kStringInputs[] = {"text",   "string", "value",
                                              "prompt", "text_g", "t5xxl"};
// Nodes that turn any conditioning into an empty one (Flux's negative, for instance).
constexpr std::string_view kBlankingNodes[] = {"ConditioningZeroOut"};

struct SamplerSetting {
    std::string_view input;
    std::string_view param;
};
constexpr SamplerSetting kSamplerSettings[] = {{"steps", "Steps"},
                                               {"cfg", "CFG scale"},
                                               {"sampler_name", "Sampler"},
                                               {"scheduler", "Schedule type"},
                                               {"denoise", "Denoising strength"}};

// The node id a link points at, or nullopt when `value` is a literal.
std::optional<std::string> linkTarget(const Json& value) {
    if (!value.is_array() || value.size() != 2 || !value[1].is_number_integer()) {
        return std::nullopt;
    }
    if (value[0].is_string()) {
        return value[0].get<std::string>();
    }
    if (value[0].is_number_integer()) {
        return value[0].dump();
    }
    return std::nullopt;
}

bool isSamplerClass(std::string_view classType) {
    return classType.find("KSampler") != std::string_view::npos ||
           classType.starts_with("SamplerCustom");
}

// Numeric node ids in numeric order ("2" before "10"), then any others by name.
bool nodeIdLess(const std::string& a, const std::string& b) {
    const auto number = [](const std::string& s) -> std::optional<long long> {
        long long value = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (ec != std::errc{} || end != s.data() + s.size()) {
            return std::nullopt;
        }
        return value;
    };
    const auto na = number(a);
    const auto nb = number(b);
    if (na && nb) {
        return *na < *nb;
    }
    if (na || nb) {
        return na.has_value();
    }
    return a < b;
}

std::string scalarText(const Json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void appendDistinct(std::vector<std::string>& to, std::string text) {
    if (!text.empty() && std::find(to.begin(), to.end(), text) == to.end()) {
        to.push_back(std::move(text));
    }
}

std::string joinLines(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) {
        if (!out.empty()) {
            out += '\n';
        }
        out += part;
    }
    return out;
}

// Read-only walks over one API-format graph. Every walk shares one budget of visited nodes
// and is limited to kMaxLinkHops, so neither cycles nor hostile graphs can make it slow.
class GraphWalker {
public:
    explicit GraphWalker(const Json& graph) : m_graph(graph) {}

    const Json* node(const std::string& id) const {
        const auto it = m_graph.find(id);
        return it != m_graph.end() && it->is_object() ? &*it : nullptr;
    }

    const Json* inputs(const std::string& id) const {
        const Json* n = node(id);
        if (n == nullptr) {
            return nullptr;
        }
        const auto it = n->find("inputs");
        return it != n->end() && it->is_object() ? &*it : nullptr;
    }

    std::string classType(const std::string& id) const {
        const Json* n = node(id);
        if (n == nullptr) {
            return {};
        }
        const auto it = n->find("class_type");
        return it != n->end() && it->is_string() ? it->get<std::string>() : std::string();
    }

    static const Json* input(const Json& inputs, std::string_view name) {
        const auto it = inputs.find(std::string(name));
        return it == inputs.end() ? nullptr : &*it;
    }

    static std::optional<std::string> linkedNode(const Json& inputs, std::string_view name) {
        const Json* value = input(inputs, name);
        return value == nullptr ? std::nullopt : linkTarget(*value);
    }

    std::vector<std::string> samplers() const {
        std::vector<std::string> ids;
        for (const auto& [id, value] : m_graph.items()) {
            if (value.is_object() && isSamplerClass(classType(id)) && inputs(id) != nullptr) {
                ids.push_back(id);
            }
        }
        std::sort(ids.begin(), ids.end(), nodeIdLess);
        return ids;
    }

    // The text behind a literal or a link to a string-producing node.
    std::optional<std::string> resolveString(const Json& value, int hops) {
        if (value.is_string()) {
            return value.get<std::string>();
        }
        const auto target = linkTarget(value);
        if (!target || !spend(hops)) {
            return std::nullopt;
        }
        const Json* in = inputs(*target);
        if (in == nullptr) {
            return std::nullopt;
        }
        for (const std::string_view name : kStringInputs) {
            if (const Json* v = input(*in, name)) {
                if (auto text = resolveString(*v, hops + 1)) {
                    return text;
                }
            }
        }
        return std::nullopt;
    }

    // Texts of the encoders that conditioning at `id` comes from, for `role` ("positive" or
    // "negative"), in the order met.
    void collectConditioningText(const std::string& id, std::string_view role, int hops,
                                 std::set<std::string>& seen, std::vector<std::string>& out) {
        if (!seen.insert(id).second || !spend(hops)) {
            return;
        }
        const Json* in = inputs(id);
        if (in == nullptr) {
            return;
        }
        const std::string type = classType(id);
        if (std::find(std::begin(kBlankingNodes), std::end(kBlankingNodes), type) !=
            std::end(kBlankingNodes)) {
            return;
        }
        for (const auto& group : kTextInputGroups) {
            std::vector<std::string> texts;
            bool hasGroup = false;
            for (const std::string_view name : group) {
                if (const Json* value = input(*in, name)) {
                    hasGroup = true;
                    if (auto text = resolveString(*value, hops + 1)) {
                        appendDistinct(texts, std::move(*text));
                    }
                }
            }
            if (hasGroup) {
                for (auto& text : texts) {
                    appendDistinct(out, std::move(text));
                }
                return;
            }
        }
        // ControlNetApplyAdvanced and friends carry both roles: take ours only.
        if (const auto next = linkedNode(*in, role)) {
            collectConditioningText(*next, role, hops + 1, seen, out);
            return;
        }
        const std::string_view other = role == kPositive ? kNegative : kPositive;
        if (input(*in, other) != nullptr) {
            return;
        }
        bool followed = false;
        for (const auto& [name, value] : in->items()) {
            if (name.starts_with("conditioning")) {
                if (const auto next = linkTarget(value)) {
                    collectConditioningText(*next, role, hops + 1, seen, out);
                    followed = true;
                }
            }
        }
        if (followed) {
            return;
        }
        // An unknown node in the chain: try each link until one leads to text.
        for (const auto& [name, value] : in->items()) {
            const auto next = linkTarget(value);
            if (!next) {
                continue;
            }
            const std::size_t before = out.size();
            collectConditioningText(*next, role, hops + 1, seen, out);
            if (out.size() > before) {
                return;
            }
        }
    }

    // Where the conditioning for `role` enters a sampler: its own input, or the guider's
    // for SamplerCustomAdvanced.
    std::optional<std::string> conditioningStart(const Json& samplerInputs, std::string_view role) {
        if (auto direct = linkedNode(samplerInputs, role)) {
            return direct;
        }
        const auto guider = linkedNode(samplerInputs, "guider");
        if (!guider) {
            return std::nullopt;
        }
        const Json* guiderInputs = inputs(*guider);
        if (guiderInputs == nullptr) {
            return std::nullopt;
        }
        if (auto fromGuider = linkedNode(*guiderInputs, role)) {
            return fromGuider;
        }
        // BasicGuider has one conditioning and no negative.
        return role == kPositive ? linkedNode(*guiderInputs, "conditioning") : std::nullopt;
    }

    std::string conditioningText(const Json& samplerInputs, std::string_view role) {
        const auto start = conditioningStart(samplerInputs, role);
        if (!start) {
            return {};
        }
        std::set<std::string> seen;
        std::vector<std::string> texts;
        collectConditioningText(*start, role, 1, seen, texts);
        return joinLines(texts);
    }

    // Breadth-first search upstream from the links in `startInputs` named in `follow` (all
    // links when empty), through inputs named in `follow`, for the first node that `match`
    // accepts.
    std::optional<std::string> findUpstream(const Json& startInputs,
                                            const std::vector<std::string_view>& follow,
                                            const std::function<bool(const std::string&)>& match) {
        std::deque<std::pair<std::string, int>> queue;
        std::set<std::string> seen;
        const auto enqueueLinks = [&](const Json& in, int hops) {
            for (const auto& [name, value] : in.items()) {
                const bool wanted =
                    follow.empty() || std::find(follow.begin(), follow.end(), name) != follow.end();
                if (const auto next = linkTarget(value); wanted && next && !seen.contains(*next)) {
                    seen.insert(*next);
                    queue.emplace_back(*next, hops);
                }
            }
        };
        enqueueLinks(startInputs, 1);
        while (!queue.empty()) {
            const auto [id, hops] = queue.front();
            queue.pop_front();
            if (!spend(hops)) {
                continue;
            }
            if (match(id)) {
                return id;
            }
            if (const Json* in = inputs(id)) {
                enqueueLinks(*in, hops + 1);
            }
        }
        return std::nullopt;
    }

    // A sampler refining another's latent (hires fix, refiner) is a later pass.
    bool isLaterPass(const std::string& samplerId) {
        const Json* in = inputs(samplerId);
        if (in == nullptr) {
            return false;
        }
        const Json* latent = input(*in, "latent_image");
        if (latent == nullptr || !linkTarget(*latent)) {
            return false;
        }
        const Json wrapper = Json{{"latent_image", *latent}};
        return findUpstream(wrapper, {},
                            [&](const std::string& id) { return isSamplerClass(classType(id)); })
            .has_value();
    }

    std::optional<Json> resolveInteger(const Json& value, int hops) {
        if (value.is_number_integer()) {
            return value;
        }
        const auto target = linkTarget(value);
        if (!target || !spend(hops)) {
            return std::nullopt;
        }
        const Json* in = inputs(*target);
        if (in == nullptr) {
            return std::nullopt;
        }
        for (const std::string_view name : {"seed", "noise_seed", "value", "int"}) {
            if (const Json* v = input(*in, name)) {
                if (auto number = resolveInteger(*v, hops + 1)) {
                    return number;
                }
            }
        }
        return std::nullopt;
    }

private:
    bool spend(int hops) {
        if (hops > ComfyMetadata::kMaxLinkHops || m_visited >= ComfyMetadata::kMaxVisitedNodes) {
            return false;
        }
        ++m_visited;
        return true;
    }

    const Json& m_graph;
    std::size_t m_visited = 0;
};

void setSeed(GenerationMetadata& metadata, const Json& seed) {
    if (seed.is_number_unsigned()) {
        const auto value = seed.get<std::uint64_t>();
        if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            metadata.seed = static_cast<std::int64_t>(value);
        } else {
            metadata.params["Seed"] = seed.dump(); // ComfyUI seeds run to 2^64-1
        }
    } else if (seed.is_number_integer()) {
        metadata.seed = seed.get<std::int64_t>();
    }
}

void readSampler(GraphWalker& walker, const std::string& samplerId, GenerationMetadata& metadata) {
    const Json& in = *walker.inputs(samplerId);
    metadata.prompt = walker.conditioningText(in, kPositive);
    metadata.negativePrompt = walker.conditioningText(in, kNegative);

    for (const auto& setting : kSamplerSettings) {
        const Json* value = GraphWalker::input(in, setting.input);
        if (value != nullptr && (value->is_string() || value->is_number())) {
            metadata.params[std::string(setting.param)] = scalarText(*value);
        }
    }

    std::optional<Json> seed;
    for (const std::string_view name : {"seed", "noise_seed"}) {
        if (const Json* value = GraphWalker::input(in, name); value != nullptr && !seed) {
            seed = walker.resolveInteger(*value, 1);
        }
    }
    if (const Json* noise = GraphWalker::input(in, "noise"); noise != nullptr && !seed) {
        seed = walker.resolveInteger(*noise, 1); // RandomNoise holds noise_seed
    }
    if (seed) {
        setSeed(metadata, *seed);
    }

    const auto isLoader = [&](const std::string& id) {
        const Json* loaderInputs = walker.inputs(id);
        if (loaderInputs == nullptr) {
            return false;
        }
        for (const std::string_view name : {"ckpt_name", "unet_name"}) {
            const Json* value = GraphWalker::input(*loaderInputs, name);
            if (value != nullptr && value->is_string()) {
                metadata.modelId = value->get<std::string>();
                return true;
            }
        }
        return false;
    };
    walker.findUpstream(in, {"model", "guider"}, isLoader);

    const Json* latent = GraphWalker::input(in, "latent_image");
    if (latent != nullptr && linkTarget(*latent)) {
        const Json wrapper = Json{{"latent_image", *latent}};
        walker.findUpstream(wrapper, {}, [&](const std::string& id) {
            const Json* latentInputs = walker.inputs(id);
            if (latentInputs == nullptr) {
                return false;
            }
            const Json* width = GraphWalker::input(*latentInputs, "width");
            const Json* height = GraphWalker::input(*latentInputs, "height");
            if (width == nullptr || height == nullptr || !width->is_number_integer() ||
                !height->is_number_integer()) {
                return false;
            }
            const auto w = width->get<std::int64_t>();
            const auto h = height->get<std::int64_t>();
            if (w <= 0 || h <= 0 || w > std::numeric_limits<int>::max() ||
                h > std::numeric_limits<int>::max()) {
                return false;
            }
            metadata.width = static_cast<int>(w);
            metadata.height = static_cast<int>(h);
            return true;
        });
    }
}

// Any checkpoint in the graph, for graphs whose sampler does not lead to one.
void readAnyModel(GraphWalker& walker, const Json& graph, GenerationMetadata& metadata) {
    std::vector<std::string> ids;
    for (const auto& [id, value] : graph.items()) {
        ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end(), nodeIdLess);
    for (const auto& id : ids) {
        const Json* in = walker.inputs(id);
        if (in == nullptr) {
            continue;
        }
        for (const std::string_view name : {"ckpt_name", "unet_name"}) {
            const Json* value = GraphWalker::input(*in, name);
            if (value != nullptr && value->is_string()) {
                metadata.modelId = value->get<std::string>();
                return;
            }
        }
    }
}

} // namespace

GenerationMetadata ComfyMetadata::extract(std::string_view promptJson,
                                          std::string_view workflowJson,
                                          std::vector<std::string>* warnings) {
    const auto warn = [&](std::string message) {
        if (warnings != nullptr) {
            warnings->push_back(std::move(message));
        }
    };
    auto graph = parseBoundedJson(promptJson, "ComfyUI prompt");
    if (!graph) {
        warn(graph.error().message);
        return {};
    }
    if (!graph->is_object()) {
        warn("ComfyUI prompt: not a node graph (expected a JSON object of nodes)");
        return {};
    }

    GenerationMetadata metadata;
    metadata.provider = "comfyui";
    try {
        GraphWalker walker(*graph);
        const auto samplers = walker.samplers();
        if (samplers.empty()) {
            warn("ComfyUI prompt: no sampler node found, so no prompt text");
        } else {
            const auto first = std::find_if(samplers.begin(), samplers.end(), [&](const auto& id) {
                return !walker.isLaterPass(id);
            });
            readSampler(walker, first != samplers.end() ? *first : samplers.front(), metadata);
        }
        if (metadata.modelId.empty()) {
            readAnyModel(walker, *graph, metadata);
        }
    } catch (const nlohmann::json::exception& e) {
        // The walks check every type before reading; this is a last line of defence.
        warn(std::string("ComfyUI prompt: unexpected graph shape: ") + e.what());
    }

    if (promptJson.size() <= kMaxStoredJsonBytes) {
        metadata.params["comfyui_prompt"] = std::string(promptJson);
    } else {
        warn("ComfyUI prompt graph of " + std::to_string(promptJson.size()) +
             " bytes not kept: larger than " + std::to_string(kMaxStoredJsonBytes) + " bytes");
    }
    if (!workflowJson.empty()) {
        if (workflowJson.size() > kMaxStoredJsonBytes) {
            warn("ComfyUI workflow of " + std::to_string(workflowJson.size()) +
                 " bytes not kept: larger than " + std::to_string(kMaxStoredJsonBytes) + " bytes");
        } else if (auto workflow = parseBoundedJson(workflowJson, "ComfyUI workflow"); !workflow) {
            warn(workflow.error().message + "; not kept");
        } else {
            metadata.params["comfyui_workflow"] = std::string(workflowJson);
        }
    }
    return metadata;
}

} // namespace ripen
