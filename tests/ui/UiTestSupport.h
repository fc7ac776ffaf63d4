#pragma once

#include <QString>
#include <functional>

class QApplication;

namespace ripen::test {

// The one QApplication of the UI tests (offscreen unless QT_QPA_PLATFORM says otherwise),
// created on first use with the dark theme applied, and deliberately never destroyed.
QApplication& uiApp();

// Runs the event loop until `done` returns true or `timeoutMs` passes; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 10000);

// Where the tests write the PNGs they render (created on demand).
QString screenshotDir();

} // namespace ripen::test
