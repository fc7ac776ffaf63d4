// bench_import: Ripen's import pipeline against the thumbnail anchor of PERFORMANCE.md §2
// (`thumb_cv 1 reduced4`, 240 img/s), both measured in this process, in this run, on the
// same cached corpus. Runs alternate anchor/Ripen so a burst of load from another process
// hits both sides alike.

#include "BenchCommon.h"
#include "CommandLine.h"
#include "JpegCorpus.h"
#include "ResultTable.h"

#include "catalog/Importer.h"
#include "catalog/Library.h"
#include "common/FileIo.h"
#include "common/ProgressSink.h"
#include "common/Sha256.h"
#include "imaging/ImageDecoder.h"

#include <fcntl.h>
#include <unistd.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace rb = ripen::bench;

namespace {

// PERFORMANCE.md §2, `bin/thumb_cv 1 reduced4`: 300 files in 1.251 s, 240 img/s, 4.2 ms/img,
// 60 MiB peak RSS (whole process, hyperfine median including process start-up).
constexpr double kDocAnchorImgPerSec = 240.0;
constexpr double kDocAnchorMsPerImg = 4.2;
constexpr double kDocAnchorRssMiB = 60.0;
constexpr std::uint64_t kMaxRead = 64ULL << 20;

struct Phase {
    std::vector<double> seconds;
    std::int64_t peakKiB = 0;
};

// The anchor, re-implemented from its description: reduced 1/4 DCT decode, INTER_AREA to fit
// 256, JPEG q85 encode, and the bytes written out (the anchor tool wrote its thumbnails). One
// thread, as in the "1 thr" row.
double runAnchor(const std::vector<std::filesystem::path>& files,
                 const std::filesystem::path& outDir) {
    const int previousThreads = cv::getNumThreads();
    cv::setNumThreads(1);
    std::vector<uchar> encoded;
    const auto start = rb::Clock::now();
    for (const auto& file : files) {
        const cv::Mat image = cv::imread(file.string(), cv::IMREAD_REDUCED_COLOR_4);
        if (image.empty()) {
            throw std::runtime_error("anchor cannot read " + file.string());
        }
        cv::Mat thumb = image;
        const double scale = 256.0 / std::max(image.cols, image.rows);
        if (scale < 1.0) {
            cv::resize(image, thumb, cv::Size(), scale, scale, cv::INTER_AREA);
        }
        cv::imencode(".jpg", thumb, encoded, {cv::IMWRITE_JPEG_QUALITY, 85});
        std::ofstream(outDir / file.filename(), std::ios::binary)
            .write(reinterpret_cast<const char*>(encoded.data()),
                   static_cast<std::streamsize>(encoded.size()));
    }
    const double seconds = rb::secondsSince(start);
    cv::setNumThreads(previousThreads);
    return seconds;
}

// What the app does: a fresh library, then Importer::importPaths on the folder.
double runRipen(const std::filesystem::path& folder, int expected) {
    const auto scratch = rb::makeScratchDir("ripen-bench-import");
    double seconds = 0.0;
    {
        auto library = ripen::Library::open(scratch / "library");
        if (!library) {
            throw std::runtime_error("Library::open: " + library.error().message);
        }
        ripen::Importer importer(**library);
        ripen::NullProgress progress;
        std::string firstError;
        const std::vector<std::filesystem::path> roots{folder};
        const auto start = rb::Clock::now();
        const auto summary = importer.importPaths(
            roots, {},
            [&](const ripen::ImportOutcome& outcome) {
                if (!outcome.imported && firstError.empty()) {
                    firstError = outcome.displayPath + ": " + outcome.error.message;
                }
            },
            progress);
        seconds = rb::secondsSince(start);
        if (summary.imported != expected) {
            throw std::runtime_error("Ripen imported " + std::to_string(summary.imported) + " of " +
                                     std::to_string(expected) + " files; first skip: " + firstError);
        }
    }
    std::filesystem::remove_all(scratch);
    return seconds;
}

void warmPageCache(const std::vector<std::filesystem::path>& files) {
    std::vector<char> buffer(1 << 20);
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()))) {
        }
    }
}

struct Breakdown {
    double readMs = 0;
    double hashMs = 0;
    double decodeThumbMs = 0;
    double writeSyncMs = 0;
};

