#pragma once

#include "queue/JobLane.h"

#include <QDialog>
#include <map>
#include <string>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QToolButton;
class QVBoxLayout;

namespace ripen::ui {

class KeyStore;
class LocalServerProbe;

// Settings: per provider its keys (masked; stored by the KeyStore, never in QSettings),
// base URLs, concurrency and requests per minute; whether keys may go to a private file
// when no keychain answers (an explicit opt-in); the default library. A ComfyUI or
// AUTOMATIC1111 answering on its default port on this machine is offered with one click.
// Save applies everything: the queue's next run uses the new keys, URLs and limits.
//
// Thread affinity: GUI thread.
class SettingsDialog final : public QDialog {
    Q_OBJECT
public:
    // `keys` may be null: the key rows are then disabled and say why.
    SettingsDialog(JobLane& lane, KeyStore* keys, QWidget* parent = nullptr);
    ~SettingsDialog() override;

    QLineEdit* keyField(const std::string& name) const;
    QLineEdit* baseUrlField(const std::string& provider) const;
    QSpinBox* concurrencyField(const std::string& provider) const;
    QSpinBox* rateField(const std::string& provider) const;
    QCheckBox* fileOptInBox() const { return m_optIn; }
    QLineEdit* libraryField() const { return m_library; }
    LocalServerProbe& probe() { return *m_probe; }
    QString localServersText() const;

    // Stores what the dialog shows (also what Save does before closing).
    void apply();
    void accept() override;

private:
    struct ProviderRows {
        QLineEdit* baseUrl = nullptr;
        QSpinBox* concurrency = nullptr;
        QSpinBox* rate = nullptr;
    };
    QWidget* createProvidersPage();
    QWidget* createLibraryPage();
    void addProviderGroup(QVBoxLayout* layout, const JobLane::ProviderInfo& info);
    void describeStorage();
    void offerLocalServer(const QString& provider, const QString& baseUrl);
    QString keyPlaceholder(const std::string& name) const;

    JobLane& m_lane;
    KeyStore* m_keys;
    LocalServerProbe* m_probe;
    QLabel* m_storage = nullptr;
    QCheckBox* m_optIn = nullptr;
    QLabel* m_localServers = nullptr;
    QLineEdit* m_library = nullptr;
    std::map<std::string, QLineEdit*> m_keyFields;
    std::map<std::string, bool> m_forget;
    std::map<std::string, QToolButton*> m_forgetButtons;
    std::map<std::string, ProviderRows> m_rows;
    JobLane::ProviderOverrides m_overrides;
    bool m_foundLocalServer = false;
};

} // namespace ripen::ui
