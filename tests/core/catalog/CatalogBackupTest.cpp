// A damaged catalog must cost at most the changes since the last backup, and a restore must
// never lead to a paid request being sent twice.
#include "catalog/CatalogBackup.h"

#include "catalog/Library.h"
#include "catalog/internal/CleanCloseRecord.h"
#include "catalog/internal/LiveSessionLock.h"
#include "common/Clock.h"
#include "jobs/JobStore.h"
#include "support/CatalogDamage.h"
#include "support/TempDir.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ripen;
namespace fs = std::filesystem;

namespace {

void addImages(Library& library, int count, int firstSeed) {
    for (int i = 0; i < count; ++i) {
        Asset asset;
        asset.sha256 = std::string(63, '0') + static_cast<char>('a' + (firstSeed + i) % 6);
        asset.sha256.replace(0, 8, std::to_string(10000000 + firstSeed + i));
        asset.blobPath = "blobs/00/" + asset.sha256 + ".png";
        asset.format = "png";
        asset.width = 64;
        asset.height = 64;
        asset.generation.prompt = "lighthouse " + std::to_string(firstSeed + i);
        REQUIRE(library.catalog().addAsset(asset));
    }
}

std::int64_t assetCount(const fs::path& root) {
    auto library = Library::open(root);
    REQUIRE(library);
    auto count = (*library)->catalog().count({});
    REQUIRE(count);
    return *count;
}

// Overwrites the middle of every page after the first: what a failing disk does.
void damagePages(const fs::path& catalog) {
    const auto size = fs::file_size(catalog);
    std::fstream file(catalog, std::ios::in | std::ios::out | std::ios::binary);
    for (std::uintmax_t page = 1; page < size / 4096; ++page) {
        file.seekp(static_cast<std::streamoff>(page * 4096 + 1000));
        file.write(std::string(64, 'Z').data(), 64);
    }
}

CatalogStartupCheck::Depth depthOfNextOpen(const fs::path& root) {
    auto library = CatalogBackup::openChecked(root);
    REQUIRE(library);
    REQUIRE((*library)->startupCheck());
    INFO((*library)->startupCheck()->reason);
    return (*library)->startupCheck()->depth;
}

JobId queueOneJob(Library& library) {
    GenerationRequest request;
    request.provider = "openai";
    request.model = "gpt-image-1";
    request.prompt = "a kettle";
    Estimate estimate;
    estimate.amount = 40'000;
    estimate.usdMicros = 40'000;
    auto ids = JobStore(library).enqueue(request, {}, estimate);
    REQUIRE(ids);
    return ids->front();
}

// A library that passed its start-up check and closed cleanly, holding `assets` images and
// a backup of them.
fs::path checkedLibraryWithBackup(const test::TempDir& temp, int assets) {
    const fs::path root = temp / "library";
    {
        auto library = CatalogBackup::openChecked(root);
        REQUIRE(library);
        addImages(**library, assets, 0);
    }
    REQUIRE(CatalogBackup::take(root));
    return root;
}

// Another Ripen process with the library open, as the GUI or a queue run would have it: a
// child that opens it (as ripen-cli does, or without the check), commits a change or leaves
// its -wal empty, says it is ready and waits until it is killed or the test ends. The test
// process must have no library open when it starts one (a fork shares open descriptors).
class SessionInOtherProcess {
public:
    enum class Opens { Checked, Unchecked };
    enum class Then { Commits, WritesNothing };

    SessionInOtherProcess(const fs::path& root, Opens opens, Then then) {
        int ready[2];
        int hold[2];
        REQUIRE(::pipe(ready) == 0);
        REQUIRE(::pipe(hold) == 0);
        m_pid = ::fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            ::close(ready[0]);
            ::close(hold[1]);
            ::_exit(serve(root, opens, then, ready[1], hold[0]));
        }
        ::close(ready[1]);
        ::close(hold[0]);
        m_hold = hold[1];
        char ok = 0;
        const bool started = ::read(ready[0], &ok, 1) == 1 && ok == 'k';
        ::close(ready[0]);
        REQUIRE(started);
    }
    ~SessionInOtherProcess() { kill(); }
    SessionInOtherProcess(const SessionInOtherProcess&) = delete;
    SessionInOtherProcess& operator=(const SessionInOtherProcess&) = delete;

