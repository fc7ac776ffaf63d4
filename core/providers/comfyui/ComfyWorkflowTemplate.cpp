#include "providers/comfyui/ComfyWorkflowTemplate.h"

#include "common/BoundedJson.h"
#include "common/FileIo.h"

#include <optional>
#include <vector>

namespace ripen::providers::comfyui {

namespace {

constexpr std::uint64_t kMaxTemplateBytes = 4ULL << 20;
constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";

struct Token {
    std::size_t begin = 0; // offset of "{{"
    std::size_t end = 0;   // offset just past "}}"
    std::string name;
};

bool isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The "{{name}}" tokens of `text`, in order; braces around anything but a name are text.
std::vector<Token> tokensOf(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t at = 0;
    while ((at = text.find(kOpen, at)) != std::string_view::npos) {
        const auto close = text.find(kClose, at + kOpen.size());
        if (close == std::string_view::npos) {
            break;
        }
        const auto name = text.substr(at + kOpen.size(), close - at - kOpen.size());
        bool valid = !name.empty();
        for (const char c : name) {
            valid = valid && isNameChar(c);
        }
        if (valid) {
            tokens.push_back({at, close + kClose.size(), std::string(name)});
            at = close + kClose.size();
        } else {
            at += 1;
        }
    }
    return tokens;
}

void collect(const nlohmann::json& node, std::set<std::string>& names) {
    if (node.is_string()) {
        for (auto& token : tokensOf(node.get_ref<const std::string&>())) {
            names.insert(std::move(token.name));
        }
    } else if (node.is_structured()) {
        for (const auto& child : node) {
            collect(child, names);
        }
    }
}

std::optional<std::string> asText(const nlohmann::json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_number() || value.is_boolean()) {
        return value.dump();
    }
    return std::nullopt;
}

Status fillNode(nlohmann::json& node, const nlohmann::json& values, const std::string& name) {
    if (node.is_structured()) {
        for (auto& child : node) {
            if (auto status = fillNode(child, values, name); !status) {
                return status;
            }
        }
        return {};
    }
    if (!node.is_string()) {
        return {};
    }
    const std::string text = node.get<std::string>();
    const auto tokens = tokensOf(text);
    if (tokens.empty()) {
        return {};
    }
    for (const auto& token : tokens) {
        if (!values.contains(token.name)) {
            return fail(ErrorCode::InvalidArgument, "ComfyUI template \"" + name + "\" uses {{" +
                                                        token.name +
                                                        "}}, which this request does not provide");
        }
    }
    if (tokens.size() == 1 && tokens.front().begin == 0 && tokens.front().end == text.size()) {
        node = values.at(tokens.front().name); // whole value: keeps its JSON type
        return {};
    }
    std::string filled;
    std::size_t at = 0;
    for (const auto& token : tokens) {
        const auto piece = asText(values.at(token.name));
        if (!piece) {
            return fail(ErrorCode::InvalidArgument, "{{" + token.name +
                                                        "}} cannot be written "
                                                        "inside a longer string in template \"" +
                                                        name + "\"");
        }
        filled += text.substr(at, token.begin - at);
        filled += *piece;
        at = token.end;
    }
    filled += text.substr(at);
    node = std::move(filled);
    return {};
}

Status checkGraph(const nlohmann::json& graph, const std::string& name) {
    if (!graph.is_object() || graph.empty()) {
        return fail(ErrorCode::Corrupt, "ComfyUI template \"" + name +
                                            "\" is not an API-format graph (an object of nodes)");
    }
    for (const auto& [id, node] : graph.items()) {
        if (!node.is_object() || !node.contains("class_type") || !node["class_type"].is_string() ||
            !node.contains("inputs") || !node["inputs"].is_object()) {
            return fail(ErrorCode::Corrupt, "ComfyUI template \"" + name + "\": node " + id +
                                                " needs a \"class_type\" string and an "
                                                "\"inputs\" object (export with \"Save (API)\")");
        }
    }
    return {};
}

} // namespace

ComfyWorkflowTemplate::ComfyWorkflowTemplate(nlohmann::json graph, std::string name)
    : m_graph(std::move(graph)), m_name(std::move(name)) {
    collect(m_graph, m_placeholders);
}

Result<ComfyWorkflowTemplate> ComfyWorkflowTemplate::load(const std::filesystem::path& file) {
    auto text = readFileBounded(file, kMaxTemplateBytes);
    if (!text) {
        return std::unexpected(text.error());
    }
    auto graph = parseBoundedJson(*text, file.string());
    if (!graph) {
        return std::unexpected(graph.error());
    }
    return fromJson(std::move(*graph), file.stem().string());
}

Result<ComfyWorkflowTemplate> ComfyWorkflowTemplate::fromJson(nlohmann::json graph,
                                                              std::string name) {
    if (auto status = checkGraph(graph, name); !status) {
        return std::unexpected(status.error());
    }
    return ComfyWorkflowTemplate(std::move(graph), std::move(name));
}

Result<nlohmann::json> ComfyWorkflowTemplate::fill(const nlohmann::json& values) const {
    if (!values.is_object()) {
        return fail(ErrorCode::InvalidArgument, "template values must be a JSON object");
    }
    nlohmann::json graph = m_graph;
    if (auto status = fillNode(graph, values, m_name); !status) {
        return std::unexpected(status.error());
    }
    return graph;
}

} // namespace ripen::providers::comfyui
