#include "PathText.h"

#include <QByteArray>
#include <QFile>

namespace ripen::ui {

std::filesystem::path PathText::toPath(const QString& text) {
    return std::filesystem::path(QFile::encodeName(text).toStdString());
}

QString PathText::fromPath(const std::filesystem::path& path) {
    return QFile::decodeName(QByteArray::fromStdString(path.native()));
}

} // namespace ripen::ui