    pid_t pid() const { return m_pid; }

    // SIGKILL: no destructor runs, the kernel drops its locks.
    void kill() {
        if (m_pid <= 0) {
            return;
        }
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
        ::close(m_hold);
        m_pid = 0;
    }

private:
    static int serve(const fs::path& root, Opens opens, Then then, int ready, int hold) {
        auto library =
            opens == Opens::Checked ? CatalogBackup::openChecked(root) : Library::open(root);
        if (!library) {
            return 2;
        }
        if (then == Then::Commits) {
            Asset asset;
            asset.sha256 = std::string(64, 'e');
            asset.blobPath = "blobs/ee/" + asset.sha256 + ".png";
            asset.format = "png";
            asset.width = 64;
            asset.height = 64;
            if (!(*library)->catalog().addAsset(asset)) {
                return 3;
            }
        } else if (!(*library)->catalog().database().exec("PRAGMA wal_checkpoint(TRUNCATE)")) {
            return 4; // page 1 only in the file, so damage to it shows
        }
        const char ok = 'k';
        if (::write(ready, &ok, 1) != 1) {
            return 5;
        }
        char until = 0;
        (void)::read(hold, &until, 1); // returns when the test closes its end or ends
        ::_exit(0);                    // as a kill: no destructor runs
    }

    pid_t m_pid = 0;
    int m_hold = -1;
};

} // namespace

