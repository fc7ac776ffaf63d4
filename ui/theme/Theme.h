#pragma once

#include "catalog/Asset.h"

#include <QColor>
#include <QPalette>
#include <QString>
#include <optional>

namespace ripen::ui {

enum class ThemeMode { Dark, Light };
// What the user picked: a fixed mode, or whatever the desktop prefers (the default).
enum class ThemeChoice { System, Dark, Light };

// The look of the whole application: Qt's Fusion style, one of two neutral palettes and
// the stylesheet in resources/theme/ripen.qss (compiled in as :/theme/ripen.qss). Images
// carry the colour; the interface stays grey with one muted blue for selection.
//
// Thread affinity: GUI thread only.
class Theme {
public:
    // Every margin and spacing is a multiple of this many pixels.
    static constexpr int kGrid = 8;

    static QPalette palette(ThemeMode mode);
    // Sets Fusion, the palette and the stylesheet on the running QApplication.
    static void apply(ThemeMode mode);
    // The mode last applied (Dark before any apply()).
    static ThemeMode current();

    // The persisted choice ("ui/theme" in QSettings); System when unset.
    static ThemeChoice loadChoice();
    static void saveChoice(ThemeChoice choice);
    // What the desktop prefers, as SystemColorScheme last found it (Dark before that).
    static ThemeMode systemMode();
    static void setSystemMode(ThemeMode mode);
    // The mode a choice stands for now.
    static ThemeMode resolve(ThemeChoice choice);
    static std::optional<ThemeMode> fromString(const QString& text);
    static QString toString(ThemeMode mode);

    // The stylesheet text, empty if the resource is missing.
    static QString styleSheet();
    // The swatch colour of a colour label; invalid for ColorLabel::None.
    static QColor labelColor(ripen::ColorLabel label);
};

} // namespace ripen::ui
