#pragma once

#include "AssetRecord.h"

#include <QMetaType>

namespace ripen::ui {

// Everything the inspector shows about one asset: its row and the rows of the assets it
// was made from and of those made from it.
struct AssetDetails {
    AssetRecord record;
    AssetRecords parents;
    AssetRecords children;
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::ui::AssetDetails)
