#pragma once

#include "common/Error.h"

#include <QString>

namespace ripen::ui {

// The words for a library that cannot be opened: what happened, naming the folder, and
// what the user can do about it.
class LibraryOpenError {
public:
    static QString title();
    static QString message(const ripen::Error& error, const QString& folder);
};

} // namespace ripen::ui
