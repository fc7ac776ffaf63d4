#include "inpaint/LassoFill.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ripen::ui {

QRect fillLasso(QImage& mask, const QPolygonF& polygon, uchar value) {
    if (polygon.size() < 3) {
        return {};
    }
    const QRect bounds = polygon.boundingRect().toAlignedRect().intersected(mask.rect());
    if (bounds.isEmpty()) {
        return {};
    }
    std::vector<double> crossings;
    const qsizetype count = polygon.size();
    for (int y = bounds.top(); y <= bounds.bottom(); ++y) {
        const double sampleY = y + 0.5;
        crossings.clear();
        for (qsizetype i = 0; i < count; ++i) {
            const QPointF a = polygon[i];
            const QPointF b = polygon[(i + 1) % count];
            // Half-open in y, so a vertex on the scanline is counted once.
            if ((a.y() <= sampleY) != (b.y() <= sampleY)) {
                crossings.push_back(a.x() + (sampleY - a.y()) / (b.y() - a.y()) * (b.x() - a.x()));
            }
        }
        std::ranges::sort(crossings);
        uchar* row = mask.scanLine(y);
        for (std::size_t i = 0; i + 1 < crossings.size(); i += 2) {
            // Pixels whose centre x + 0.5 lies in [from, to).
            const int first =
                std::max(bounds.left(), static_cast<int>(std::ceil(crossings[i] - 0.5)));
            const int last =
                std::min(bounds.right(), static_cast<int>(std::ceil(crossings[i + 1] - 0.5)) - 1);
            for (int x = first; x <= last; ++x) {
                row[x] = value;
            }
        }
    }
    return bounds;
}

} // namespace ripen::ui
