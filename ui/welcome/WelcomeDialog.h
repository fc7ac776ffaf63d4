#pragma once

#include "queue/JobLane.h"

#include <QDialog>
#include <vector>

class QLabel;
class QPushButton;

namespace ripen::ui {

// The first-run welcome: what Ripen does, that generation needs a provider (a cloud API
// key, or a ComfyUI or AUTOMATIC1111 of one's own), where keys are kept, and which
// providers are ready now. "Open Settings" leads to the keys; the local engines (inpaint,
// upscale) and importing work without any, and "Create Demo Library" gives a library to
// try curation on at once (see DemoLibraryMaker). Shown once (QSettings "welcome/shown"), and
// again from Help.
//
// Thread affinity: GUI thread.
class WelcomeDialog final : public QDialog {
    Q_OBJECT
public:
    explicit WelcomeDialog(const std::vector<JobLane::ProviderInfo>& providers,
                           QWidget* parent = nullptr);

    // Whether the welcome was shown before; marking it keeps it from opening by itself.
    static bool wasShown();
    static void markShown();

    QString providersText() const;
    QPushButton& settingsButton() { return *m_settings; }

    QPushButton& demoButton() { return *m_demo; }

signals:
    void settingsRequested();
    // "Create Demo Library": Ripen draws a few images and imports them.
    void demoRequested();

private:
    QLabel* m_providers;
    QPushButton* m_settings;
    QPushButton* m_demo;
};

} // namespace ripen::ui
