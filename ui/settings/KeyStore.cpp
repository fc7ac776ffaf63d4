#include "settings/KeyStore.h"

#include "PathText.h"
#include "common/Error.h"
#include "common/FileIo.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QSettings>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>
#include <memory>
#include <nlohmann/json.hpp>
#include <qt6keychain/keychain.h>
#include <sys/stat.h>

namespace ripen::ui {

namespace {

const QString kService = QStringLiteral("Ripen");
const char* const kOptInSetting = "keys/storeInFile";
constexpr std::uint64_t kMaxKeyFileBytes = 64 * 1024;

bool keychainMissing(QKeychain::Error error) {
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented ||
           error == QKeychain::OtherError || error == QKeychain::AccessDenied ||
           error == QKeychain::AccessDeniedByUser;
}

Result<KeyStore::Keys> readKeyFile(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return KeyStore::Keys{};
    }
    auto text = ripen::readFileBounded(file, kMaxKeyFileBytes);
    if (!text) {
        return std::unexpected(text.error());
    }
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (!json.is_object()) {
        return fail(ErrorCode::InvalidArgument,
                    file.string() + " is not a JSON object of key names and values");
    }
    KeyStore::Keys keys;
    for (const auto& [name, value] : json.items()) {
        if (value.is_string()) {
            keys[name] = value.get<std::string>();
        }
    }
    return keys;
}

// The folder is made 0700 before anything is written, so the temp file (created 0644 by
// the atomic writer) is never readable by others; the file itself ends up 0600.
ripen::Status writeKeyFile(const std::filesystem::path& file, const KeyStore::Keys& keys) {
    const auto dir = file.parent_path();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || ::chmod(dir.c_str(), 0700) != 0) {
        return fail(ErrorCode::Io, "cannot make the private folder " + dir.string());
    }
    nlohmann::json json = nlohmann::json::object();
    for (const auto& [name, value] : keys) {
        json[name] = value;
    }
    if (auto written = ripen::writeFileAtomically(file, json.dump(2) + "\n"); !written) {
        return written;
    }
    if (::chmod(file.c_str(), 0600) != 0) {
        return fail(ErrorCode::Io, "cannot make " + file.string() + " private (mode 0600)");
    }
    return {};
}

ripen::Status removeKeyFile(const std::filesystem::path& file) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    if (ec) {
        return fail(ErrorCode::Io, "cannot remove " + file.string());
    }
    return {};
}

} // namespace

const std::vector<KeyStore::KeyName>& KeyStore::knownKeys() {
    static const std::vector<KeyName> names = {
        {"GEMINI_API_KEY", "google", QObject::tr("API key")},
        {"OPENAI_API_KEY", "openai", QObject::tr("API key")},
        {"STABILITY_API_KEY", "stability", QObject::tr("API key")},
        {"KLING_ACCESS_KEY", "kling", QObject::tr("Access key")},
        {"KLING_SECRET_KEY", "kling", QObject::tr("Secret key")},
        {"COMFYUI_TOKEN", "comfyui", QObject::tr("Token (optional)")},
        {"AUTOMATIC1111_USER", "automatic1111", QObject::tr("User (optional)")},
        {"AUTOMATIC1111_PASSWORD", "automatic1111", QObject::tr("Password (optional)")},
    };
    return names;
}

QString KeyStore::defaultKeyFile() {
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/secrets/keys.json");
}

KeyStore::KeyStore(Backend backend, QString keyFile, QObject* parent)
    : QObject(parent), m_backend(backend), m_keyFile(std::move(keyFile)) {
    m_files.setMaxThreadCount(1);
}

KeyStore::~KeyStore() {
    m_files.waitForDone();
}

KeyStore::Storage KeyStore::storage() const {
    if (m_keychain) {
        return Storage::Keychain;
    }
    return fileOptIn() ? Storage::File : Storage::SessionOnly;
}

bool KeyStore::fileOptIn() const {
    return QSettings().value(kOptInSetting, false).toBool();
}

void KeyStore::load() {
    ++m_pending;
    readKeychain([this] {
        const auto done = [this] {
            --m_pending;
            m_loaded = true;
            emit loaded();
            emit keysChanged();
        };
        if (!m_keychain && fileOptIn()) {
            readFile(done);
        } else {
            done();
        }
    });
}

