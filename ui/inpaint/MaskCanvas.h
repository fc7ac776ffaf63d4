#pragma once

#include "imaging/inpaint/MaskEdit.h"
#include "inpaint/MaskBrush.h"

#include <QColor>
#include <QImage>
#include <QPoint>
#include <QPolygonF>
#include <QWidget>
#include <map>
#include <optional>
#include <utility>

class QUndoStack;

namespace ripen::ui {

// The inpaint editor's canvas: the image with its mask painted over it. The mask is
// QImage::Format_Grayscale8 in image pixels (0 keep, 255 change), Ripen's convention, so it
// can be saved as the mask PNG as it is. Every change repaints only the widget pixels it
// covers (never the whole image per mouse move), and each stroke is one undo command.
// GUI thread only; the image is handed in decoded (decoding is the caller's worker's job).
//
// Mouse: left-drag paints with the current brush (or eraser), shift-click draws a straight
// line from where the last stroke ended and shift-drag moves that line's end until release, the
// wheel zooms around the pointer, space-drag pans. A tablet pen paints the same way, its pressure
// scaling the brush's size. Keys: [ and ] resize the brush, B brush, E eraser (also for the
// shapes), R rectangle, U ellipse and L lasso fill by dragging, O or H toggles the overlay, M shows
// the mask alone, 1 shows 100%, 0 fits the image, the platform's undo/redo keys step through the
// strokes.
//
// A comparison image (an inpaint result, the image's size) can be shown over the image
// left of a wipe position: 0 shows the image, 1 the result, anything between both.
class MaskCanvas final : public QWidget {
    Q_OBJECT
public:
    enum class Tool { Brush, Rectangle, Ellipse, Lasso };

    explicit MaskCanvas(QWidget* parent = nullptr);

    // A new image clears the mask and the undo history.
    void setImage(const QImage& image);
    const QImage& image() const { return m_image; }
    const QImage& mask() const { return m_mask; }

    MaskBrush brush() const { return m_brush; }
    void setBrush(const MaskBrush& brush);
    void setErasing(bool erase);

    // Widget pixels per image pixel; the image's top-left is at `origin` (widget pixels).
    void setView(double zoom, QPointF origin);
    // Zooms by `factor` keeping the image point under `anchor` (widget pixels) in place.
    void zoomAround(QPointF anchor, double factor);
    void fitToWidget();
    double zoom() const { return m_zoom; }
    QPointF imageToWidget(QPointF imagePoint) const;
    QPointF widgetToImage(QPointF widgetPoint) const;

    Tool tool() const { return m_tool; }
    void setTool(Tool tool);

    // Fills (or with the eraser, clears) a rectangle or the ellipse inside it, in image
    // pixels, as one undo command.
    void fillShape(Tool shape, const QRect& imageRect);

    // The mask alone, white on black, instead of the image under the overlay.
    bool maskOnly() const { return m_maskOnly; }
    void setMaskOnly(bool maskOnly);

    bool overlayVisible() const { return m_overlayVisible; }
    void setOverlayVisible(bool visible);
    void setOverlayColor(const QColor& color); // its alpha is the overlay's opacity
    QColor overlayColor() const { return m_overlayColor; }

    QUndoStack* undoStack() const { return m_undo; }

    // Replaces the whole mask (a saved mask reused) as one undo command; false, changing
    // nothing, when `mask` is not the image's size.
    bool replaceMask(const QImage& mask, const QString& undoText);
    // Whether any pixel of the mask is marked.
    bool hasMarkedPixels() const;

    // The result shown left of the wipe (image's size; a null image shows none) and the
    // wipe as a fraction of the image's width, 0..1.
    void setComparison(const QImage& result);
    const QImage& comparison() const { return m_comparison; }
    void setWipe(double fraction);
    double wipe() const { return m_wipe; }

    // Invert, clear, grow, shrink or feather the whole mask (core's mask operations, so the
    // editor and the compositor agree on every pixel) as one undo command.
    void applyEdit(MaskEdit edit, int pixels = 0);

signals:
    // Image pixels whose mask value changed (a dab, an undo, a redo).
    void maskChanged(const QRect& imageRect);
    void brushChanged(int size, bool erasing);
    void toolChanged(ripen::ui::MaskCanvas::Tool tool);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void tabletEvent(QTabletEvent* event) override;

private:
    // Pointer handling shared by mouse and pen; points in widget pixels.
    void pointerPress(QPointF point, Qt::KeyboardModifiers modifiers);
    void pointerMove(QPointF point);
    void pointerRelease(QPointF point);
    void finishLasso();
    MaskBrush strokeBrush() const;
    double wipeX() const;
    void paintStroke(QPointF from, QPointF to, bool first);
    void saveTilesBefore(const QRect& imageRect);
    void finishStroke();
    void restoreStrokeArea();
    void pushEdit(const QString& text, const QRect& rect, const QImage& before);
    void writePatch(const QRect& imageRect, const QImage& patch);
    void repaintImageRect(const QRect& imageRect);
    QImage overlayFor(const QRect& imageRect) const;

    QImage m_image;
    QImage m_mask;
    MaskBrush m_brush;
    double m_zoom = 1.0;
    QPointF m_origin;
    bool m_overlayVisible = true;
    bool m_maskOnly = false;
    Tool m_tool = Tool::Brush;
    std::optional<QPointF> m_shapeFrom; // image point where a shape drag began
    QColor m_overlayColor{255, 40, 60, 128};
    QUndoStack* m_undo;

    // The stroke in progress: where the pointer was, what it touched and the mask tiles
    // as they were before it touched them (so undo costs the stroke's area, not the mask).
    bool m_stroking = false;
    QPointF m_lastPoint;
    std::optional<QPointF> m_strokeEnd; // image point where the last stroke ended
    std::optional<QPointF> m_lineFrom;  // a shift-drag's fixed end, image pixels

    double m_pressure = 1.0; // the pen's, 0..1; 1 for a mouse
    QPolygonF m_lasso;       // image points of the lasso being drawn
    QImage m_comparison;
    double m_wipe = 0.0;

    bool m_spaceHeld = false;
    std::optional<QPointF> m_panFrom; // widget point of the pan in progress
    QRect m_strokeRect;
    std::map<std::pair<int, int>, QImage> m_tilesBefore; // (column, row) -> tile
};

} // namespace ripen::ui
