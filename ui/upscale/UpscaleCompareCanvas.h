#pragma once

#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QWidget>

namespace ripen::ui {

// The original (resampled to the upscale's size) and the upscale, shown either side by
// side or as a wipe (original left of a draggable split, upscale right). Both panes share
// one zoom and one centre, so zooming or panning either keeps them showing the same image
// region. Wheel zooms about the pointer, drag pans, Z shows 100% (one image pixel per
// device-independent pixel), F fits, L toggles a loupe (4x the current zoom around the
// pointer). An artifact overlay (one pixel per analysis block) is drawn over the upscale.
//
// Thread affinity: GUI thread. It never decodes: the images arrive decoded.
class UpscaleCompareCanvas final : public QWidget {
    Q_OBJECT
public:
    enum class Mode { SideBySide, Wipe };

    explicit UpscaleCompareCanvas(QWidget* parent = nullptr);

    // Both images must have the same size; the view fits them.
    void setImages(const QImage& original, const QImage& upscaled);
    void setOverlay(const QImage& overlay); // null: none
    void setMode(Mode mode);
    void setLoupe(bool on);

    Mode mode() const { return m_mode; }
    bool loupe() const { return m_loupe; }
    double zoom() const { return m_zoom; }      // widget pixels per image pixel
    QPointF center() const { return m_center; } // image pixels at each pane's centre
    double split() const { return m_split; }    // the wipe's split, 0-1 of the width
    double fitZoom() const;

    int paneCount() const { return m_mode == Mode::SideBySide ? 2 : 1; }
    QRectF paneRect(int pane) const;
    // The part of the image each pane shows, in image pixels.
    QRectF visibleImageRect(int pane) const;
    QPointF imageToWidget(int pane, QPointF imagePoint) const;
    QPointF widgetToImage(int pane, QPointF widgetPoint) const;

    void zoomToFit();
    void zoomToActualSize(); // keeps the centre
    // 100% centred on `imageRect` (a worst tile).
    void showAtActualSize(const QRectF& imageRect);

signals:
    void viewChanged(double zoom, QPointF center);
    void splitChanged(double split);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    int paneAt(QPointF widgetPoint) const;
    double splitX() const;
    void setView(double zoom, QPointF center);
    void paintPane(QPainter& painter, int pane, const QImage& image, bool withOverlay);
    void paintLoupe(QPainter& painter);
    void paintLabel(QPainter& painter, QPointF at, const QString& text);

    QImage m_original;
    QImage m_upscaled;
    QImage m_overlay;
    Mode m_mode = Mode::SideBySide;
    bool m_loupe = false;
    bool m_fitted = true; // follows resizes while the user has not zoomed
    double m_zoom = 1.0;
    QPointF m_center;
    double m_split = 0.5;
    enum class Drag { None, Pan, Split } m_drag = Drag::None;
    QPointF m_dragFrom;
    QPointF m_pointer{-1, -1};
};

} // namespace ripen::ui
