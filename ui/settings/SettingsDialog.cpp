#include "settings/SettingsDialog.h"

#include "settings/KeyStore.h"
#include "settings/LocalServerProbe.h"
#include "settings/ProviderSettings.h"
#include "theme/Theme.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <utility>

namespace ripen::ui {

namespace {

QString joined(const std::vector<std::string>& values) {
    QStringList list;
    for (const auto& value : values) {
        list << QString::fromStdString(value);
    }
    return list.join(QStringLiteral(", "));
}

QSpinBox* limitSpin(int builtIn, int maximum, const QString& unit, QWidget* parent) {
    auto* spin = new QSpinBox(parent);
    spin->setRange(0, maximum);
    spin->setSpecialValueText(QObject::tr("Default: %1%2").arg(builtIn).arg(unit));
    spin->setSuffix(unit);
    spin->setAlignment(Qt::AlignRight);
    return spin;
}

} // namespace

SettingsDialog::SettingsDialog(JobLane& lane, KeyStore* keys, QWidget* parent)
    : QDialog(parent), m_lane(lane), m_keys(keys), m_probe(new LocalServerProbe(this)),
      m_overrides(ProviderSettings::load(QSettings())) {
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    auto* tabs = new QTabWidget(this);
    tabs->addTab(createProvidersPage(), tr("Providers"));
    tabs->addTab(createLibraryPage(), tr("Library"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * Theme::kGrid, 2 * Theme::kGrid, 2 * Theme::kGrid,
                               2 * Theme::kGrid);
    layout->setSpacing(2 * Theme::kGrid);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(80 * Theme::kGrid, 84 * Theme::kGrid);

    connect(m_probe, &LocalServerProbe::found, this, &SettingsDialog::offerLocalServer);
    connect(m_probe, &LocalServerProbe::finished, this, [this] {
        if (!m_foundLocalServer) {
            m_localServers->setText(tr("No ComfyUI (port 8188) or AUTOMATIC1111 (port 7860) "
                                       "answers on this machine."));
        }
    });
    m_probe->probe();
}

SettingsDialog::~SettingsDialog() = default;

QWidget* SettingsDialog::createProvidersPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(2 * Theme::kGrid, 2 * Theme::kGrid, 2 * Theme::kGrid,
                               2 * Theme::kGrid);
    layout->setSpacing(Theme::kGrid);

    m_storage = new QLabel(page);
    m_storage->setObjectName(QStringLiteral("keyStorage"));
    m_storage->setWordWrap(true);
    m_optIn = new QCheckBox(page);
    m_optIn->setObjectName(QStringLiteral("keyFileOptIn"));
    layout->addWidget(m_storage);
    layout->addWidget(m_optIn);
    m_localServers = new QLabel(page);
    m_localServers->setObjectName(QStringLiteral("localServers"));
    m_localServers->setWordWrap(true);
    m_localServers->setText(tr("Looking for ComfyUI and AUTOMATIC1111 on this machine…"));
    layout->addWidget(m_localServers);
    describeStorage();

    auto* scroll = new QScrollArea(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setObjectName(QStringLiteral("providerScroll"));
    // The groups sit on the page's own colour, not on the scroll area's darker base.
    scroll->setStyleSheet(QStringLiteral("QScrollArea#providerScroll, "
                                         "QScrollArea#providerScroll > QWidget > QWidget "
                                         "{ background: transparent; }"));
    auto* groups = new QWidget(scroll);
    auto* groupsLayout = new QVBoxLayout(groups);
    groupsLayout->setContentsMargins(0, 0, Theme::kGrid, 0);
    groupsLayout->setSpacing(2 * Theme::kGrid);
    for (const auto& info : m_lane.providers()) {
        addProviderGroup(groupsLayout, info);
    }
    groupsLayout->addStretch(1);
    scroll->setWidget(groups);
    layout->addWidget(scroll, 1);
    return page;
}

void SettingsDialog::describeStorage() {
    if (m_keys == nullptr) {
        m_storage->setText(tr("Keys come from the environment only in this window."));
        m_optIn->hide();
        return;
    }
    m_optIn->setText(tr("Store keys in a file only you can read: %1").arg(m_keys->keyFile()));
    m_optIn->setChecked(m_keys->fileOptIn());
    if (m_keys->keychainAvailable()) {
        m_storage->setText(tr("Keys are stored in the system keychain (Secret Service) and are "
                              "never written to Ripen's settings or logs."));
        m_optIn->hide();
        return;
    }
    m_storage->setText(tr("No system keychain answered. Keys you enter are kept for this "
                          "session only, unless you choose to store them in a private file "
                          "(mode 0600). Keys set in the environment always work."));
    m_optIn->show();
}

QString SettingsDialog::keyPlaceholder(const std::string& name) const {
    if (m_keys != nullptr) {
        if (const auto it = m_keys->keys().find(name); it != m_keys->keys().end()) {
            const std::string& key = it->second;
            const QString tail =
                key.size() > 12 ? QString::fromStdString(key.substr(key.size() - 4)) : QString();
            return tail.isEmpty() ? tr("•••••••• stored")
                                  : tr("•••••••• stored, ends in %1").arg(tail);
        }
    }
    if (qEnvironmentVariableIsSet(name.c_str())) {
        return tr("Set in the environment (%1)").arg(QString::fromStdString(name));
    }
    return tr("Not set");
}

void SettingsDialog::addProviderGroup(QVBoxLayout* layout, const JobLane::ProviderInfo& info) {
    auto* group = new QGroupBox(QString::fromStdString(info.displayName));
    group->setObjectName(QStringLiteral("provider_") + QString::fromStdString(info.id));
    auto* form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setHorizontalSpacing(2 * Theme::kGrid);
    form->setVerticalSpacing(Theme::kGrid);
    for (const auto& key : KeyStore::knownKeys()) {
        if (key.provider != info.id) {
            continue;
        }
        auto* field = new QLineEdit(group);
        field->setObjectName(QStringLiteral("key_") + QString::fromStdString(key.name));
        field->setEchoMode(QLineEdit::Password);
        field->setPlaceholderText(keyPlaceholder(key.name));
        field->setEnabled(m_keys != nullptr);
        field->setClearButtonEnabled(true);
        auto* forget = new QToolButton(group);
        forget->setText(tr("Forget"));
        forget->setToolTip(tr("Remove the stored %1").arg(QString::fromStdString(key.name)));
        forget->setEnabled(m_keys != nullptr && m_keys->keys().contains(key.name));
        m_forgetButtons[key.name] = forget;
        connect(forget, &QToolButton::clicked, this, [this, field, forget, name = key.name] {
            m_forget[name] = true;
            field->clear();
            field->setPlaceholderText(tr("Will be removed on Save"));
            forget->setEnabled(false);
        });
        auto* row = new QHBoxLayout;
        row->setSpacing(Theme::kGrid);
        row->addWidget(field, 1);
        row->addWidget(forget);
        form->addRow(key.label, row);
        m_keyFields[key.name] = field;
    }
    const auto chosen =
        m_overrides.contains(info.id) ? m_overrides.at(info.id) : JobLane::ProviderOverride{};
    ProviderRows rows;
    rows.baseUrl = new QLineEdit(group);
    rows.baseUrl->setObjectName(QStringLiteral("baseUrl_") + QString::fromStdString(info.id));
    rows.baseUrl->setText(joined(chosen.baseUrls));
    rows.baseUrl->setPlaceholderText(joined(info.endpoints));
    rows.baseUrl->setToolTip(tr("Comma-separated for a farm of servers; empty uses %1 or the "
                                "provider's address")
                                 .arg(QString::fromStdString(info.baseUrlVariable)));
    form->addRow(tr("Base URL"), rows.baseUrl);
    rows.concurrency =
        limitSpin(info.defaultLimits.concurrencyPerEndpoint, 64, tr(" at once"), group);
    rows.concurrency->setToolTip(tr("Requests at once per server"));
    rows.concurrency->setValue(chosen.concurrency);
    rows.rate = limitSpin(info.defaultLimits.requestsPerMinute, 100000, tr(" per minute"), group);
    rows.rate->setToolTip(tr("Requests per minute"));
    rows.rate->setValue(chosen.requestsPerMinute);
    auto* limits = new QHBoxLayout;
    limits->setSpacing(Theme::kGrid);
    limits->addWidget(rows.concurrency, 1);
    limits->addWidget(rows.rate, 1);
    form->addRow(tr("Limits"), limits);
    m_rows[info.id] = rows;
    layout->addWidget(group);
}

QWidget* SettingsDialog::createLibraryPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(2 * Theme::kGrid, 2 * Theme::kGrid, 2 * Theme::kGrid,
                               2 * Theme::kGrid);
    layout->setSpacing(Theme::kGrid);
    auto* label =
        new QLabel(tr("Default library (opened when Ripen starts without --library):"), page);
    label->setWordWrap(true);
    m_library = new QLineEdit(page);
    m_library->setObjectName(QStringLiteral("defaultLibrary"));
    m_library->setText(ProviderSettings::defaultLibrary(QSettings()));
    m_library->setPlaceholderText(tr("The standard location under your data folder"));
    auto* browse = new QPushButton(tr("Choose…"), page);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Default Library"), m_library->text());
        if (!folder.isEmpty()) {
            m_library->setText(folder);
        }
    });
    auto* row = new QHBoxLayout;
    row->setSpacing(Theme::kGrid);
    row->addWidget(m_library, 1);
    row->addWidget(browse);
    layout->addWidget(label);
    layout->addLayout(row);
    layout->addWidget(
        new QLabel(tr("A new default takes effect the next time Ripen starts."), page));
    layout->addStretch(1);
    return page;
}

