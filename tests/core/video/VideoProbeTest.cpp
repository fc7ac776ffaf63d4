#include "video/VideoProbe.h"

#include "imaging/ImageDecoder.h"
#include "imaging/MediaFormat.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <optional>
#include <sys/stat.h>

using namespace ripen;

namespace {

constexpr int kWidth = 160;
constexpr int kHeight = 120;
constexpr int kFrames = 40;
constexpr double kFps = 10.0;

// A solid colour per frame, so the first frame is easy to recognise after decoding.
cv::Mat frameAt(int index) {
    return cv::Mat(kHeight, kWidth, CV_8UC3, cv::Scalar(40, 180, index < 1 ? 220 : 20));
}

// Writes a 4-second clip with OpenCV's FFmpeg backend; nullopt (with a warning) when this
// OpenCV build cannot write the codec.
std::optional<std::filesystem::path> writeClip(const test::TempDir& dir, const std::string& name,
                                               int fourcc) {
    const std::filesystem::path path = dir / name;
    cv::VideoWriter writer(path.string(), cv::CAP_FFMPEG, fourcc, kFps, {kWidth, kHeight});
    if (!writer.isOpened()) {
        WARN("cv::VideoWriter cannot write " << name << "; skipping");
        return std::nullopt;
    }
    for (int i = 0; i < kFrames; ++i) {
        writer.write(frameAt(i));
    }
    writer.release();
    return path;
}

int mp4v() {
    return cv::VideoWriter::fourcc('m', 'p', '4', 'v');
}
int vp80() {
    return cv::VideoWriter::fourcc('V', 'P', '8', '0');
}

VideoInfo probed(const std::filesystem::path& path) {
    auto info = probeVideo(path);
    INFO((info ? std::string() : info.error().message));
    REQUIRE(info);
    return *info;
}

Error probeError(const std::filesystem::path& path) {
    auto info = probeVideo(path);
    REQUIRE_FALSE(info);
    INFO(info.error().message);
    CHECK_FALSE(info.error().message.empty());
    return info.error();
}

void checkFirstFrame(const std::filesystem::path& path) {
    auto frame = decodeFirstVideoFrame(path);
    INFO((frame ? std::string() : frame.error().message));
    REQUIRE(frame);
    CHECK(frame->type() == CV_8UC3);
    CHECK(frame->size() == cv::Size(kWidth, kHeight));
    // The first frame is orange-ish (B 40, G 180, R 220); later ones are not.
    const cv::Scalar mean = cv::mean(*frame);
    CHECK(mean[0] == Approx(40).margin(12));
    CHECK(mean[1] == Approx(180).margin(12));
    CHECK(mean[2] == Approx(220).margin(12));
    auto thumb = makeThumbnailJpeg(*frame, 64);
    REQUIRE(thumb);
    auto back = decodeImage(*thumb);
    REQUIRE(back);
    CHECK(back->size() == cv::Size(64, 48));
}

std::string fileBytes(const std::filesystem::path& path) {
    return test::readBytes(path);
}

} // namespace

