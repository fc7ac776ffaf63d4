#include "recipes/ContactSheetStep.h"

#include "batch/ContactSheet.h"
#include "batch/ImageFiles.h"
#include "common/FileIo.h"
#include "recipes/PostStepFiles.h"

namespace ripen {

std::shared_ptr<const PostStep> parseContactSheetStep(FieldReader& reader) {
    const auto listed = reader.strings("formats", 2, 8);
    auto formats = listed.value_or(std::vector<std::string>{"png", "pdf"});
    const auto columns = reader.integer("columns", 1, 12);
    reader.finish();
    bool valid = (!reader.has("columns") || columns.has_value()) &&
                 (!reader.has("formats") || listed.has_value());
    for (std::size_t i = 0; i < formats.size(); ++i) {
        if (formats[i] != "png" && formats[i] != "pdf") {
            reader.issues().add(reader.pathOf("formats") + "[" + std::to_string(i) + "]",
                                "expected \"png\" or \"pdf\"");
            valid = false;
        }
    }
    if (!valid) {
        return nullptr;
    }
    return std::make_shared<ContactSheetStep>(std::move(formats),
                                              static_cast<int>(columns.value_or(4)));
}

nlohmann::json ContactSheetStep::toJson() const {
    return {{"step", kind()}, {"formats", m_formats}, {"columns", m_columns}};
}

Result<PostStepResult> ContactSheetStep::run(PostStepRuntime& runtime,
                                             const std::vector<PostStepItem>& inputs) const {
    if (inputs.empty()) {
        return fail(ErrorCode::InvalidArgument, "no assets reached the contact sheet");
    }
    std::vector<std::filesystem::path> files;
    for (const auto& input : inputs) {
        auto file = itemFile(runtime.library, input);
        if (!file) {
            return std::unexpected(file.error());
        }
        files.push_back(std::move(*file));
    }
    ContactSheetLayout layout;
    layout.title = "Recipe run " + runtime.runId;
    layout.columns = m_columns;
    auto items = loadContactSheetItems(files, layout.cellPixels);
    if (!items) {
        return std::unexpected(items.error());
    }
    // Label each picture with the run's name for it rather than its blob's hash.
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto& label = (*items)[i].label;
        label = inputs[i].name + label.substr(files[i].filename().string().size());
    }
    if (auto made = ensureDirectory(runtime.exportDir); !made) {
        return std::unexpected(made.error());
    }
    PostStepResult result{inputs, toJson()};
    result.record["files"] = nlohmann::json::array();
    for (const auto& format : m_formats) {
        const auto file = runtime.exportDir / ("contact-sheet." + format);
        Status written;
        if (format == "png") {
            auto sheet = renderContactSheetImage(*items, layout);
            written = sheet ? writePngFile(file, *sheet) : std::unexpected(sheet.error());
        } else {
            auto pdf = renderContactSheetPdf(*items, layout);
            written = pdf ? writeFileAtomically(file, *pdf) : std::unexpected(pdf.error());
        }
        if (!written) {
            return std::unexpected(written.error());
        }
        result.record["files"].push_back(libraryRelative(runtime, file));
    }
    return result;
}

} // namespace ripen
