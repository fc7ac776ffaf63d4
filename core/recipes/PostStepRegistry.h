#pragma once

#include "recipes/FieldReader.h"
#include "recipes/PostStep.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ripen {

// Reads one post step from its object (the "step" field already read); reports problems
// through the reader and returns null when the step is unusable. Must call reader.finish().
using PostStepParser = std::function<std::shared_ptr<const PostStep>(FieldReader& reader)>;

// The post-step kinds a recipe may name in "post": [{"step": KIND, ...}]. Adding a kind is
// one parser function in its own file plus one add() line in builtIn().
class PostStepRegistry {
public:
    void add(std::string kind, PostStepParser parser);
    const PostStepParser* find(const std::string& kind) const;
    std::vector<std::string> kinds() const;

    // upscale, export, mockup, background, contactsheet, bundle, printcheck.
    static const PostStepRegistry& builtIn();

private:
    std::map<std::string, PostStepParser> m_parsers;
};

} // namespace ripen