// One pass over the corpus timing the parts of an import that are not I/O commits, so the
// rest can be attributed to writes, fsyncs and SQLite. Informative only: one pass, no median.
Breakdown measureBreakdown(const std::vector<std::filesystem::path>& files) {
    Breakdown b;
    double read = 0, hash = 0, decode = 0;
    std::uintmax_t bytesSeen = 0;
    for (const auto& file : files) {
        auto start = rb::Clock::now();
        auto bytes = ripen::readFileBounded(file, kMaxRead);
        read += rb::secondsSince(start);
        if (!bytes) {
            throw std::runtime_error(bytes.error().message);
        }
        bytesSeen += bytes->size();
        start = rb::Clock::now();
        const std::string sha = ripen::Sha256::ofBytes(*bytes);
        hash += rb::secondsSince(start);
        start = rb::Clock::now();
        auto image = ripen::decodeImage(*bytes, {.reducedForThumbnailSide = 256});
        auto thumb = image ? ripen::makeThumbnailJpeg(*image) : std::unexpected(image.error());
        decode += rb::secondsSince(start);
        if (!thumb || sha.size() != 64) {
            throw std::runtime_error("decode failed: " + file.string());
        }
    }
    const double n = static_cast<double>(files.size());
    b.readMs = read / n * 1e3;
    b.hashMs = hash / n * 1e3;
    b.decodeThumbMs = decode / n * 1e3;
    // A sample of write + fsync of a file the corpus's average size: the blob store pays this
    // once per file, the thumbnail (smaller) once more, and each SQLite commit one or two more.
    const auto scratch = rb::makeScratchDir("ripen-bench-fsync");
    const std::string payload(static_cast<std::size_t>(bytesSeen / files.size()), 'x');
    std::vector<double> samples;
    for (int i = 0; i < 50; ++i) {
        const auto path = scratch / ("f" + std::to_string(i));
        const auto start = rb::Clock::now();
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const bool ok = fd >= 0 &&
                        ::write(fd, payload.data(), payload.size()) ==
                            static_cast<ssize_t>(payload.size()) &&
                        ::fsync(fd) == 0;
        if (fd >= 0) {
            ::close(fd);
        }
        if (!ok) {
            throw std::runtime_error("cannot write the fsync sample in " + scratch.string());
        }
        samples.push_back(rb::secondsSince(start));
    }
    std::filesystem::remove_all(scratch);
    b.writeSyncMs = rb::median(samples) * 1e3;
    return b;
}

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

