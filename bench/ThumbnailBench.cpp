// bench_thumbnails: Ripen's thumbnail path against vipsthumbnail (libvips-tools), on the
// same 1,000 generated 1024x1024 JPEGs (JpegCorpus) and the same cores, in one run.
//   - Ripen: what an import does for a thumbnail: read the file (bounded), decodeImage with
//     the reduced-size JPEG decode, makeThumbnailJpeg (256 px, quality 85), write the JPEG;
//     one worker thread per core, each taking the next file.
//   - vipsthumbnail -s 256 -o 'OUT/%s.jpg[Q=85]', one process per core (VIPS_CONCURRENCY=1)
//     over an equal share of the files, as PERFORMANCE.md §2 ran it.
// Both write plain files without fsync. Prints images per second for each and their ratio;
// medians over --runs. Target (issue 4): at least as fast as vipsthumbnail (ratio >= 1).

#include "BenchCommon.h"
#include "CommandLine.h"
#include "JpegCorpus.h"
#include "ResultTable.h"
#include "common/FileIo.h"
#include "imaging/ImageDecoder.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

namespace {

namespace rb = ripen::bench;

constexpr std::uint64_t kMaxRead = 64ull << 20;

std::size_t filesIn(const std::filesystem::path& folder) {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        count += entry.is_regular_file() ? 1 : 0;
    }
    return count;
}

// Seconds for Ripen's path over `files` with `threads` workers, thumbnails into `out`.
double ripenThumbnails(const std::vector<std::filesystem::path>& files, int threads,
                       const std::filesystem::path& out) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::string firstError;
    std::mutex errorMutex;
    const auto start = rb::Clock::now();
    {
        std::vector<std::jthread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&] {
                for (std::size_t i = next++; i < files.size(); i = next++) {
                    auto bytes = ripen::readFileBounded(files[i], kMaxRead);
                    auto image = bytes
                                     ? ripen::decodeImage(*bytes, {.reducedForThumbnailSide = 256})
                                     : std::unexpected(bytes.error());
                    auto thumb = image ? ripen::makeThumbnailJpeg(*image, 256, 85)
                                       : std::unexpected(image.error());
                    if (!thumb) {
                        std::lock_guard lock(errorMutex);
                        firstError = files[i].string() + ": " + thumb.error().message;
                        failed = true;
                        return;
                    }
                    std::ofstream(out / files[i].filename(), std::ios::binary)
                        .write(thumb->data(), static_cast<std::streamsize>(thumb->size()));
                }
            });
        }
    }
    const double seconds = rb::secondsSince(start);
    if (failed) {
        throw std::runtime_error("Ripen's thumbnail failed: " + firstError);
    }
    return seconds;
}

// Seconds for `processes` vipsthumbnail processes over equal shares of `files`.
double vipsThumbnails(const std::vector<std::filesystem::path>& files, int processes,
                      const std::filesystem::path& out) {
    const auto list = out.parent_path() / (out.filename().string() + ".list");
    {
        std::ofstream names(list);
        for (const auto& file : files) {
            names << file.string() << "\n";
        }
    }
    const std::size_t share = (files.size() + static_cast<std::size_t>(processes) - 1) /
                              static_cast<std::size_t>(processes);
    const std::string command = "VIPS_CONCURRENCY=1 xargs -P " + std::to_string(processes) +
                                " -n " + std::to_string(share) + " -a '" + list.string() +
                                "' vipsthumbnail -s 256 -o '" + out.string() + "/%s.jpg[Q=85]'";
    const auto start = rb::Clock::now();
    const int status = std::system(command.c_str());
    const double seconds = rb::secondsSince(start);
    if (status != 0) {
        throw std::runtime_error("vipsthumbnail failed (" + std::to_string(status) +
                                 "); is libvips-tools installed? (scripts/setup.sh)");
    }
    return seconds;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const rb::CommandLine args(argc, argv, {"--files", "--runs", "--threads"}, {"--quick"});
        const bool quick = args.has("--quick");
        const int count = static_cast<int>(args.number("--files", quick ? 200 : 1000));
        const int runs = static_cast<int>(args.number("--runs", quick ? 2 : 3));
        const int threads = static_cast<int>(
            args.number("--threads", std::max(1u, std::thread::hardware_concurrency())));

        // The same corpus (and cache folder) as bench_import's.
        rb::JpegCorpus corpus(rb::cacheRoot() / ("jpg1k-seed42-n" + std::to_string(count)), count,
                              42);
        corpus.ensure();
        const auto files = corpus.files();
        const auto scratch = rb::makeScratchDir("ripen-bench-thumbnails");

        std::vector<double> ripenRates, vipsRates, ratios;
        for (int run = 0; run < runs; ++run) {
            // Alternate the order so neither always runs on the warmer cache.
            const auto ripenOut = scratch / ("ripen-" + std::to_string(run));
            const auto vipsOut = scratch / ("vips-" + std::to_string(run));
            std::filesystem::create_directories(ripenOut);
            std::filesystem::create_directories(vipsOut);
            double ripenSeconds = 0;
            double vipsSeconds = 0;
            if (run % 2 == 0) {
                ripenSeconds = ripenThumbnails(files, threads, ripenOut);
                vipsSeconds = vipsThumbnails(files, threads, vipsOut);
            } else {
                vipsSeconds = vipsThumbnails(files, threads, vipsOut);
                ripenSeconds = ripenThumbnails(files, threads, ripenOut);
            }
            if (filesIn(ripenOut) != files.size() || filesIn(vipsOut) != files.size()) {
                throw std::runtime_error("a tool did not write one thumbnail per file");
            }
            const double n = static_cast<double>(files.size());
            ripenRates.push_back(n / ripenSeconds);
            vipsRates.push_back(n / vipsSeconds);
            ratios.push_back(vipsSeconds / ripenSeconds);
        }
        std::filesystem::remove_all(scratch);

        std::cout << "## Thumbnails (" << count << " x 1024x1024 JPEG -> 256 px JPEG q85, "
                  << threads << " threads / processes, median of " << runs << " runs)\n\n";
        rb::ResultTable table({"tool", "images/s", "ms per image per core"});
        const auto perImage = [threads](double rate) {
            return rb::formatFixed(1000.0 * threads / rate, 2);
        };
        table.addRow({"Ripen (readFileBounded + decodeImage reduced + makeThumbnailJpeg)",
                      rb::formatFixed(rb::median(ripenRates), 0),
                      perImage(rb::median(ripenRates))});
        table.addRow({"vipsthumbnail -s 256 (VIPS_CONCURRENCY=1, one process per core)",
                      rb::formatFixed(rb::median(vipsRates), 0), perImage(rb::median(vipsRates))});
        std::cout << table.toMarkdown() << "\nRipen / vipsthumbnail speed ratio: "
                  << rb::formatFixed(rb::median(ratios), 2) << "x (target >= 1)\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_thumbnails: " << e.what() << "\n";
        return 1;
    }
}
