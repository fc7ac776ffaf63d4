#pragma once

#include "catalog/Asset.h"

#include <QMetaType>
#include <QString>
#include <vector>

namespace ripen::ui {

// One catalog row as the UI receives it: the asset plus the absolute files the library
// keeps for it, resolved by core on the worker so that the GUI never builds paths itself.
struct AssetRecord {
    ripen::Asset asset;
    QString thumbnailFile; // thumbs/ab/<sha>.jpg; may not exist
    QString blobFile;      // the original bytes in the blob store
};

using AssetRecords = std::vector<AssetRecord>;

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::ui::AssetRecords)
