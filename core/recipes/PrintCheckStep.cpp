#include "recipes/PrintCheckStep.h"

#include "common/FileIo.h"
#include "imaging/ImageLimits.h"
#include "recipes/PostStepFiles.h"

namespace ripen {

std::shared_ptr<const PostStep> parsePrintCheckStep(FieldReader& reader) {
    const auto sizeText = reader.string("size", true, 32);
    const auto dpi = reader.integer("dpi", 1, 2400);
    reader.finish();
    if (!sizeText || (reader.has("dpi") && !dpi)) {
        return nullptr;
    }
    auto size = parsePrintSize(*sizeText);
    if (!size) {
        reader.issues().add(reader.pathOf("size"), size.error().message);
        return nullptr;
    }
    return std::make_shared<PrintCheckStep>(*sizeText, *size, static_cast<int>(dpi.value_or(300)));
}

nlohmann::json PrintCheckStep::toJson() const {
    return {{"step", kind()}, {"size", m_sizeText}, {"dpi", m_dpi}};
}

Result<PostStepResult> PrintCheckStep::run(PostStepRuntime& runtime,
                                           const std::vector<PostStepItem>& inputs) const {
    PostStepResult result{inputs, toJson()};
    result.record["checks"] = nlohmann::json::array();
    for (const auto& input : inputs) {
        auto file = itemFile(runtime.library, input);
        if (!file) {
            return std::unexpected(file.error());
        }
        auto bytes = readFileBounded(*file, kMaxImageFileBytes);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        auto check = checkPrintReadiness(*bytes, input.name, m_size, m_dpi);
        if (!check) {
            return std::unexpected(check.error());
        }
        result.record["checks"].push_back(
            {{"asset", input.asset},
             {"name", input.name},
             {"verdict", toString(check->verdict)},
             {"pixels", {check->widthPixels, check->heightPixels}},
             {"needed_pixels", {check->neededWidthPixels, check->neededHeightPixels}},
             {"effective_dpi", check->effectiveDpi},
             {"cropped_percent", check->croppedPercent},
             {"profile", toString(check->profile)},
             {"findings", check->findings}});
    }
    return result;
}

} // namespace ripen
