#pragma once

#include "video/ConsistencyCheck.h"

#include <QWidget>

namespace ripen::ui {

// The consistency strip under the Motion view's player: one bar per frame of a clip, its
// height the structural change from the frame before (what the camera's motion does not
// explain), the clip's spike threshold as a dashed line, flagged frames in the alarm colour
// with a marker above them, and the player's position as a cursor. A click asks to seek
// to the moment under the pointer.
//
// Thread affinity: GUI thread.
class ConsistencyStrip final : public QWidget {
    Q_OBJECT
public:
    explicit ConsistencyStrip(QWidget* parent = nullptr);

    // `clipSeconds` spans the strip's width.
    void setReport(const ripen::ConsistencyReport& report, double clipSeconds);
    void clear();
    bool hasReport() const { return !m_report.changes.empty(); }
    const ripen::ConsistencyReport& report() const { return m_report; }
    void setCursorSeconds(double seconds);
    double clipSeconds() const { return m_seconds; }

    // Where `seconds` of the clip is drawn, in widget pixels, and the reverse.
    double xForSeconds(double seconds) const;
    double secondsAtX(double x) const;

    QSize sizeHint() const override { return {640, 56}; }
    QSize minimumSizeHint() const override { return {120, 40}; }

signals:
    void seekRequested(double seconds);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    double scaleTop() const; // the structural change drawn at the strip's full height

    ripen::ConsistencyReport m_report;
    double m_seconds = 0;
    double m_cursor = -1;
};

} // namespace ripen::ui
