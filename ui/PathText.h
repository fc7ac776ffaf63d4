#pragma once

#include <QString>
#include <filesystem>

namespace ripen::ui {

// Conversions between file-system paths and QStrings in the locale's file-name encoding,
// so that names survive the round trip between Qt dialogs and core.
class PathText {
public:
    static std::filesystem::path toPath(const QString& text);
    static QString fromPath(const std::filesystem::path& path);
};

} // namespace ripen::ui
