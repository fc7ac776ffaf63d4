#include "BatchCommandSupport.h"

#include "Command.h"
#include "common/TextEncoding.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>

namespace ripen::cli {
namespace {

bool hasImageExtension(const std::filesystem::path& file) {
    std::string extension = file.extension().string();
    std::ranges::transform(extension, extension.begin(),
                           [](unsigned char c) { return std::tolower(c); });
    return extension == ".png" || extension == ".jpg" || extension == ".jpeg" ||
           extension == ".webp" || extension == ".tif" || extension == ".tiff";
}

} // namespace

int usageError(std::string_view command, std::string_view message) {
    std::cerr << "ripen-cli " << command << ": " << escapeInvalidUtf8(message) << "\n"
              << "Try 'ripen-cli " << command << " --help'.\n";
    return kExitUsage;
}

int failure(std::string_view command, std::string_view message) {
    std::cerr << "ripen-cli " << command << ": " << escapeInvalidUtf8(message) << "\n";
    return kExitFailure;
}

Result<double> numberOption(const ArgParser& args, const std::string& name, double low, double high,
                            double fallback) {
    const auto text = args.value(name);
    if (!text) {
        return fallback;
    }
    double value = 0;
    std::size_t used = 0;
    try {
        value = std::stod(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text->size() || !(value >= low && value <= high)) {
        char range[64];
        std::snprintf(range, sizeof range, "%g to %g", low, high);
        return fail(ErrorCode::InvalidArgument,
                    "--" + name + " takes a number from " + range + ", not '" + *text + "'");
    }
    return value;
}

Result<std::vector<std::filesystem::path>> imageFilesIn(const std::vector<std::string>& paths) {
    std::vector<std::filesystem::path> files;
    for (const auto& path : paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            if (!std::filesystem::exists(path, ec)) {
                return fail(ErrorCode::NotFound, path + ": no such file or folder");
            }
            files.emplace_back(path);
            continue;
        }
        std::vector<std::filesystem::path> inside;
        for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
            if (entry.is_regular_file(ec) && hasImageExtension(entry.path())) {
                inside.push_back(entry.path());
            }
        }
        if (inside.empty()) {
            return fail(ErrorCode::NotFound,
                        path + ": the folder holds no PNG, JPEG, WebP or TIFF");
        }
        std::ranges::sort(inside);
        files.insert(files.end(), inside.begin(), inside.end());
    }
    return files;
}

} // namespace ripen::cli
