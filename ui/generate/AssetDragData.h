#pragma once

#include "catalog/Asset.h"

#include <QString>
#include <vector>

class QMimeData;

namespace ripen::ui {

// Assets dragged out of the gallery: their ids and blob files, as
// "application/x-ripen-assets" (one "id<TAB>blob file" line each, UTF-8). Views that take
// assets (the generation panel's references) accept this type only, so a drag from the
// gallery is never mistaken for a file import.
class AssetDragData {
public:
    struct Item {
        ripen::AssetId id = 0;
        QString blobFile;
    };

    static QString mimeType();
    // A new QMimeData the caller (Qt's drag) owns.
    static QMimeData* encode(const std::vector<Item>& items);
    // The items of a drag, empty when it carries none (malformed lines are skipped).
    static std::vector<Item> decode(const QMimeData* mime);
};

} // namespace ripen::ui
