#include "welcome/WelcomeDialog.h"

#include "theme/Theme.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace ripen::ui {

namespace {

const char* const kShownSetting = "welcome/shown";

// "Ready: OpenAI Images, ComfyUI. Needs a key: Google Gemini API (set GEMINI_API_KEY …)."
QString describeProviders(const std::vector<JobLane::ProviderInfo>& providers) {
    QStringList ready;
    QStringList missing;
    for (const auto& provider : providers) {
        const QString name = QString::fromStdString(provider.displayName).toHtmlEscaped();
        if (provider.missingConfiguration.empty()) {
            ready << name;
        } else {
            missing << QStringLiteral("%1: <i>%2</i>")
                           .arg(name, QString::fromStdString(provider.missingConfiguration)
                                          .toHtmlEscaped());
        }
    }
    QString text;
    if (!ready.isEmpty()) {
        text += QObject::tr("<p><b>Ready now:</b> %1.</p>").arg(ready.join(QStringLiteral(", ")));
    }
    if (!missing.isEmpty()) {
        text += QObject::tr("<p><b>Needs setting up:</b><br>%1</p>")
                    .arg(missing.join(QStringLiteral("<br>")));
    }
    return text;
}

} // namespace

WelcomeDialog::WelcomeDialog(const std::vector<JobLane::ProviderInfo>& providers, QWidget* parent)
    : QDialog(parent), m_providers(new QLabel(this)),
      m_settings(new QPushButton(tr("Open Settings…"), this)),
      m_demo(new QPushButton(tr("Create Demo Library"), this)) {
    setObjectName(QStringLiteral("welcomeDialog"));
    setWindowTitle(tr("Welcome to Ripen"));
    auto* title = new QLabel(tr("Welcome to Ripen"), this);
    title->setObjectName(QStringLiteral("emptyStateTitle"));
    auto* intro = new QLabel(
        tr("<p>Ripen turns a striking image into a production line: find a concept on a cheap "
           "model, make the master on a pro model, fix and upscale it, and keep the cost of "
           "every accepted asset in view.</p>"
           "<p><b>Providers</b> make the images. Cloud providers (Google Gemini, OpenAI, "
           "Stability, Kling) need an API key from your account with them; a ComfyUI or "
           "AUTOMATIC1111 on your own machine needs none, and Ripen finds one answering on "
           "its usual port.</p>"
           "<p><b>Keys</b> are kept in the system keychain, never in Ripen's settings, logs or "
           "exports. Keys in the environment (GEMINI_API_KEY, OPENAI_API_KEY, …) work "
           "too.</p>"
           "<p>Without any key you can import images (Ctrl+I or drop them on the window), "
           "cull and rate them, and use the local engines.</p>"),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    m_providers->setObjectName(QStringLiteral("welcomeProviders"));
    m_providers->setWordWrap(true);
    m_providers->setTextFormat(Qt::RichText);
    m_providers->setText(describeProviders(providers));

    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(m_demo, QDialogButtonBox::ActionRole);
    buttons->addButton(m_settings, QDialogButtonBox::ActionRole);
    m_demo->setToolTip(tr("Ripen draws a dozen landscapes (CC0) and imports them, so culling "
                          "and references can be tried without a key"));
    connect(m_demo, &QPushButton::clicked, this, [this] {
        accept();
        emit demoRequested();
    });
    QPushButton* start = buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    start->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_settings, &QPushButton::clicked, this, [this] {
        accept();
        emit settingsRequested();
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(3 * Theme::kGrid, 3 * Theme::kGrid, 3 * Theme::kGrid,
                               2 * Theme::kGrid);
    layout->setSpacing(2 * Theme::kGrid);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(m_providers);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setMinimumWidth(66 * Theme::kGrid);
}

bool WelcomeDialog::wasShown() {
    return QSettings().value(kShownSetting, false).toBool();
}

void WelcomeDialog::markShown() {
    QSettings().setValue(kShownSetting, true);
}

QString WelcomeDialog::providersText() const {
    return m_providers->text();
}

} // namespace ripen::ui