void SettingsDialog::offerLocalServer(const QString& provider, const QString& baseUrl) {
    const auto rows = m_rows.find(provider.toStdString());
    const QString name = provider == QLatin1String("comfyui") ? tr("ComfyUI") : tr("AUTOMATIC1111");
    QString text =
        std::exchange(m_foundLocalServer, true) ? m_localServers->text() + '\n' : QString();
    text += tr("%1 answers at %2 on this machine.").arg(name, baseUrl);
    if (rows != m_rows.end() && rows->second.baseUrl->text().isEmpty()) {
        rows->second.baseUrl->setText(baseUrl);
        text += tr(" It is filled in below; Save to use it.");
    }
    m_localServers->setText(text);
}

QString SettingsDialog::localServersText() const {
    return m_localServers->text();
}

QLineEdit* SettingsDialog::keyField(const std::string& name) const {
    const auto it = m_keyFields.find(name);
    return it == m_keyFields.end() ? nullptr : it->second;
}

QLineEdit* SettingsDialog::baseUrlField(const std::string& provider) const {
    const auto it = m_rows.find(provider);
    return it == m_rows.end() ? nullptr : it->second.baseUrl;
}

QSpinBox* SettingsDialog::concurrencyField(const std::string& provider) const {
    const auto it = m_rows.find(provider);
    return it == m_rows.end() ? nullptr : it->second.concurrency;
}

