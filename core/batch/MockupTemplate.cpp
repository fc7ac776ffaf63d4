#include "batch/MockupTemplate.h"

#include "batch/ImageFiles.h"
#include "common/BoundedJson.h"
#include "common/FileIo.h"
#include "common/ResourceLocator.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace ripen {
namespace {

constexpr std::uint64_t kMaxTemplateJsonBytes = 64 * 1024;

Error corrupt(const std::filesystem::path& file, const std::string& message) {
    return Error{ErrorCode::Corrupt, file.string() + ": " + message};
}

Result<double> readNumber(const nlohmann::json& object, const char* key, double low, double high,
                          double fallback, const std::filesystem::path& file) {
    if (!object.contains(key)) {
        return fallback;
    }
    const auto& value = object.at(key);
    if (!value.is_number() || value.get<double>() < low || value.get<double>() > high) {
        return std::unexpected(corrupt(file, std::string("blend.") + key +
                                                 " must be a number from " + std::to_string(low) +
                                                 " to " + std::to_string(high)));
    }
    return value.get<double>();
}

Status checkKeys(const nlohmann::json& object, std::initializer_list<const char*> known,
                 const std::string& where, const std::filesystem::path& file) {
    for (const auto& [key, value] : object.items()) {
        if (std::ranges::none_of(known, [&](const char* k) { return key == k; })) {
            return std::unexpected(corrupt(file, "unknown field '" + where + key + "'"));
        }
    }
    return {};
}

Result<MockupBlend> readBlend(const nlohmann::json& root, const std::filesystem::path& file) {
    MockupBlend blend;
    if (!root.contains("blend")) {
        return blend;
    }
    const auto& object = root.at("blend");
    if (!object.is_object()) {
        return std::unexpected(corrupt(file, "blend must be an object"));
    }
    if (auto ok = checkKeys(object, {"shading", "displacement", "curvature"}, "blend.", file);
        !ok) {
        return std::unexpected(ok.error());
    }
    auto shading = readNumber(object, "shading", 0, 1, blend.shading, file);
    auto displacement = readNumber(object, "displacement", 0, 32, blend.displacement, file);
    auto curvature = readNumber(object, "curvature", 0, 1, blend.curvature, file);
    for (const auto* value : {&shading, &displacement, &curvature}) {
        if (!*value) {
            return std::unexpected(value->error());
        }
    }
    return MockupBlend{*shading, *displacement, *curvature};
}

Result<std::array<cv::Point2f, 4>> readQuad(const nlohmann::json& root, cv::Size imageSize,
                                            const std::filesystem::path& file) {
    const auto& quad = root.at("quad");
    std::array<cv::Point2f, 4> corners;
    if (!quad.is_array() || quad.size() != 4) {
        return std::unexpected(corrupt(file, "quad must list four [x, y] corners"));
    }
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& corner = quad[i];
        if (!corner.is_array() || corner.size() != 2 || !corner[0].is_number() ||
            !corner[1].is_number()) {
            return std::unexpected(
                corrupt(file, "quad[" + std::to_string(i) + "] must be [x, y] in pixels"));
        }
        corners[i] = {corner[0].get<float>(), corner[1].get<float>()};
        if (corners[i].x < 0 || corners[i].y < 0 || corners[i].x > imageSize.width ||
            corners[i].y > imageSize.height) {
            return std::unexpected(
                corrupt(file, "quad[" + std::to_string(i) + "] lies outside the template image"));
        }
    }
    const std::vector<cv::Point2f> polygon(corners.begin(), corners.end());
    if (!cv::isContourConvex(polygon) || cv::contourArea(polygon) < 64) {
        return std::unexpected(
            corrupt(file, "quad must be a convex quadrilateral of at least 8x8 pixels"));
    }
    return corners;
}

} // namespace

Result<MockupTemplate> loadMockupTemplate(const std::filesystem::path& jsonFile) {
    auto text = readFileBounded(jsonFile, kMaxTemplateJsonBytes);
    if (!text) {
        return std::unexpected(text.error());
    }
    auto json = parseBoundedJson(*text, jsonFile.string(), 8);
    if (!json) {
        return std::unexpected(json.error());
    }
    const auto& root = *json;
    if (!root.is_object()) {
        return std::unexpected(corrupt(jsonFile, "a mockup template is a JSON object"));
    }
    if (auto ok =
            checkKeys(root, {"ripen_mockup", "title", "image", "quad", "blend"}, "", jsonFile);
        !ok) {
        return std::unexpected(ok.error());
    }
    if (!root.contains("ripen_mockup") || root.at("ripen_mockup") != 1) {
        return std::unexpected(corrupt(jsonFile, "ripen_mockup must be 1 (the format version)"));
    }
    if (!root.contains("image") || !root.at("image").is_string() || !root.contains("quad")) {
        return std::unexpected(corrupt(jsonFile, "image (a file name) and quad are required"));
    }
    const std::filesystem::path imageName = root.at("image").get<std::string>();
    if (imageName.empty() || imageName.is_absolute() || imageName.has_parent_path()) {
        return std::unexpected(corrupt(jsonFile, "image must be a file name beside the JSON"));
    }
    MockupTemplate result;
    result.name = jsonFile.stem().string();
    result.title = root.value("title", result.name);
    auto image = readImageFile(jsonFile.parent_path() / imageName);
    if (!image) {
        return std::unexpected(image.error());
    }
    result.image = image->channels() == 3 ? *image : cv::Mat();
    if (image->channels() != 3) {
        cv::cvtColor(*image, result.image,
                     image->channels() == 4 ? cv::COLOR_BGRA2BGR : cv::COLOR_GRAY2BGR);
    }
    auto quad = readQuad(root, result.image.size(), jsonFile);
    if (!quad) {
        return std::unexpected(quad.error());
    }
    result.quad = *quad;
    auto blend = readBlend(root, jsonFile);
    if (!blend) {
        return std::unexpected(blend.error());
    }
    result.blend = *blend;
    return result;
}

std::vector<std::string> shippedMockupTemplates() {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(resourceFile("mockups"), ec)) {
        if (entry.path().extension() == ".json") {
            names.push_back(entry.path().stem().string());
        }
    }
    std::ranges::sort(names);
    return names;
}

Result<MockupTemplate> findMockupTemplate(std::string_view nameOrFile) {
    const std::string text(nameOrFile);
    if (text.ends_with(".json") || text.find('/') != std::string::npos) {
        return loadMockupTemplate(text);
    }
    const auto names = shippedMockupTemplates();
    if (std::ranges::find(names, text) == names.end()) {
        std::string known;
        for (const auto& name : names) {
            known += (known.empty() ? "" : ", ") + name;
        }
        return fail(ErrorCode::NotFound, "no mockup template named '" + text + "' (shipped: " +
                                             (known.empty() ? "none found" : known) + ")");
    }
    return loadMockupTemplate(resourceFile("mockups") / (text + ".json"));
}

} // namespace ripen
