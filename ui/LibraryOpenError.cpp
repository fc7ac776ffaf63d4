#include "LibraryOpenError.h"

#include <QCoreApplication>

namespace ripen::ui {

QString LibraryOpenError::title() {
    return QCoreApplication::translate("LibraryOpenError", "Cannot open the library");
}

QString LibraryOpenError::message(const ripen::Error& error, const QString& folder) {
    const auto tr = [](const char* text) {
        return QCoreApplication::translate("LibraryOpenError", text);
    };
    QString advice;
    switch (error.code) {
    case ErrorCode::SchemaTooNew:
        advice = tr("This library was written by a newer version of Ripen. Update Ripen to "
                    "open it, or start Ripen with --library DIR to use another folder.");
        break;
    case ErrorCode::DiskFull:
        advice = tr("The disk is full. Free some space and start Ripen again.");
        break;
    case ErrorCode::Io:
        advice = tr("Check that the folder exists and that you may write to it, or start "
                    "Ripen with --library DIR to use another folder.");
        break;
    case ErrorCode::Busy:
        advice = tr("Another program (another Ripen, or a ripen-cli command) is writing to "
                    "this library and did not let go in time. Let it finish, then start "
                    "Ripen again.");
        break;
    case ErrorCode::Corrupt:
    case ErrorCode::Database:
        advice = tr("The catalog may be damaged. Keep a copy of the folder, then restore the "
                    "newest verified backup named above with 'ripen-cli catalog restore' "
                    "(the damaged catalog is kept beside it), or start Ripen with "
                    "--library DIR to use another folder meanwhile.");
        break;
    default:
        advice = tr("Start Ripen with --library DIR to use another folder.");
        break;
    }
    return tr("Ripen could not open the library in\n%1\n\n%2\n\n%3")
        .arg(folder, QString::fromStdString(error.message), advice);
}

} // namespace ripen::ui
