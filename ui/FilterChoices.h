#pragma once

#include "catalog/Catalog.h"

#include <QMetaType>
#include <vector>

namespace ripen::ui {

// What the filter bar offers to choose from: the providers and models that made assets
// in this library.
struct FilterChoices {
    std::vector<ripen::GenerationSource> sources;
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::ui::FilterChoices)