QSpinBox* SettingsDialog::rateField(const std::string& provider) const {
    const auto it = m_rows.find(provider);
    return it == m_rows.end() ? nullptr : it->second.rate;
}

void SettingsDialog::apply() {
    if (m_keys != nullptr) {
        // The opt-in first, so that the keys below land where it says.
        if (!m_keys->keychainAvailable()) {
            m_keys->setFileOptIn(m_optIn->isChecked());
        }
        KeyStore::Keys changes;
        for (const auto& [name, field] : m_keyFields) {
            const std::string value = field->text().trimmed().toStdString();
            if (!value.empty()) {
                changes[name] = value;
            } else if (m_forget.contains(name)) {
                changes[name] = std::string();
            }
            field->clear(); // a key is shown only while it is typed, then masked
        }
        m_forget.clear();
        if (!changes.empty()) {
            m_keys->save(changes);
        }
        for (const auto& [name, field] : m_keyFields) {
            field->setPlaceholderText(keyPlaceholder(name));
            m_forgetButtons.at(name)->setEnabled(m_keys->keys().contains(name));
        }
    }
    JobLane::ProviderOverrides overrides;
    for (const auto& [id, rows] : m_rows) {
        JobLane::ProviderOverride chosen;
        for (const QString& url :
             rows.baseUrl->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!url.trimmed().isEmpty()) {
                chosen.baseUrls.push_back(url.trimmed().toStdString());
            }
        }
        chosen.concurrency = rows.concurrency->value();
        chosen.requestsPerMinute = rows.rate->value();
        if (!chosen.baseUrls.empty() || chosen.concurrency > 0 || chosen.requestsPerMinute > 0) {
            overrides[id] = chosen;
        }
    }
    QSettings settings;
    ProviderSettings::save(settings, overrides);
    ProviderSettings::setDefaultLibrary(settings, m_library->text().trimmed());
    m_lane.setProviderOverrides(overrides);
    m_overrides = std::move(overrides);
}

void SettingsDialog::accept() {
    apply();
    QDialog::accept();
}

} // namespace ripen::ui
