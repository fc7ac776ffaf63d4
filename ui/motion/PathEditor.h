#pragma once

#include "video/CameraPath.h"

#include <QImage>
#include <QRectF>
#include <QWidget>
#include <vector>

namespace ripen::ui {

// Edits a keyframed camera path over the still: each key is a crop rectangle of the
// video's aspect, inside the still, at a time. A click where there is no key adds one at
// the time for new keys (centred on the click, as wide as the selected key); a drag moves
// a key; the wheel over a key zooms it about its centre; Delete removes the selected key.
// The route between the keys (core's interpolation with each key's easing) is drawn as
// thin rectangles, so the camera's path is seen before anything renders. Keys are in the
// still's pixels, as the path file holds them (cameraPathJson).
//
// Thread affinity: GUI thread. Draws a small copy of the still; decodes nothing.
class PathEditor final : public QWidget {
    Q_OBJECT
public:
    // Rectangles of the route drawn between the first and the last key.
    static constexpr int kRouteSamples = 12;

    explicit PathEditor(QWidget* parent = nullptr);

    // The still to draw (a copy fitted to the screen is kept) and its size in pixels, the
    // coordinates of the keys. Keys that no longer fit are refitted.
    void setStill(const QImage& still, QSize sourceSize);
    QSize sourceSize() const { return m_source; }
    // The video's width / height; keys are refitted to it about their centres.
    void setOutputAspect(double aspect);
    // When the next key added goes, seconds.
    void setNewKeyTime(double seconds) { m_newKeyTime = seconds; }
    double newKeyTime() const { return m_newKeyTime; }

    const std::vector<ripen::PathKey>& keys() const { return m_keys; }
    // Replaces the keys (a loaded path file): sorted by time, refitted, none selected.
    void setKeys(std::vector<ripen::PathKey> keys);
    ripen::CameraPath path() const { return ripen::CameraPath(m_keys); }
    int selectedKey() const { return m_selected; }
    void selectKey(int index);

    // Adds a key at newKeyTime() centred on `sourcePoint` (a key already at that time is
    // replaced) and selects it; returns its index.
    int addKey(QPointF sourcePoint);
    void deleteSelectedKey();
    // The selected key's time; false (and nothing changes) when another key has it.
    bool setSelectedTime(double seconds);
    void setSelectedEasing(ripen::Easing easing);
    // The selected key's width in source pixels, about its centre (the height follows).
    void setSelectedWidth(double width);

    // Where a point or crop of the still is drawn, and back.
    QPointF sourceToWidget(QPointF point) const;
    QRectF sourceToWidget(const ripen::CropRect& crop) const;
    QPointF widgetToSource(QPointF point) const;
    // The route's rectangles as drawn (source pixels), from the first key to the last.
    std::vector<ripen::CropRect> routeRects() const;

    QSize sizeHint() const override { return {640, 360}; }

signals:
    void keysChanged();
    void selectionChanged(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    QRectF imageRect() const;
    // The key under `widgetPoint`, the selected one first; -1 when none.
    int keyAt(QPointF widgetPoint) const;
    ripen::CropRect fitted(const ripen::CropRect& crop, double width) const;
    void sortKeys();

    QImage m_still;
    QSize m_source;
    double m_aspect = 16.0 / 9.0;
    double m_newKeyTime = 0;
    std::vector<ripen::PathKey> m_keys;
    int m_selected = -1;
    bool m_dragging = false;
    QPointF m_grab; // source pixels from the dragged key's centre to the mouse
};

} // namespace ripen::ui
