#pragma once

#include "catalog/Asset.h"

#include <QMetaType>
#include <optional>
#include <vector>

namespace ripen::ui {

// One culling action on a set of assets: exactly one of the fields is set (a key press
// changes one thing). The bridge writes it as one catalog transaction and, once it is
// committed, hands the same value back so that views update the rows it names.
struct CurationChange {
    std::vector<ripen::AssetId> ids;
    std::optional<int> rating; // 0-5 stars
    std::optional<ripen::Flag> flag;
    std::optional<ripen::ColorLabel> colorLabel;

    // The asset as it is after this change.
    void applyTo(ripen::Asset& asset) const {
        if (rating) {
            asset.rating = *rating;
        }
        if (flag) {
            asset.flag = *flag;
        }
        if (colorLabel) {
            asset.colorLabel = *colorLabel;
        }
    }
};

} // namespace ripen::ui

Q_DECLARE_METATYPE(ripen::ui::CurationChange)