TEST_CASE("a backup is a verified copy, listed newest first, and old ones are pruned", "[backup]") {
    test::TempDir temp;
    const fs::path root = temp / "library";
    {
        auto library = Library::open(root);
        REQUIRE(library);
        addImages(**library, 5, 0);
    }
    auto first = CatalogBackup::take(root);
    REQUIRE(first);
    CHECK(first->file.parent_path() == root / "backups");
    CHECK(first->bytes > 0);
    {
        auto library = Library::open(root);
        addImages(**library, 3, 10);
    }
    for (std::size_t i = 0; i < CatalogBackup::kKept + 2; ++i) {
        REQUIRE(CatalogBackup::take(root));
    }
    const auto backups = CatalogBackup::list(root);
    REQUIRE(backups.size() == CatalogBackup::kKept);
    CHECK_FALSE(fs::exists(first->file)); // the oldest went first
    // No temporary copies are left beside the backups.
    for (const auto& entry : fs::directory_iterator(root / "backups")) {
        CHECK(entry.path().extension() == ".sqlite");
    }
    // The newest backup holds everything, as a library of its own would.
    const fs::path copy = temp / "copy";
    fs::create_directories(copy);
    fs::copy_file(backups.front().file, copy / "catalog.sqlite");
    CHECK(assetCount(copy) == 8);

    auto notDue = CatalogBackup::takeIfDue(root, 60'000);
    REQUIRE(notDue);
    CHECK_FALSE(notDue->has_value());
}

TEST_CASE("a damaged catalog is found, not backed up, and restored from the newest backup",
          "[backup]") {
    test::TempDir temp;
    const fs::path root = temp / "library";
    JobId queued = 0;
    {
        auto library = Library::open(root);
        REQUIRE(library);
        addImages(**library, 40, 0);
        queued = queueOneJob(**library);
    }
    REQUIRE(CatalogBackup::take(root));
    damagePages(root / "catalog.sqlite");

    const auto healthy = CatalogBackup::checkCatalog(root);
    REQUIRE_FALSE(healthy);
    CHECK(healthy.error().code == ErrorCode::Corrupt);
    CHECK(healthy.error().message.find("ripen-cli catalog restore") != std::string::npos);
    CHECK(healthy.error().message.find("backups/catalog-") != std::string::npos);

    // A damaged catalog never becomes a backup that could push out a good one.
    const auto before = CatalogBackup::list(root).size();
    CHECK_FALSE(CatalogBackup::take(root));
    CHECK(CatalogBackup::list(root).size() == before);

    auto damaged = CatalogBackup::restore(root, CatalogBackup::list(root).front().file);
    REQUIRE(damaged);
    CHECK(fs::exists(*damaged)); // kept for recovery by hand, never deleted
    CHECK(CatalogBackup::checkCatalog(root));
    CHECK(assetCount(root) == 40);

    // The queued job may have been sent after the backup was taken: it waits for the user.
    auto library = Library::open(root);
    REQUIRE(library);
    auto job = JobStore(**library).job(queued);
    REQUIRE(job);
    CHECK(job->state == JobState::Interrupted);
    CHECK(job->error.find("restored from a backup") != std::string::npos);
}

TEST_CASE("a damaged backup is refused and the live catalog stays", "[backup]") {
    test::TempDir temp;
    const fs::path root = temp / "library";
    {
        auto library = Library::open(root);
        REQUIRE(library);
        addImages(**library, 40, 0);
    }
    auto backup = CatalogBackup::take(root);
    REQUIRE(backup);
    damagePages(backup->file);
    auto restored = CatalogBackup::restore(root, backup->file);
    REQUIRE_FALSE(restored);
    CHECK(restored.error().message.find("cannot be restored") != std::string::npos);
    CHECK(assetCount(root) == 40);
}

TEST_CASE("an untouched library opens without the full scan; a changed one gets it",
          "[backup][startup]") {
    using Depth = CatalogStartupCheck::Depth;
    test::TempDir temp;
    const fs::path root = temp / "library";
    {
        auto library = CatalogBackup::openChecked(root);
        REQUIRE(library);
        CHECK((*library)->startupCheck()->depth == Depth::Full); // nothing on record yet
        CHECK((*library)->startupCheck()->reason.find("no clean close") != std::string::npos);
        addImages(**library, 20, 0);
    }
    CHECK(fs::exists(CleanCloseRecord::file(root)));
    CHECK(depthOfNextOpen(root) == Depth::Light);
    CHECK(depthOfNextOpen(root) == Depth::Light); // a read-only session keeps it so

    SECTION("a write by another program while closed") {
        const std::string bytes = [&] {
            std::ifstream in(root / "catalog.sqlite", std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), {});
        }();
        std::ofstream(root / "catalog.sqlite", std::ios::binary) << bytes; // same bytes
        const auto plan = CatalogStartupCheck::plan(root);
        CHECK(plan.depth == Depth::Full);
        CHECK(plan.reason.find("changed since Ripen closed it") != std::string::npos);
        CHECK(depthOfNextOpen(root) == Depth::Full);
        CHECK(depthOfNextOpen(root) == Depth::Light);
    }
    SECTION("a week since the last full check") {
        const std::int64_t longAgo = unixMillis() - CatalogStartupCheck::kFullCheckEveryMs - 1;
        REQUIRE(CleanCloseRecord::write(root, longAgo));
        CHECK(CatalogStartupCheck::plan(root).reason.find("last full check") != std::string::npos);
        CHECK(depthOfNextOpen(root) == Depth::Full);
        CHECK(depthOfNextOpen(root) == Depth::Light);
    }
    SECTION("a library opened without the check records nothing") {
        CleanCloseRecord::remove(root);
        REQUIRE(Library::open(root));
        CHECK_FALSE(fs::exists(CleanCloseRecord::file(root)));
    }
}

