#include "settings/SettingsDialog.h"

#include "ProductionTestSupport.h"
#include "UiTestSupport.h"
#include "providers/google/GoogleProvider.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "queue/JobLane.h"
#include "settings/KeyStore.h"
#include "settings/LocalServerProbe.h"
#include "settings/ProviderSettings.h"
#include "support/FakeHttpServer.h"
#include "support/TempDir.h"

#include <QCheckBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <catch2/catch.hpp>
#include <sys/stat.h>

using ripen::test::TempDir;
using ripen::test::uiApp;
using ripen::test::waitUntil;
using ripen::ui::JobLane;
using ripen::ui::KeyStore;
using ripen::ui::SettingsDialog;

namespace {

constexpr const char* kCanary = "sk-CANARY0settings0key0abcdefghijklmnop";

// Every file under the config folders and the QSettings file that holds `secret`.
QStringList filesHolding(const QByteArray& secret) {
    QSettings().sync();
    QStringList files = {QSettings().fileName()};
    QDirIterator it(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation),
                    QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        files << it.next();
    }
    QStringList holding;
    for (const QString& name : files) {
        QFile file(name);
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(secret)) {
            holding << name;
        }
    }
    return holding;
}

unsigned modeOf(const QString& path) {
    struct stat info {};
    REQUIRE(::stat(path.toLocal8Bit().constData(), &info) == 0);
    return info.st_mode & 0777U;
}

void forgetKeyFile() {
    QSettings().remove(QStringLiteral("keys"));
    QSettings().remove(QStringLiteral("providers"));
    QFile::remove(KeyStore::defaultKeyFile());
}

} // namespace

TEST_CASE("Settings never write a key to disk in clear unless the user opts in", "[ui][settings]") {
    uiApp();
    forgetKeyFile();
    TempDir dir;
    JobLane lane(dir / "library");
    lane.setRegistryFactory([](ripen::ProviderRegistry& registry) {
        registry.add(std::make_unique<ripen::providers::google::GoogleProvider>(), {4, 60});
        registry.add(std::make_unique<ripen::OpenAiImagesProvider>(), {4, 50});
    });
    KeyStore keys(KeyStore::Backend::NoKeychain);
    QObject::connect(&keys, &KeyStore::keysChanged, &lane, [&] { lane.setKeys(keys.keys()); });
    keys.load();
    REQUIRE(waitUntil([&] { return keys.isLoaded(); }));
    CHECK_FALSE(keys.keychainAvailable());

    SettingsDialog dialog(lane, &keys);
    QLineEdit* field = dialog.keyField("OPENAI_API_KEY");
    REQUIRE(field != nullptr);
    CHECK(field->echoMode() == QLineEdit::Password);
    field->setText(QString::fromLatin1(kCanary));
    dialog.baseUrlField("openai")->setText(QStringLiteral("http://127.0.0.1:9/proxy/"));
    dialog.apply();
    REQUIRE(waitUntil([&] { return !keys.isBusy(); }));

    // Kept for this session: the queue has it, the disk does not.
    CHECK(keys.storage() == KeyStore::Storage::SessionOnly);
    CHECK(keys.keys().at("OPENAI_API_KEY") == kCanary);
    CHECK(field->text().isEmpty());
    CHECK(field->placeholderText().contains(QStringLiteral("ends in mnop")));
    CHECK(filesHolding(kCanary).isEmpty());
    CHECK_FALSE(QFile::exists(KeyStore::defaultKeyFile()));
    const auto providers = lane.providers();
    const auto openai =
        std::ranges::find(providers, std::string("openai"), &JobLane::ProviderInfo::id);
    REQUIRE(openai != providers.end());
    CHECK(openai->missingConfiguration.empty());
    CHECK(openai->endpoints == std::vector<std::string>{"http://127.0.0.1:9/proxy"});
    CHECK(ripen::ui::ProviderSettings::load(QSettings()).at("openai").baseUrls ==
          std::vector<std::string>{"http://127.0.0.1:9/proxy/"});

    // Opted in: the key goes to a 0600 file in a 0700 folder, and still not to QSettings.
    dialog.fileOptInBox()->setChecked(true);
    dialog.apply();
    REQUIRE(waitUntil([&] { return !keys.isBusy(); }));
    const QString file = KeyStore::defaultKeyFile();
    REQUIRE(QFile::exists(file));
    CHECK(modeOf(file) == 0600U);
    CHECK(modeOf(QFileInfo(file).absolutePath()) == 0700U);
    CHECK(filesHolding(kCanary) == QStringList{file});
    ripen::test::renderWidget(dialog, QSize(640, 680), QStringLiteral("settings-dialog.png"));

    // The next session reads it back.
    KeyStore next(KeyStore::Backend::NoKeychain);
    next.load();
    REQUIRE(waitUntil([&] { return next.isLoaded(); }));
    CHECK(next.storage() == KeyStore::Storage::File);
    CHECK(next.keys().at("OPENAI_API_KEY") == kCanary);

    // Opting out removes the file.
    dialog.fileOptInBox()->setChecked(false);
    dialog.apply();
    REQUIRE(waitUntil([&] { return !keys.isBusy(); }));
    CHECK_FALSE(QFile::exists(file));
    CHECK(filesHolding(kCanary).isEmpty());
    forgetKeyFile();
}

TEST_CASE("A local ComfyUI answering on its port is found; other answers are not",
          "[ui][settings]") {
    uiApp();
    ripen::test::FakeHttpServer comfy;
    ripen::test::FakeReply stats;
    stats.body = R"({"system": {"os": "posix", "comfyui_version": "0.3.40"}, "devices": []})";
    comfy.reply("GET", "/system_stats", stats);
    ripen::test::FakeHttpServer other; // answers 404 to everything, like an unrelated server
    ripen::ui::LocalServerProbe probe;
    QSignalSpy found(&probe, &ripen::ui::LocalServerProbe::found);
    QSignalSpy finished(&probe, &ripen::ui::LocalServerProbe::finished);
    probe.probe({{"comfyui", comfy.baseUrl(), "/system_stats"},
                 {"automatic1111", other.baseUrl(), "/sdapi/v1/sd-models"}});
    REQUIRE(finished.wait(10000));
    REQUIRE(found.count() == 1);
    CHECK(found.at(0).at(0).toString() == QStringLiteral("comfyui"));
    CHECK(found.at(0).at(1).toString() == QString::fromStdString(comfy.baseUrl()));
}
