#include "tools/WidgetScreenshot.h"

#include <QDir>
#include <QFileInfo>
#include <QPixmap>
#include <QWidget>
#include <utility>

namespace ripen::ui {

namespace {
constexpr int kPollMs = 100;
constexpr int kQuietPollsNeeded = 4;
} // namespace

WidgetScreenshot::WidgetScreenshot(QWidget& widget, std::function<bool()> busy, QString file,
                                   QObject* parent)
    : QObject(parent), m_widget(widget), m_busy(std::move(busy)), m_file(std::move(file)) {
    m_timer.setInterval(kPollMs);
    connect(&m_timer, &QTimer::timeout, this, &WidgetScreenshot::poll);
}

void WidgetScreenshot::start(std::chrono::milliseconds timeout) {
    m_deadline = std::chrono::steady_clock::now() + timeout;
    m_quietPolls = 0;
    m_timer.start();
}

void WidgetScreenshot::poll() {
    const bool timedOut = std::chrono::steady_clock::now() >= m_deadline;
    m_quietPolls = (m_busy && m_busy()) ? 0 : m_quietPolls + 1;
    if (m_quietPolls < kQuietPollsNeeded && !timedOut) {
        return;
    }
    m_timer.stop();
    QString error;
    const bool ok = save(m_widget, m_file, &error);
    QString message = ok ? tr("wrote %1").arg(m_file) : error;
    if (ok && timedOut) {
        message += tr(" (the window was still busy at the timeout)");
    }
    emit finished(ok, message);
}

bool WidgetScreenshot::save(QWidget& widget, const QString& file, QString* error) {
    const QPixmap pixmap = widget.grab();
    if (pixmap.isNull()) {
        if (error != nullptr) {
            *error = tr("could not render the window");
        }
        return false;
    }
    QDir().mkpath(QFileInfo(file).absolutePath());
    if (!pixmap.save(file, "PNG")) {
        if (error != nullptr) {
            *error = tr("could not write %1").arg(file);
        }
        return false;
    }
    return true;
}

} // namespace ripen::ui
