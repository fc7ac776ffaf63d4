#include "JpegCorpus.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ripen::bench {
namespace {

constexpr int kSide = 1024;
constexpr int kQuality = 92;
// Bump when the content generator changes, so old cached corpora are not reused.
constexpr int kGeneratorVersion = 1;

cv::Scalar randomColour(cv::RNG& rng) {
    return cv::Scalar(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256));
}

// Background kinds, cycled like the anchor corpus's six kinds.
cv::Mat linearGradient(cv::RNG& rng) {
    cv::Mat image(kSide, kSide, CV_32FC3);
    const double angle = rng.uniform(0.0, 2 * CV_PI);
    const cv::Vec3f from(rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f));
    const cv::Vec3f to(rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f));
    const float dx = static_cast<float>(std::cos(angle)) / (kSide * 1.5f);
    const float dy = static_cast<float>(std::sin(angle)) / (kSide * 1.5f);
    for (int y = 0; y < kSide; ++y) {
        auto* row = image.ptr<cv::Vec3f>(y);
        for (int x = 0; x < kSide; ++x) {
            const float t = std::clamp(0.5f + (x - kSide / 2) * dx + (y - kSide / 2) * dy, 0.f, 1.f);
            row[x] = from * (1.f - t) + to * t;
        }
    }
    return image;
}

cv::Mat radialGradient(cv::RNG& rng) {
    cv::Mat image(kSide, kSide, CV_32FC3);
    const cv::Point2f centre(rng.uniform(0.f, 1.f * kSide), rng.uniform(0.f, 1.f * kSide));
    const cv::Vec3f inner(rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f));
    const cv::Vec3f outer(rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f), rng.uniform(0.f, 255.f));
    for (int y = 0; y < kSide; ++y) {
        auto* row = image.ptr<cv::Vec3f>(y);
        for (int x = 0; x < kSide; ++x) {
            const float d = std::hypot(x - centre.x, y - centre.y) / (kSide * 1.2f);
            const float t = std::min(d, 1.f);
            row[x] = inner * (1.f - t) + outer * t;
        }
    }
    return image;
}

// A sum of a few low-frequency waves per channel: smooth, plasma-like colour fields.
cv::Mat waveField(cv::RNG& rng) {
    cv::Mat image(kSide, kSide, CV_32FC3);
    float fx[3][3];
    float fy[3][3];
    float phase[3][3];
    for (int c = 0; c < 3; ++c) {
        for (int k = 0; k < 3; ++k) {
            fx[c][k] = rng.uniform(0.002f, 0.02f);
            fy[c][k] = rng.uniform(0.002f, 0.02f);
            phase[c][k] = rng.uniform(0.f, 6.28f);
        }
    }
    for (int y = 0; y < kSide; ++y) {
        auto* row = image.ptr<cv::Vec3f>(y);
        for (int x = 0; x < kSide; ++x) {
            for (int c = 0; c < 3; ++c) {
                float v = 0.f;
                for (int k = 0; k < 3; ++k) {
                    v += std::sin(x * fx[c][k] + y * fy[c][k] + phase[c][k]);
                }
                row[x][c] = 127.5f + 42.f * v;
            }
        }
    }
    return image;
}

// Coarse colour noise scaled up: soft blotches, like a blurred noise texture.
cv::Mat blurredNoise(cv::RNG& rng) {
    cv::Mat small(rng.uniform(12, 40), rng.uniform(12, 40), CV_32FC3);
    rng.fill(small, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(255));
    cv::Mat image;
    cv::resize(small, image, cv::Size(kSide, kSide), 0, 0, cv::INTER_CUBIC);
    return image;
}

void drawShapes(cv::Mat& image, cv::RNG& rng) {
    const int shapes = rng.uniform(8, 24);
    for (int s = 0; s < shapes; ++s) {
        const cv::Point centre(rng.uniform(0, kSide), rng.uniform(0, kSide));
        const int size = rng.uniform(20, 220);
        const int thickness = rng.uniform(0, 3) == 0 ? rng.uniform(2, 12) : cv::FILLED;
        switch (rng.uniform(0, 4)) {
        case 0:
            cv::circle(image, centre, size, randomColour(rng), thickness, cv::LINE_AA);
            break;
        case 1:
            cv::rectangle(image, centre, centre + cv::Point(size, size * 2 / 3),
                          randomColour(rng), thickness, cv::LINE_AA);
            break;
        case 2:
            cv::ellipse(image, centre, cv::Size(size, size / 2), rng.uniform(0.0, 180.0), 0, 360,
                        randomColour(rng), thickness, cv::LINE_AA);
            break;
        default:
            cv::line(image, centre, cv::Point(rng.uniform(0, kSide), rng.uniform(0, kSide)),
                     randomColour(rng), rng.uniform(2, 14), cv::LINE_AA);
            break;
        }
    }
}