TEST_CASE("a library damaged while closed is refused with the backup to restore",
          "[backup][startup]") {
    test::TempDir temp;
    const fs::path root = checkedLibraryWithBackup(temp, 40);
    REQUIRE(CatalogStartupCheck::plan(root).depth == CatalogStartupCheck::Depth::Light);
    test::damagePageHeaders(root / "catalog.sqlite");

    auto refused = CatalogBackup::openChecked(root);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::Corrupt);
    CHECK(refused.error().message.find("ripen-cli catalog restore") != std::string::npos);
    CHECK(refused.error().message.find("backups/catalog-") != std::string::npos);
    CHECK_FALSE(CatalogBackup::openChecked(root)); // a refusal records no clean close

    auto restored = CatalogBackup::restoreNewest(root);
    REQUIRE(restored);
    CHECK(fs::exists(restored->keptAs));
    CHECK(restored->backup.takenAtMs > 0);
    // The restored file is not the one Ripen closed: it gets the full check once.
    CHECK(depthOfNextOpen(root) == CatalogStartupCheck::Depth::Full);
    CHECK(assetCount(root) == 40);
}

TEST_CASE("a library whose last session did not close gets the full check", "[backup][startup]") {
    test::TempDir temp;
    const fs::path root = temp / "library";
    REQUIRE(CatalogBackup::openChecked(root));
    REQUIRE(CatalogStartupCheck::plan(root).depth == CatalogStartupCheck::Depth::Light);

    // A session killed after a commit: its changes are in the -wal, nothing was closed.
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        auto library = CatalogBackup::openChecked(root);
        if (!library) {
            ::_exit(2);
        }
        Asset asset;
        asset.sha256 = std::string(64, 'c');
        asset.blobPath = "blobs/cc/" + asset.sha256 + ".png";
        asset.format = "png";
        asset.width = 64;
        asset.height = 64;
        ::_exit((*library)->catalog().addAsset(asset) ? 0 : 1); // no destructor runs
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);

    const auto plan = CatalogStartupCheck::plan(root);
    CHECK(plan.depth == CatalogStartupCheck::Depth::Full);
    CHECK(plan.reason.find("-wal") != std::string::npos);
    CHECK(depthOfNextOpen(root) == CatalogStartupCheck::Depth::Full);
    CHECK(assetCount(root) == 1); // the committed change survived
    CHECK(depthOfNextOpen(root) == CatalogStartupCheck::Depth::Light);
}

TEST_CASE("a command beside a live session gets the light check, and the full one once the "
          "session is killed",
          "[backup][startup][live]") {
    using Depth = CatalogStartupCheck::Depth;
    test::TempDir temp;
    const fs::path root = checkedLibraryWithBackup(temp, 5);
    SessionInOtherProcess gui(root, SessionInOtherProcess::Opens::Checked,
                              SessionInOtherProcess::Then::Commits);
    REQUIRE(fs::file_size(root / "catalog.sqlite-wal") > 0); // what forced the full check

    const auto plan = CatalogStartupCheck::plan(root);
    INFO(plan.reason);
    CHECK(plan.depth == Depth::Light);
    CHECK(plan.reason.starts_with("a live session"));
    CHECK(plan.reason.find("pid " + std::to_string(gui.pid())) != std::string::npos);
    {
        auto library = CatalogBackup::openChecked(root);
        REQUIRE(library);
        CHECK((*library)->startupCheck()->depth == Depth::Light);
        auto count = (*library)->catalog().count({});
        REQUIRE(count);
        CHECK(*count == 6); // the live session's commit is there
    }
    CHECK(depthOfNextOpen(root) == Depth::Light); // closing beside it changed nothing

    // A restore would rename the catalog from under the session: refused while it lives.
    auto refused = CatalogBackup::restoreNewest(root);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::Busy);
    CHECK(refused.error().message.find("close it first") != std::string::npos);

    gui.kill(); // its commit is in the -wal, and nobody holds the library now
    const auto afterKill = CatalogStartupCheck::plan(root);
    CHECK(afterKill.depth == Depth::Full);
    CHECK(afterKill.reason.find("-wal") != std::string::npos);
    CHECK(depthOfNextOpen(root) == Depth::Full);
    CHECK(depthOfNextOpen(root) == Depth::Light); // a clean close again
    CHECK(assetCount(root) == 6);
    CHECK(CatalogBackup::restoreNewest(root)); // nobody has it open now
}

