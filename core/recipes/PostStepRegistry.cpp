#include "recipes/PostStepRegistry.h"

#include "recipes/BackgroundStep.h"
#include "recipes/BundleStep.h"
#include "recipes/ContactSheetStep.h"
#include "recipes/ExportStep.h"
#include "recipes/MockupStep.h"
#include "recipes/PrintCheckStep.h"
#include "recipes/UpscaleStep.h"

namespace ripen {

void PostStepRegistry::add(std::string kind, PostStepParser parser) {
    m_parsers[std::move(kind)] = std::move(parser);
}

const PostStepParser* PostStepRegistry::find(const std::string& kind) const {
    const auto found = m_parsers.find(kind);
    return found == m_parsers.end() ? nullptr : &found->second;
}

std::vector<std::string> PostStepRegistry::kinds() const {
    std::vector<std::string> out;
    for (const auto& [kind, parser] : m_parsers) {
        out.push_back(kind);
    }
    return out;
}

const PostStepRegistry& PostStepRegistry::builtIn() {
    static const PostStepRegistry registry = [] {
        PostStepRegistry r;
        r.add("upscale", parseUpscaleStep);
        r.add("export", parseExportStep);
        r.add("mockup", parseMockupStep);
        r.add("background", parseBackgroundStep);
        r.add("contactsheet", parseContactSheetStep);
        r.add("bundle", parseBundleStep);
        r.add("printcheck", parsePrintCheckStep);
        return r;
    }();
    return registry;
}

} // namespace ripen
