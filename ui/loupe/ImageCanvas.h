#pragma once

#include <QImage>
#include <QPointF>
#include <QWidget>

namespace ripen::ui {

// Shows one image, either fitted into the widget or at 100% (one image pixel per device
// pixel), panned by dragging. A double-click toggles between the two, keeping the clicked
// image point under the pointer. Every change of zoom or pan emits viewChanged with the
// view's centre in normalised image coordinates (0-1), so that a compare view can make
// other canvases follow (setView does not emit).
//
// Thread affinity: GUI thread. It never decodes: the image arrives decoded.
class ImageCanvas final : public QWidget {
    Q_OBJECT
public:
    explicit ImageCanvas(QWidget* parent = nullptr);

    void setImage(const QImage& image);
    // No image: `text` in the middle ("Loading…", an error).
    void setPlaceholder(const QString& text);
    const QImage& image() const { return m_image; }
    QString placeholder() const { return m_placeholder; }

    bool isActualSize() const { return m_actualSize; }
    // The view's centre in normalised image coordinates.
    QPointF center() const;
    // The scale from image to widget pixels now (1.0 at 100%).
    double scale() const;
    // Switches between fit and 100%, keeping the image point under `widgetPos` there.
    void toggleZoom(QPointF widgetPos);
    void toggleZoom();
    // Follows another canvas: zoom mode and normalised centre; does not emit.
    void setView(bool actualSize, QPointF normalisedCenter);

signals:
    void viewChanged(bool actualSize, QPointF normalisedCenter);
    void clicked();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QRectF imageRect() const; // where the image lands in widget coordinates
    double fitScale() const;
    void clampCenter();
    void emitView();

    QImage m_image;
    QString m_placeholder;
    bool m_actualSize = false;
    QPointF m_center; // image pixels at the view's centre (100% only)
    QPointF m_dragFrom;
    bool m_dragging = false;
};

} // namespace ripen::ui
