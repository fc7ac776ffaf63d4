#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ripen::ui {

// Where provider API keys live. First choice is the system keychain through QtKeychain
// (Secret Service on Linux). When no keychain answers (a bare desktop, CI), keys are kept
// in memory for this session only, unless the user explicitly opts in to a key file under
// the XDG config dir: JSON, mode 0600 inside a 0700 folder, written atomically (temp +
// fsync + rename). Keys never go to QSettings, a log line or an error message; the
// opt-in itself is the only thing QSettings holds ("keys/storeInFile").
//
// Thread affinity: GUI thread. File reads and writes run on a worker thread.
class KeyStore final : public QObject {
    Q_OBJECT
public:
    using Keys = std::map<std::string, std::string, std::less<>>;

    enum class Backend {
        SystemKeychain, // try QtKeychain first
        NoKeychain,     // as if none answered (tests, and where the user wants none)
    };
    enum class Storage { Keychain, File, SessionOnly };

    // The credential names the providers read, with the provider each belongs to.
    struct KeyName {
        std::string name;     // e.g. "GEMINI_API_KEY"
        std::string provider; // e.g. "google"
        QString label;        // e.g. "API key"
    };
    static const std::vector<KeyName>& knownKeys();
    // <XDG config dir>/<organization>/<application>/secrets/keys.json
    static QString defaultKeyFile();

    explicit KeyStore(Backend backend, QString keyFile = defaultKeyFile(),
                      QObject* parent = nullptr);
    ~KeyStore() override;

    // Reads every known key (keychain, then the key file when opted in); emits loaded.
    void load();
    bool isLoaded() const { return m_loaded; }
    bool keychainAvailable() const { return m_keychain; }
    Storage storage() const;
    QString keyFile() const { return m_keyFile; }

    bool fileOptIn() const;
    // Opting in writes the keys held now to the file; opting out removes the file.
    void setFileOptIn(bool optIn);

    const Keys& keys() const { return m_keys; }
    // Sets (or with an empty value removes) keys, then stores them where storage() says;
    // emits saved with a message that names no key value.
    void save(const Keys& changes);
    bool isBusy() const { return m_pending > 0; }

signals:
    void loaded();
    void keysChanged();
    void saved(bool ok, const QString& message);

private:
    void readKeychain(std::function<void()> next);
    void readFile(std::function<void()> next);
    void writeKeychain(const Keys& changes);
    void writeFile();
    void finishSave(bool ok, const QString& message);

    Backend m_backend;
    QString m_keyFile;
    QThreadPool m_files; // one thread: writes land in order
    Keys m_keys;
    bool m_keychain = false;
    bool m_loaded = false;
    int m_pending = 0;
};

} // namespace ripen::ui