void drawText(cv::Mat& image, cv::RNG& rng, int index) {
    const char* words[] = {"RIPEN", "render", "seed", "concept", "v2 final", "upscale", "draft"};
    const int lines = rng.uniform(1, 4);
    for (int l = 0; l < lines; ++l) {
        const std::string text = std::string(words[rng.uniform(0, 7)]) + " " +
                                 std::to_string(index * 7 + l);
        cv::putText(image, text, cv::Point(rng.uniform(0, kSide - 300), rng.uniform(60, kSide)),
                    cv::FONT_HERSHEY_SIMPLEX, rng.uniform(1.0, 3.0), randomColour(rng),
                    rng.uniform(2, 6), cv::LINE_AA);
    }
}

} // namespace

JpegCorpus::JpegCorpus(std::filesystem::path folder, int count, std::uint64_t seed)
    : m_folder(std::move(folder)), m_count(count), m_seed(seed) {}

std::string JpegCorpus::stampText() const {
    std::ostringstream out;
    out << "generator=" << kGeneratorVersion << " seed=" << m_seed << " count=" << m_count
        << " side=" << kSide << " quality=" << kQuality << "\n";
    return out.str();
}

bool JpegCorpus::ensure() {
    const auto stamp = m_folder / "corpus.stamp";
    {
        std::ifstream in(stamp);
        std::stringstream existing;
        existing << in.rdbuf();
        if (in && existing.str() == stampText()) {
            return false;
        }
    }
    std::filesystem::remove_all(m_folder);
    std::filesystem::create_directories(m_folder / "images");
    // Each image has its own RNG seeded by (seed, index), so parallel generation still gives
    // byte-identical files run after run.
    cv::parallel_for_(cv::Range(0, m_count), [this](const cv::Range& range) {
        for (int i = range.start; i < range.end; ++i) {
            generateOne(i);
        }
    });
    std::ofstream(stamp) << stampText();
    return true;
}

std::filesystem::path JpegCorpus::fileFor(int index) const {
    char name[32];
    std::snprintf(name, sizeof name, "img_%05d.jpg", index);
    return m_folder / "images" / name;
}

void JpegCorpus::generateOne(int index) const {
    cv::RNG rng(m_seed * 1'000'003ULL + static_cast<std::uint64_t>(index) + 1);
    cv::Mat field;
    switch (index % 4) {
    case 0: field = waveField(rng); break;
    case 1: field = linearGradient(rng); break;
    case 2: field = radialGradient(rng); break;
    default: field = blurredNoise(rng); break;
    }
    cv::Mat image;
    field.convertTo(image, CV_8UC3);
    drawShapes(image, rng);
    drawText(image, rng, index);
    // Grain: what makes a render cost ~2 bits per pixel at q92 instead of a fraction of that.
    cv::Mat grain(kSide, kSide, CV_16SC3);
    rng.fill(grain, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(5.0));
    cv::Mat noisy;
    cv::add(image, grain, noisy, cv::noArray(), CV_8UC3);
    if (!cv::imwrite(fileFor(index).string(), noisy, {cv::IMWRITE_JPEG_QUALITY, kQuality})) {
        throw std::runtime_error("cannot write " + fileFor(index).string());
    }
}

std::vector<std::filesystem::path> JpegCorpus::files() const {
    std::vector<std::filesystem::path> paths;
    for (int i = 0; i < m_count; ++i) {
        paths.push_back(fileFor(i));
    }
    return paths;
}

std::uintmax_t JpegCorpus::totalBytes() const {
    std::uintmax_t total = 0;
    for (const auto& path : files()) {
        total += std::filesystem::file_size(path);
    }
    return total;
}

} // namespace ripen::bench
