// bench_open_check: what the start-up integrity check (RELIABILITY.md D6,
// CatalogStartupCheck) costs every ripen-cli command and every GUI start on a big library,
// against opening the library without it: the full check (PRAGMA quick_check on its own
// read-only connection), run when no clean close is on record, and the light check (header
// and schema) after a clean close. Warm: the catalog file in the page cache, as for
// back-to-back CLI commands. Cold: the file evicted first (posix_fadvise DONTNEED), as
// after a reboot. Target (RELIABILITY.md D6): quick_check <= 1 s on a 200 MB catalog.

#include "BenchCommon.h"
#include "CommandLine.h"
#include "SyntheticAssets.h"
#include "catalog/CatalogBackup.h"
#include "catalog/Library.h"
#include "catalog/internal/CleanCloseRecord.h"

#include <algorithm>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

namespace rb = ripen::bench;
using ripen::bench::orThrow;

namespace {

constexpr int kGeneratorVersion = 1;

std::string readText(const std::filesystem::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Builds (or reuses) a library of `assets` synthetic rows and returns its root. Setup, not
// a measurement: built with synchronous=OFF.
std::filesystem::path ensureLibrary(std::int64_t assets, std::uint64_t seed) {
    const auto root = rb::cacheRoot() /
                      ("open-check-n" + std::to_string(assets) + "-seed" + std::to_string(seed)) /
                      "library";
    const auto stamp = root.parent_path() / "library.stamp";
    const std::string expected = "generator=" + std::to_string(kGeneratorVersion) + "\n";
    if (std::filesystem::exists(stamp) && readText(stamp) == expected) {
        std::cout << "library: " << assets << " assets, cached in " << root.string() << "\n";
        return root;
    }
    std::filesystem::remove_all(root.parent_path());
    auto library = orThrow(ripen::Library::open(root), "Library::open " + root.string());
    auto& db = library->catalog().database();
    orThrow(db.exec("PRAGMA synchronous = OFF"), "synchronous=OFF");
    const rb::SyntheticAssets source(seed);
    const auto start = rb::Clock::now();
    for (std::int64_t i = 0; i < assets; ++i) {
        orThrow(library->catalog().addAsset(source.make(i)), "addAsset " + std::to_string(i));
    }
    orThrow(db.exec("PRAGMA wal_checkpoint(TRUNCATE)"), "checkpoint");
    std::ofstream(stamp) << expected;
    std::cout << "library: built " << assets << " assets in "
              << rb::formatFixed(rb::secondsSince(start), 1) << " s (setup)\n";
    return root;
}

void evict(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
}

// Another process with the library open, as the GUI has it while ripen-cli commands run:
// it opens the library (with the start-up check, as ripen does, or without it), commits a
// change that leaves the rows as they were, so that its -wal has content, and keeps the
// library open until the bench ends it.
class SessionInOtherProcess {
public:
    SessionInOtherProcess(const std::filesystem::path& root, bool checked) {
        int ready[2];
        int hold[2];
        if (::pipe(ready) != 0 || ::pipe(hold) != 0) {
            throw std::runtime_error("pipe");
        }
        m_pid = ::fork();
        if (m_pid < 0) {
            throw std::runtime_error("fork");
        }
        if (m_pid == 0) {
            ::close(ready[0]);
            ::close(hold[1]);
            ::_exit(serve(root, checked, ready[1], hold[0]));
        }
        ::close(ready[1]);
        ::close(hold[0]);
        m_hold = hold[1];
        char ok = 0;
        const bool started = ::read(ready[0], &ok, 1) == 1;
        ::close(ready[0]);
        if (!started) {
            throw std::runtime_error("the session in another process did not start");
        }
    }
    ~SessionInOtherProcess() {
        ::close(m_hold); // it closes the library and exits
        ::waitpid(m_pid, nullptr, 0);
    }
    SessionInOtherProcess(const SessionInOtherProcess&) = delete;
    SessionInOtherProcess& operator=(const SessionInOtherProcess&) = delete;

private:
    static int serve(const std::filesystem::path& root, bool checked, int ready, int hold) {
        auto library =
            checked ? ripen::CatalogBackup::openChecked(root) : ripen::Library::open(root);
        if (!library ||
            !(*library)->catalog().database().exec("BEGIN; CREATE TABLE bench_live_session(x); "
                                                   "DROP TABLE bench_live_session; COMMIT")) {
            return 2;
        }
        const char ok = 'k';
        char until = 0;
        if (::write(ready, &ok, 1) != 1) {
            return 3;
        }
        (void)::read(hold, &until, 1);
        return 0;
    }

    pid_t m_pid = -1;
    int m_hold = -1;
};

void report(const std::string& what, int runs, const std::function<void()>& before,
            const std::function<void()>& call) {
    std::vector<double> samples;
    for (int r = 0; r < runs; ++r) {
        before();
        const auto start = rb::Clock::now();
        call();
        samples.push_back(rb::secondsSince(start));
    }
    std::sort(samples.begin(), samples.end());
    std::cout << "| " << what << " | " << rb::formatDuration(rb::median(samples)) << " | "
              << rb::formatDuration(samples.front()) << " | " << rb::formatDuration(samples.back())
              << " |\n";
}

int run(int argc, char** argv) {
    const rb::CommandLine args(argc, argv, {"--assets", "--runs", "--seed"}, {"--quick"});
    const std::int64_t assets = args.number("--assets", args.has("--quick") ? 20'000 : 100'000);
    const int runs = static_cast<int>(args.number("--runs", 7));
    const auto seed = static_cast<std::uint64_t>(args.number("--seed", 42));
    std::cout << "## bench_open_check\n\nmachine: " << rb::machineDescription()
              << "; load average at start: " << readText("/proc/loadavg");
    const auto root = ensureLibrary(assets, seed);
    const auto catalogFile = root / "catalog.sqlite";
    std::cout << "catalog: "
              << rb::formatFixed(std::filesystem::file_size(catalogFile) / 1048576.0, 1) << " MiB, "
              << runs << " runs each\n\n"
              << "| step | median | min | max |\n|---|---|---|---|\n";
    const auto nothing = [] {
    };
    // No clean close on record: the full check, as after a crash or an outside change.
    const auto forgetCleanClose = [&] {
        ripen::CleanCloseRecord::remove(root);
    };
    const auto check = [&] {
        const auto ran = orThrow(ripen::CatalogBackup::checkAtStartup(root), "checkAtStartup");
        if (ran.depth != ripen::CatalogStartupCheck::Depth::Full) {
            throw std::runtime_error("expected the full check: " + ran.reason);
        }
    };
    const auto open = [&] {
        orThrow(ripen::Library::open(root), "Library::open");
    };
    // Each call opens, checks and closes (recording the clean close), as a CLI command.
    const auto openChecked = [&](ripen::CatalogStartupCheck::Depth expected) {
        return [&root, expected] {
            auto library = orThrow(ripen::CatalogBackup::openChecked(root), "openChecked");
            if (library->startupCheck()->depth != expected) {
                throw std::runtime_error("unexpected check: " + library->startupCheck()->reason);
            }
        };
    };
    report("quick_check (full check), warm", runs, forgetCleanClose, check);
    report(
        "quick_check (full check), cold", runs,
        [&] {
            forgetCleanClose();
            evict(catalogFile);
        },
        check);
    report("Library::open without the check, warm", runs, nothing, open);
    report("openChecked + close, full check (no clean close on record), warm", runs,
           forgetCleanClose, openChecked(ripen::CatalogStartupCheck::Depth::Full));
    orThrow(ripen::CatalogBackup::openChecked(root), "openChecked"); // a clean close on record
    report("openChecked + close, light check (after a clean close), warm", runs, nothing,
           openChecked(ripen::CatalogStartupCheck::Depth::Light));
    report(
        "openChecked + close, light check (after a clean close), cold", runs,
        [&] { evict(catalogFile); }, openChecked(ripen::CatalogStartupCheck::Depth::Light));
    {
        // Nothing vouches for the -wal of a session that skipped the check: the full check,
        // as every ripen-cli command beside the GUI got before catalog.sqlite.live.
        const SessionInOtherProcess unchecked(root, false);
        report("openChecked + close beside a live session without its check (full), warm", runs,
               nothing, openChecked(ripen::CatalogStartupCheck::Depth::Full));
    }
    {
        const SessionInOtherProcess gui(root, true);
        report("openChecked + close beside a live session (light), warm", runs, nothing,
               openChecked(ripen::CatalogStartupCheck::Depth::Light));
    }
    std::cout << "\nload average at end: " << readText("/proc/loadavg");
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "bench_open_check: " << e.what() << "\n";
        return 1;
    }
}
