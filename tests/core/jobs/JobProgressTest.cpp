// The sink the queue hands providers: what a tile loop reports reaches the catalog a few
// times a second at most, never backwards, and cancel follows the job's stop token.
#include "jobs/JobProgress.h"

#include "common/PartProgress.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

using namespace ripen;

TEST_CASE("Job progress passes on a tile loop's reports at most once per interval",
          "[jobs][progress]") {
    std::stop_source stop;
    std::vector<double> published;
    const auto interval = std::chrono::milliseconds(250);
    JobProgress progress(
        stop.get_token(),
        [&](double fraction, const std::string&) { published.push_back(fraction); }, interval);
    const auto start = std::chrono::steady_clock::now();
    for (int tile = 1; tile <= 5000; ++tile) {
        progress.report(tile, 5000, "upscaling tile by tile");
    }
    const auto took = std::chrono::steady_clock::now() - start;
    // The first report always goes out; after it, one per interval that passed.
    REQUIRE_FALSE(published.empty());
    CHECK(published.size() <= 1 + static_cast<std::size_t>(took / interval));
    CHECK(published.front() == Approx(1.0 / 5000));
}

TEST_CASE("Job progress never goes backwards and follows the stop token", "[jobs][progress]") {
    std::stop_source stop;
    std::vector<double> published;
    JobProgress progress(
        stop.get_token(),
        [&](double fraction, const std::string&) { published.push_back(fraction); },
        std::chrono::milliseconds(0));
    progress.report(3, 4, "pass 1");
    progress.report(1, 4, "a stray earlier report");
    progress.report(0, 0, "no total: ignored");
    REQUIRE(published.size() == 2);
    CHECK(published[0] == Approx(0.75));
    CHECK(published[1] == Approx(0.75));
    CHECK_FALSE(progress.cancelled());
    stop.request_stop();
    CHECK(progress.cancelled());
}

TEST_CASE("Passes report one rising fraction across their own tile counts", "[jobs][progress]") {
    std::stop_source stop;
    std::vector<double> published;
    JobProgress progress(
        stop.get_token(),
        [&](double fraction, const std::string&) { published.push_back(fraction); },
        std::chrono::milliseconds(0));
    for (int pass = 0; pass < 2; ++pass) {
        PartProgress part(progress, pass, 2);
        for (int tile = 1; tile <= 10; ++tile) {
            part.report(tile, 10, "tile");
        }
    }
    REQUIRE(published.size() == 20);
    CHECK(published[9] == Approx(0.5));
    CHECK(published.back() == Approx(1.0));
    CHECK(std::ranges::is_sorted(published));
    stop.request_stop();
    CHECK(PartProgress(progress, 0, 2).cancelled());
}
