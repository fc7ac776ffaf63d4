#pragma once

#include "common/Error.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace ripen::providers::comfyui {

// A ComfyUI API-format graph ({node_id: {"class_type", "inputs"}}) with placeholders such
// as "{{prompt}}" or "{{seed}}" in its input values. Filling works on the parsed JSON, never
// on the raw text, so a prompt containing quotes or "{{seed}}" cannot change the graph's
// structure, and a value that is the whole string ("{{width}}") takes the JSON type of
// what is filled in (numbers stay numbers). Placeholders inside longer strings
// ("ripen_{{seed}}") are replaced by the value's text. Filled-in values are not scanned
// again.
class ComfyWorkflowTemplate {
public:
    // Reads and checks a template file (bounded size and depth). Errors: NotFound, Io,
    // Corrupt (not JSON, or not an API-format graph), LimitExceeded.
    static Result<ComfyWorkflowTemplate> load(const std::filesystem::path& file);
    // Errors: Corrupt when `graph` is not an API-format graph; `name` is for messages.
    static Result<ComfyWorkflowTemplate> fromJson(nlohmann::json graph, std::string name);

    const std::string& name() const { return m_name; }
    // Every placeholder name the graph uses, without braces.
    const std::set<std::string>& placeholders() const { return m_placeholders; }
    bool uses(const std::string& placeholder) const { return m_placeholders.contains(placeholder); }

    // The graph with every placeholder replaced from `values` (an object: name -> value).
    // Errors: InvalidArgument naming the first placeholder `values` lacks, or a value that
    // is neither a string, a number nor a boolean inside a longer string.
    Result<nlohmann::json> fill(const nlohmann::json& values) const;

private:
    ComfyWorkflowTemplate(nlohmann::json graph, std::string name);

    nlohmann::json m_graph;
    std::string m_name;
    std::set<std::string> m_placeholders;
};

} // namespace ripen::providers::comfyui
