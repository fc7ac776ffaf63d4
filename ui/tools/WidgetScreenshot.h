#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <chrono>
#include <functional>

class QWidget;

namespace ripen::ui {

// Renders a widget to a PNG once it has settled: when `busy` has said false for a few
// polls in a row (rows, thumbnails and batched layout landed), or at the timeout. Used by
// `ripen --screenshot FILE` and the UI tests, so that people can look at the GUI as a
// user sees it, including under the offscreen platform.
//
// Thread affinity: GUI thread.
class WidgetScreenshot final : public QObject {
    Q_OBJECT
public:
    WidgetScreenshot(QWidget& widget, std::function<bool()> busy, QString file,
                     QObject* parent = nullptr);

    void start(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // Grabs `widget` now and writes it as PNG; false with a reason when it cannot.
    static bool save(QWidget& widget, const QString& file, QString* error = nullptr);

signals:
    void finished(bool ok, const QString& message);

private:
    void poll();

    QWidget& m_widget;
    std::function<bool()> m_busy;
    QString m_file;
    QTimer m_timer;
    std::chrono::steady_clock::time_point m_deadline{};
    int m_quietPolls = 0;
};

} // namespace ripen::ui
