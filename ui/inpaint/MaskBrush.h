#pragma once

#include <QImage>
#include <QPointF>
#include <QRect>

namespace ripen::ui {

// The brush of the inpaint editor, on a mask image (QImage::Format_Grayscale8, Ripen's
// convention: 0 keep, 255 change). Pure pixel work with no widget, so strokes are testable
// and cost only the pixels they touch. Sizes are image pixels.
struct MaskBrush {
    int size = 40;         // diameter
    double hardness = 0.8; // 1: hard edge; 0: falls off from the centre
    bool erase = false;    // eraser: lowers the mask instead of raising it
    // The most one stroke marks: at 0.5 a dab raises the mask to half of full at most (the
    // eraser lowers it by half at most), however often the stroke's dabs overlap.
    double opacity = 1.0;

    static constexpr int kMinSize = 1;
    static constexpr int kMaxSize = 2000;

    // One round dab centred at `centre`; a pixel's coverage is 255 * opacity inside
    // hardness * radius and falls linearly to 0 at the radius. The brush raises the mask to the
    // coverage (never lowers it), the eraser lowers it to 255 - coverage. Returns the pixels it
    // touched.
    QRect dab(QImage& mask, QPointF centre) const;

    // Dabs from `from` (exclusive) to `to` (inclusive) every quarter diameter, so a fast
    // mouse draws a continuous line. Returns the union of the touched pixels.
    QRect segment(QImage& mask, QPointF from, QPointF to) const;
};

} // namespace ripen::ui