int run(int argc, char** argv) {
    const rb::CommandLine args(argc, argv, {"--count", "--runs", "--seed"}, {"--quick"});
    const int count = static_cast<int>(args.number("--count", args.has("--quick") ? 200 : 1000));
    const int runs = static_cast<int>(args.number("--runs", 3));
    const auto seed = static_cast<std::uint64_t>(args.number("--seed", 42));

    std::cout << "## bench_import\n\nmachine: " << rb::machineDescription()
              << "; load average at start: " << loadAverage() << "\n";
    rb::JpegCorpus corpus(rb::cacheRoot() / ("jpg1k-seed" + std::to_string(seed) + "-n" +
                                             std::to_string(count)),
                          count, seed);
    const auto genStart = rb::Clock::now();
    const bool generated = corpus.ensure();
    const auto files = corpus.files();
    std::cout << "corpus: " << count << " x 1024x1024 JPEG q92 in " << corpus.folder().string()
              << ", average " << corpus.totalBytes() / count / 1024 << " KiB"
              << (generated ? " (generated in " + rb::formatFixed(rb::secondsSince(genStart), 1) +
                                  " s)"
                            : " (cached)")
              << "\n";
    warmPageCache(files);

    Phase anchor;
    Phase ripenPhase;
    const bool perPhaseRss = rb::resetPeakRss();
    const auto anchorOut = rb::makeScratchDir("ripen-bench-thumbs");
    for (int r = 0; r < runs; ++r) {
        rb::resetPeakRss();
        anchor.seconds.push_back(runAnchor(files, anchorOut));
        anchor.peakKiB = std::max(anchor.peakKiB, rb::peakRssKiB());
        rb::resetPeakRss();
        ripenPhase.seconds.push_back(runRipen(corpus.folder() / "images", count));
        ripenPhase.peakKiB = std::max(ripenPhase.peakKiB, rb::peakRssKiB());
        std::cout << "run " << r + 1 << "/" << runs << ": anchor "
                  << rb::formatFixed(anchor.seconds.back(), 3) << " s, Ripen "
                  << rb::formatFixed(ripenPhase.seconds.back(), 3) << " s\n";
    }
    std::filesystem::remove_all(anchorOut);

    const double anchorSec = rb::median(anchor.seconds);
    const double ripenSec = rb::median(ripenPhase.seconds);
    const double anchorRate = count / anchorSec;
    const double ripenRate = count / ripenSec;
    const double anchorMs = anchorSec / count * 1e3;
    const double ripenMs = ripenSec / count * 1e3;
    const double anchorRss = anchor.peakKiB / 1024.0;
    const double ripenRss = ripenPhase.peakKiB / 1024.0;

    rb::ResultTable table({"measure (median of " + std::to_string(runs) + " runs, " +
                               std::to_string(count) + " files, 1 thread)",
                           "Ripen import", "anchor (this run)", "anchor (PERFORMANCE.md)",
                           "ratio Ripen/anchor"});
    table.addRow({"images per second (higher is better)", rb::formatFixed(ripenRate, 1),
                  rb::formatFixed(anchorRate, 1), rb::formatFixed(kDocAnchorImgPerSec, 0),
                  rb::ratioText(ripenRate, anchorRate)});
    table.addRow({"ms per image (lower is better)", rb::formatFixed(ripenMs, 2),
                  rb::formatFixed(anchorMs, 2), rb::formatFixed(kDocAnchorMsPerImg, 1),
                  rb::ratioText(ripenMs, anchorMs)});
    table.addRow({std::string("peak RSS, MiB (") +
                      (perPhaseRss ? "per phase, same process" : "whole process so far") + ")",
                  rb::formatFixed(ripenRss, 0), rb::formatFixed(anchorRss, 0),
                  rb::formatFixed(kDocAnchorRssMiB, 0) + " (own process)",
                  rb::ratioText(ripenRss, anchorRss)});
    std::cout << "\nanchor = PERFORMANCE.md §2 `thumb_cv 1 reduced4` re-implemented in-process "
                 "(imread REDUCED_COLOR_4 + resize INTER_AREA + imencode q85 + write);\n"
                 "Ripen = Importer::importPaths into a fresh library (sniff, bounds, SHA-256, "
                 "decode, thumbnail, blob + thumbnail written with fsync, one catalog commit "
                 "per file).\nanchor this run vs PERFORMANCE.md: "
              << rb::ratioText(anchorRate, kDocAnchorImgPerSec) << " of the documented rate\n\n"
              << table.toMarkdown();

    const Breakdown b = measureBreakdown(files);
    const double rest = ripenMs - b.readMs - 2 * b.hashMs - b.decodeThumbMs;
    rb::ResultTable parts({"where Ripen's time goes (one pass, informative)", "ms per image",
                           "share"});
    const auto share = [&](double ms) { return rb::formatFixed(100.0 * ms / ripenMs, 0) + "%"; };
    parts.addRow({"read the file", rb::formatFixed(b.readMs, 2), share(b.readMs)});
    parts.addRow({"SHA-256 x2 (importer and blob store each hash)",
                  rb::formatFixed(2 * b.hashMs, 2), share(2 * b.hashMs)});
    parts.addRow({"decodeImage(reduced) + makeThumbnailJpeg", rb::formatFixed(b.decodeThumbMs, 2),
                  share(b.decodeThumbMs)});
    parts.addRow({"rest: header, metadata, blob/thumbnail writes + fsync, catalog commit",
                  rb::formatFixed(rest, 2), share(rest)});
    std::cout << "\n" << parts.toMarkdown() << "\nfor scale: write " << corpus.totalBytes() / count / 1024
              << " KiB + fsync on this disk, median of 50: " << rb::formatFixed(b.writeSyncMs, 2)
              << " ms\nprocess peak RSS (ru_maxrss, after the runs): "
              << rb::maxRssKiBRusage() / 1024 << " MiB; load average at end: " << loadAverage()
              << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "bench_import: " << e.what() << "\n";
        return 1;
    }
}
