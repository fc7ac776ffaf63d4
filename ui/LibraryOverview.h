#pragma once

#include "catalog/Catalog.h"
#include "catalog/Collections.h"

#include <QMetaType>
#include <cstdint>
#include <vector>

namespace ripen::ui {

// What the sidebar and status bar show about a library as a whole.
struct LibraryOverview {
    std::int64_t assetCount = 0;
    int schemaVersion = 0;
    std::vector<ripen::Project> projects;
    std::vector<ripen::Client> clients;
    std::vector<ripen::Collection> collections; // by name, with their asset counts
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::ui::LibraryOverview)
