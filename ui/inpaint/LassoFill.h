#pragma once

#include <QImage>
#include <QPolygonF>
#include <QRect>

namespace ripen::ui {

// Fills the inside of a closed polygon (image pixels; the last point joins the first) on a
// mask image (QImage::Format_Grayscale8) with `value`, even-odd rule, sampling each pixel
// at its centre, so a lasso drawn over the image marks exactly the pixels it encloses.
// Returns the pixels it may have changed (the polygon's bounds within the mask).
QRect fillLasso(QImage& mask, const QPolygonF& polygon, uchar value);

} // namespace ripen::ui