TEST_CASE("An MP4 written by OpenCV probes with its size, rate and duration", "[video]") {
    const test::TempDir dir;
    const auto path = writeClip(dir, "clip.mp4", mp4v());
    if (!path) {
        return;
    }
    CHECK(sniffMediaFormat(fileBytes(*path).substr(0, kMediaSniffBytes)) == MediaFormat::Mp4);
    const VideoInfo info = probed(*path);
    CHECK(info.width == kWidth);
    CHECK(info.height == kHeight);
    CHECK(info.durationMicros == Approx(4'000'000).margin(200'000));
    CHECK(info.frameRateNum == 10 * info.frameRateDen);
    CHECK(info.codecName == "mpeg4");
    CHECK(info.containerName.find("mp4") != std::string::npos);
    CHECK_FALSE(info.hasAudio);
    checkFirstFrame(*path);
}

TEST_CASE("A QuickTime MOV probes and decodes", "[video]") {
    const test::TempDir dir;
    const auto path = writeClip(dir, "clip.mov", mp4v());
    if (!path) {
        return;
    }
    CHECK(sniffMediaFormat(fileBytes(*path).substr(0, kMediaSniffBytes)) == MediaFormat::Mov);
    const VideoInfo info = probed(*path);
    CHECK(info.width == kWidth);
    CHECK(info.durationMicros == Approx(4'000'000).margin(200'000));
    checkFirstFrame(*path);
}

TEST_CASE("A VP8 WebM probes and decodes", "[video]") {
    const test::TempDir dir;
    const auto path = writeClip(dir, "clip.webm", vp80());
    if (!path) {
        return;
    }
    CHECK(sniffMediaFormat(fileBytes(*path).substr(0, kMediaSniffBytes)) == MediaFormat::Webm);
    const VideoInfo info = probed(*path);
    CHECK(info.width == kWidth);
    CHECK(info.height == kHeight);
    CHECK(info.codecName == "vp8");
    CHECK(info.containerName.find("webm") != std::string::npos);
    CHECK(info.durationMicros == Approx(4'000'000).margin(200'000));
    checkFirstFrame(*path);
}

TEST_CASE("Matroska is sniffed as Unknown but FFmpeg may still probe it", "[video]") {
    const test::TempDir dir;
    const auto path = writeClip(dir, "clip.mkv", vp80());
    if (!path) {
        return;
    }
    CHECK(sniffMediaFormat(fileBytes(*path).substr(0, kMediaSniffBytes)) == MediaFormat::Unknown);
    CHECK(probed(*path).width == kWidth);
}

TEST_CASE("An MP4 cut anywhere is Corrupt", "[video]") {
    const test::TempDir dir;
    const auto path = writeClip(dir, "clip.mp4", mp4v());
    if (!path) {
        return;
    }
    const std::string bytes = fileBytes(*path);
    // OpenCV's muxer writes ftyp, mdat, then moov: any cut before the end loses the index.
    REQUIRE(bytes.find("moov") > bytes.find("mdat"));
    for (std::size_t keep :
         {bytes.size() / 2, bytes.size() - 40, std::size_t{100}, std::size_t{8}}) {
        INFO("kept " << keep << " of " << bytes.size() << " bytes");
        test::writeBytes(dir / "cut.mp4", bytes.substr(0, keep));
        const auto start = std::chrono::steady_clock::now();
        const Error probe = probeError(dir / "cut.mp4");
        CHECK(probe.code == ErrorCode::Corrupt);
        CHECK(probe.message.find("truncated") != std::string::npos);
        auto frame = decodeFirstVideoFrame(dir / "cut.mp4");
        REQUIRE_FALSE(frame);
        CHECK(frame.error().code == ErrorCode::Corrupt);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    }
}

TEST_CASE("A WebM cut short is Corrupt: its Segment runs past the end", "[video]") {
    const test::TempDir dir;
    const auto path = writeClip(dir, "clip.webm", vp80());
    if (!path) {
        return;
    }
    const std::string bytes = fileBytes(*path);
    for (std::size_t keep :
         {bytes.size() / 2, bytes.size() - 1, std::size_t{50}, std::size_t{20}}) {
        INFO("kept " << keep << " of " << bytes.size() << " bytes");
        test::writeBytes(dir / "cut.webm", bytes.substr(0, keep));
        const Error error = probeError(dir / "cut.webm");
        CHECK(error.code == ErrorCode::Corrupt);
        CHECK(error.message.find("truncated") != std::string::npos);
        CHECK_FALSE(decodeFirstVideoFrame(dir / "cut.webm"));
    }
}

TEST_CASE("A live WebM with an open-ended Segment probes from what is there", "[video]") {
    // Without a Segment size there is nothing to check against: the defined behaviour is
    // FFmpeg's partial reading, with the first frame still decodable.
    const test::TempDir dir;
    const auto path = writeClip(dir, "clip.webm", vp80());
    if (!path) {
        return;
    }
    std::string bytes = fileBytes(*path);
    const std::size_t segment = bytes.find("\x18\x53\x80\x67");
    REQUIRE(segment != std::string::npos);
    REQUIRE(static_cast<unsigned char>(bytes[segment + 4]) == 0x01); // an 8-byte size
    bytes.replace(segment + 5, 7, std::string(7, '\xff'));           // all ones: unknown
    test::writeBytes(dir / "live.webm", bytes.substr(0, bytes.size() / 2));
    CHECK(probed(dir / "live.webm").width == kWidth);
    checkFirstFrame(dir / "live.webm");
}

TEST_CASE("Padding or junk after the last MP4 box is not truncation", "[video]") {
    const test::TempDir dir;
    const auto path = writeClip(dir, "clip.mp4", mp4v());
    if (!path) {
        return;
    }
    const std::string bytes = fileBytes(*path);
    test::writeBytes(dir / "padded.mp4", bytes + std::string(5, '\0'));
    CHECK(probed(dir / "padded.mp4").width == kWidth);
    test::writeBytes(dir / "junk.mp4", bytes + std::string("\0\0\0\0\xff\xfe\x01\x02tail", 12));
    CHECK(probed(dir / "junk.mp4").width == kWidth);
    // A box whose size is smaller than its own header is damage, not padding.
    test::writeBytes(dir / "tiny.mp4", bytes + std::string("\0\0\0\x04"
                                                           "free",
                                                           8));
    CHECK(probeError(dir / "tiny.mp4").code == ErrorCode::Corrupt);
    // A 64-bit box size pointing far past the end.
    test::writeBytes(dir / "huge.mp4",
                     bytes + std::string("\0\0\0\x01mdat\x7f\xff\xff\xff\xff\xff\xff\xff", 16));
    CHECK(probeError(dir / "huge.mp4").code == ErrorCode::Corrupt);
}

TEST_CASE("Files that are not videos are refused with a reason", "[video]") {
    const test::TempDir dir;
    test::writeBytes(dir / "empty.mp4", "");
    CHECK(probeError(dir / "empty.mp4").code == ErrorCode::Corrupt);
    test::writeBytes(dir / "text.mp4", std::string(4096, 'x'));
    CHECK(probeError(dir / "text.mp4").code == ErrorCode::Corrupt);
    // A PNG is refused: image demuxers are not on the whitelist.
    test::writeTestImage(dir / "image.png", test::makeTestImage(64, 64, 1));
    std::filesystem::rename(dir / "image.png", dir / "image.mp4");
    CHECK(probeError(dir / "image.mp4").code == ErrorCode::Unsupported);
    CHECK_FALSE(decodeFirstVideoFrame(dir / "image.mp4"));
    CHECK(probeError(dir / "missing.mp4").code == ErrorCode::NotFound);
    CHECK(probeError(dir.path()).code == ErrorCode::Unsupported);
}

TEST_CASE("A FIFO is refused at once instead of blocking FFmpeg", "[video]") {
    const test::TempDir dir;
    const auto fifo = dir / "pipe.mp4";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(probeError(fifo).code == ErrorCode::Unsupported);
    CHECK_FALSE(decodeFirstVideoFrame(fifo));
}

TEST_CASE("Playlists and protocol-like names never leave the local file", "[video]") {
    const test::TempDir dir;
    // An HLS playlist pointing at the network: hls is not on the demuxer whitelist.
    test::writeBytes(dir / "list.mp4",
                     "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:9/x.ts\n"
                     "#EXT-X-ENDLIST\n");
    CHECK(probeError(dir / "list.mp4").code == ErrorCode::Unsupported);
    // A file whose name looks like a protocol is still opened as that file.
    const auto path = writeClip(dir, "clip.mp4", mp4v());
    if (!path) {
        return;
    }
    const auto odd = dir / "concat:clip.mp4|http:x.mp4";
    std::filesystem::copy_file(*path, odd);
    CHECK(probed(odd).width == kWidth);
}