TEST_CASE("a live session vouches for its changes only after a passed check, for the file it "
          "checked, within the week",
          "[backup][startup][live]") {
    using Depth = CatalogStartupCheck::Depth;
    using Session = SessionInOtherProcess;
    test::TempDir temp;
    const fs::path root = checkedLibraryWithBackup(temp, 5);

    SECTION("a process that opened without the check") {
        Session other(root, Session::Opens::Unchecked, Session::Then::Commits);
        const auto plan = CatalogStartupCheck::plan(root);
        CHECK(plan.depth == Depth::Full);
        CHECK(plan.reason.find("-wal") != std::string::npos);
    }
    SECTION("a catalog replaced by another program while the session lives") {
        Session gui(root, Session::Opens::Checked, Session::Then::WritesNothing);
        fs::copy_file(root / "catalog.sqlite", temp / "copy.sqlite");
        fs::rename(temp / "copy.sqlite", root / "catalog.sqlite");
        const auto plan = CatalogStartupCheck::plan(root);
        CHECK(plan.depth == Depth::Full);
        CHECK(plan.reason.find("replaced while") != std::string::npos);
    }
    SECTION("a session whose last full check is a week old") {
        // The session opens with the light check on a record 2 s short of a week old.
        constexpr std::int64_t kMarginMs = 2000;
        REQUIRE(CleanCloseRecord::write(
            root, unixMillis() - CatalogStartupCheck::kFullCheckEveryMs + kMarginMs));
        Session gui(root, Session::Opens::Checked, Session::Then::Commits);
        std::this_thread::sleep_for(std::chrono::milliseconds(kMarginMs + 500));
        const auto plan = CatalogStartupCheck::plan(root);
        CHECK(plan.depth == Depth::Full);
        CHECK(plan.reason.find("last full check") != std::string::npos);
        CHECK(depthOfNextOpen(root) == Depth::Full);
        // That full check is on record for the others while the session lives.
        CHECK(depthOfNextOpen(root) == Depth::Light);
    }
}

TEST_CASE("a library damaged while a session is live is refused, and restored once it ends",
          "[backup][startup][live]") {
    test::TempDir temp;
    const fs::path root = checkedLibraryWithBackup(temp, 40);
    SessionInOtherProcess gui(root, SessionInOtherProcess::Opens::Checked,
                              SessionInOtherProcess::Then::WritesNothing);
    {
        // Another program scribbles over the header while the GUI runs: the light check
        // the live session earns still reads it.
        std::fstream file(root / "catalog.sqlite", std::ios::in | std::ios::out | std::ios::binary);
        file.write("not a catalog!!", 15);
    }
    REQUIRE(CatalogStartupCheck::plan(root).depth == CatalogStartupCheck::Depth::Light);
    auto refused = CatalogBackup::openChecked(root);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::Corrupt);
    CHECK(refused.error().message.find("ripen-cli catalog restore") != std::string::npos);
    auto busy = CatalogBackup::restoreNewest(root);
    REQUIRE_FALSE(busy);
    CHECK(busy.error().code == ErrorCode::Busy);

    gui.kill();
    CHECK_FALSE(CatalogBackup::openChecked(root));
    auto restored = CatalogBackup::restoreNewest(root);
    REQUIRE(restored);
    CHECK(depthOfNextOpen(root) == CatalogStartupCheck::Depth::Full);
    CHECK(assetCount(root) == 40);
}

TEST_CASE("an opener waits while a restore holds the library", "[backup][startup][live]") {
    test::TempDir temp;
    const fs::path root = temp / "library";
    REQUIRE(Library::open(root));
    {
        auto open = Library::open(root);
        REQUIRE(open);
        auto refused = LiveSessionLock::exclusive(root); // this process counts too
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::Busy);
    }
    auto restoring = LiveSessionLock::exclusive(root);
    REQUIRE(restoring);
    std::atomic<bool> released = false;
    std::thread restore([&released, held = std::move(*restoring)]() mutable {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        released = true;
        [[maybe_unused]] const auto done = std::move(held); // unlocks here
    });
    auto library = Library::open(root);
    CHECK(released); // it waited for the restore
    CHECK(library);
    restore.join();
}
