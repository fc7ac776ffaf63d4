#include "inpaint/MaskBrush.h"

#include <QLineF>
#include <algorithm>
#include <cmath>

namespace ripen::ui {

QRect MaskBrush::dab(QImage& mask, QPointF centre) const {
    const double radius = std::max(0.5, size / 2.0);
    const QRect bounds = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
                             .toAlignedRect()
                             .intersected(mask.rect());
    if (bounds.isEmpty()) {
        return {};
    }
    const double solid = std::clamp(hardness, 0.0, 1.0) * radius;
    const double peak = 255.0 * std::clamp(opacity, 0.0, 1.0);
    for (int y = bounds.top(); y <= bounds.bottom(); ++y) {
        uchar* row = mask.scanLine(y);
        const double dy = y + 0.5 - centre.y();
        for (int x = bounds.left(); x <= bounds.right(); ++x) {
            const double dx = x + 0.5 - centre.x();
            const double distance = std::sqrt(dx * dx + dy * dy);
            if (distance >= radius) {
                continue;
            }
            const double cover = distance <= solid ? 1.0 : (radius - distance) / (radius - solid);
            const auto value = static_cast<uchar>(std::lround(peak * cover));
            row[x] = erase ? std::min<uchar>(row[x], static_cast<uchar>(255 - value))
                           : std::max(row[x], value);
        }
    }
    return bounds;
}

QRect MaskBrush::segment(QImage& mask, QPointF from, QPointF to) const {
    const double length = QLineF(from, to).length();
    const double spacing = std::max(1.0, size / 4.0);
    const int steps = std::max(1, static_cast<int>(std::ceil(length / spacing)));
    QRect touched;
    for (int i = 1; i <= steps; ++i) {
        const double t = static_cast<double>(i) / steps;
        touched |= dab(mask, from + (to - from) * t);
    }
    return touched;
}

} // namespace ripen::ui
