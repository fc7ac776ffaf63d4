#include "recipes/ExportStep.h"

#include "catalog/Exporter.h"
#include "common/FileIo.h"

#include <system_error>

namespace ripen {

std::shared_ptr<const PostStep> parseExportStep(FieldReader& reader) {
    auto formats = reader.strings("formats", 4, 8, true);
    const auto quality = reader.integer("quality", 1, 100);
    const auto dpi = reader.integer("dpi", 1, 2400);
    reader.finish();
    if (!formats) {
        return nullptr;
    }
    for (std::size_t i = 0; i < formats->size(); ++i) {
        const auto& f = (*formats)[i];
        if (f != "png" && f != "jpeg" && f != "webp" && f != "tiff") {
            reader.issues().add(reader.pathOf("formats") + "[" + std::to_string(i) + "]",
                                "expected \"png\", \"jpeg\", \"webp\" or \"tiff\"");
            return nullptr;
        }
    }
    return std::make_shared<ExportStep>(std::move(*formats), static_cast<int>(quality.value_or(92)),
                                        static_cast<int>(dpi.value_or(0)));
}

nlohmann::json ExportStep::toJson() const {
    nlohmann::json json{{"step", kind()}, {"formats", m_formats}, {"quality", m_quality}};
    if (m_dpi > 0) {
        json["dpi"] = m_dpi;
    }
    return json;
}

Result<PostStepResult> ExportStep::run(PostStepRuntime& runtime,
                                       const std::vector<PostStepItem>& inputs) const {
    std::error_code ec;
    std::filesystem::create_directories(runtime.exportDir, ec);
    if (ec) {
        return std::unexpected(errnoError(ec.value(), "create", runtime.exportDir));
    }
    Exporter exporter(runtime.library);
    PostStepResult result{inputs, toJson()};
    result.record["files"] = nlohmann::json::array();
    for (const auto& input : inputs) {
        for (const auto& format : m_formats) {
            ExportOptions options;
            options.format = format;
            options.quality = m_quality;
            options.dpi = m_dpi;
            const std::string ext = format == "jpeg" ? "jpg" : format == "tiff" ? "tif" : format;
            auto written = exporter.exportAsset(
                input.asset, runtime.exportDir / (input.name + "." + ext), options);
            if (!written) {
                return std::unexpected(written.error());
            }
            result.record["files"].push_back(
                {{"asset", input.asset},
                 {"file", std::filesystem::relative(*written, runtime.library.root()).string()}});
        }
    }
    return result;
}

} // namespace ripen
