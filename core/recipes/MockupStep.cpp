#include "recipes/MockupStep.h"

#include "batch/ImageFiles.h"
#include "batch/MockupTemplate.h"
#include "recipes/PostStepFiles.h"

#include <algorithm>

namespace ripen {

namespace {

constexpr std::size_t kMaxMockupTemplates = 32;

bool isTemplateFile(const std::string& text) {
    return text.ends_with(".json") || text.find('/') != std::string::npos;
}

} // namespace

std::shared_ptr<const PostStep> parseMockupStep(FieldReader& reader) {
    auto templates = reader.strings("templates", kMaxMockupTemplates, 1024, true);
    const auto fit = reader.string("fit", false, 16).value_or("cover");
    reader.finish();
    bool valid = templates.has_value();
    if (fit != "cover" && fit != "stretch") {
        reader.issues().add(reader.pathOf("fit"), "expected \"cover\" or \"stretch\"");
        valid = false;
    }
    const auto shipped = shippedMockupTemplates();
    for (std::size_t i = 0; templates && i < templates->size(); ++i) {
        const auto& name = (*templates)[i];
        const std::string path = reader.pathOf("templates") + "[" + std::to_string(i) + "]";
        if (isTemplateFile(name)) {
            if (!std::filesystem::path(name).is_absolute()) {
                reader.issues().add(path, "a template file must be an absolute path (a run "
                                          "finishes from its manifest, where a relative path "
                                          "has no folder)");
                valid = false;
            }
        } else if (std::find(shipped.begin(), shipped.end(), name) == shipped.end()) {
            std::string known;
            for (const auto& s : shipped) {
                known += (known.empty() ? "" : ", ") + s;
            }
            reader.issues().add(path, "no shipped template \"" + name + "\" (shipped: " + known +
                                          "; or give the absolute path of a template .json)");
            valid = false;
        }
    }
    if (!valid) {
        return nullptr;
    }
    return std::make_shared<MockupStep>(std::move(*templates), fit == "stretch"
                                                                   ? MockupOptions::Fit::Stretch
                                                                   : MockupOptions::Fit::Cover);
}

nlohmann::json MockupStep::toJson() const {
    return {{"step", kind()},
            {"templates", m_templates},
            {"fit", m_fit == MockupOptions::Fit::Stretch ? "stretch" : "cover"}};
}

Result<PostStepResult> MockupStep::run(PostStepRuntime& runtime,
                                       const std::vector<PostStepItem>& inputs) const {
    const auto dir = runtime.exportDir / "mockups";
    if (auto made = ensureDirectory(dir); !made) {
        return std::unexpected(made.error());
    }
    PostStepResult result{inputs, toJson()};
    result.record["files"] = nlohmann::json::array();
    for (const auto& name : m_templates) {
        auto mockup = findMockupTemplate(name);
        if (!mockup) {
            return std::unexpected(mockup.error());
        }
        for (const auto& input : inputs) {
            auto file = itemFile(runtime.library, input);
            if (!file) {
                return std::unexpected(file.error());
            }
            auto design = readImageFile(*file);
            if (!design) {
                return std::unexpected(design.error());
            }
            auto rendered = renderMockup(*design, *mockup, {m_fit});
            if (!rendered) {
                return std::unexpected(withContext(rendered.error(), input.name));
            }
            const auto out = dir / (input.name + "-" + mockup->name + ".png");
            if (auto written = writePngFile(out, *rendered); !written) {
                return std::unexpected(written.error());
            }
            result.record["files"].push_back({{"asset", input.asset},
                                              {"template", mockup->name},
                                              {"file", libraryRelative(runtime, out)}});
        }
    }
    return result;
}

} // namespace ripen