// One read job per known name, one after another; the first that says "no keychain here"
// ends the walk.
void KeyStore::readKeychain(std::function<void()> next) {
    if (m_backend == Backend::NoKeychain) {
        m_keychain = false;
        next();
        return;
    }
    m_keychain = true;
    auto index = std::make_shared<std::size_t>(0);
    auto step = std::make_shared<std::function<void()>>();
    *step = [this, index, step, next] {
        if (*index >= knownKeys().size() || !m_keychain) {
            next();
            *step = nullptr; // breaks the self-reference
            return;
        }
        const std::string name = knownKeys()[*index].name;
        auto* job = new QKeychain::ReadPasswordJob(kService, this);
        job->setAutoDelete(true);
        job->setKey(QString::fromStdString(name));
        connect(job, &QKeychain::Job::finished, this, [this, job, name, index, step] {
            if (job->error() == QKeychain::NoError) {
                m_keys[name] = job->textData().toStdString();
            } else if (keychainMissing(job->error())) {
                m_keychain = false;
            }
            ++*index;
            (*step)();
        });
        job->start();
    };
    (*step)();
}

void KeyStore::readFile(std::function<void()> next) {
    (void)QtConcurrent::run(&m_files, [this, file = PathText::toPath(m_keyFile), next] {
        auto keys = readKeyFile(file);
        QMetaObject::invokeMethod(
            this,
            [this, keys = std::move(keys), next] {
                if (keys) {
                    for (const auto& [name, value] : *keys) {
                        m_keys.try_emplace(name, value);
                    }
                } else {
                    emit saved(false, QString::fromStdString(keys.error().message));
                }
                next();
            },
            Qt::QueuedConnection);
    });
}

void KeyStore::setFileOptIn(bool optIn) {
    if (optIn == fileOptIn()) {
        return;
    }
    QSettings().setValue(kOptInSetting, optIn);
    if (m_keychain) {
        return; // the keychain answers: the file is never used
    }
    if (optIn) {
        writeFile();
        return;
    }
    ++m_pending;
    (void)QtConcurrent::run(&m_files, [this, file = PathText::toPath(m_keyFile)] {
        auto removed = removeKeyFile(file);
        QMetaObject::invokeMethod(
            this,
            [this, removed] {
                finishSave(bool(removed), removed
                                              ? tr("The key file was removed; keys are kept "
                                                   "for this session only")
                                              : QString::fromStdString(removed.error().message));
            },
            Qt::QueuedConnection);
    });
}

void KeyStore::save(const Keys& changes) {
    for (const auto& [name, value] : changes) {
        if (value.empty()) {
            m_keys.erase(name);
        } else {
            m_keys[name] = value;
        }
    }
    emit keysChanged();
    switch (storage()) {
    case Storage::Keychain:
        writeKeychain(changes);
        break;
    case Storage::File:
        writeFile();
        break;
    case Storage::SessionOnly:
        ++m_pending;
        QMetaObject::invokeMethod(
            this,
            [this] {
                finishSave(true, tr("No keychain answered: keys are kept for this session only. "
                                    "Opt in to the key file to keep them."));
            },
            Qt::QueuedConnection);
        break;
    }
}

void KeyStore::writeKeychain(const Keys& changes) {
    if (changes.empty()) {
        ++m_pending;
        QMetaObject::invokeMethod(
            this, [this] { finishSave(true, tr("Keys saved in the keychain")); },
            Qt::QueuedConnection);
        return;
    }
    auto remaining = std::make_shared<int>(static_cast<int>(changes.size()));
    auto failed = std::make_shared<bool>(false);
    for (const auto& [name, value] : changes) {
        ++m_pending;
        QKeychain::Job* job = nullptr;
        if (value.empty()) {
            auto* remove = new QKeychain::DeletePasswordJob(kService, this);
            job = remove;
        } else {
            auto* write = new QKeychain::WritePasswordJob(kService, this);
            write->setTextData(QString::fromStdString(value));
            job = write;
        }
        job->setAutoDelete(true);
        job->setKey(QString::fromStdString(name));
        connect(job, &QKeychain::Job::finished, this, [this, job, remaining, failed] {
            *failed = *failed || (job->error() != QKeychain::NoError &&
                                  job->error() != QKeychain::EntryNotFound);
            if (--*remaining > 0) {
                --m_pending;
                return;
            }
            // The keychain's own error text names the service, never the secret.
            finishSave(!*failed,
                       *failed
                           ? tr("The keychain refused to store a key: %1").arg(job->errorString())
                           : tr("Keys saved in the keychain"));
        });
        job->start();
    }
}

void KeyStore::writeFile() {
    ++m_pending;
    (void)QtConcurrent::run(&m_files, [this, file = PathText::toPath(m_keyFile), keys = m_keys] {
        auto written = writeKeyFile(file, keys);
        QMetaObject::invokeMethod(
            this,
            [this, written] {
                finishSave(bool(written),
                           written ? tr("Keys saved in %1 (readable only by you)").arg(m_keyFile)
                                   : QString::fromStdString(written.error().message));
            },
            Qt::QueuedConnection);
    });
}

void KeyStore::finishSave(bool ok, const QString& message) {
    --m_pending;
    emit saved(ok, message);
}

} // namespace ripen::ui
