#include "imaging/MediaFormat.h"

#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

using namespace ripen;

namespace {

std::string encode(const std::string& extension, const cv::Mat& image) {
    std::vector<uchar> bytes;
    REQUIRE(cv::imencode(extension, image, bytes));
    return {bytes.begin(), bytes.end()};
}

// An ISO BMFF file start: a 'ftyp' box with the given major brand.
std::string ftyp(const std::string& brand) {
    return std::string("\0\0\0\x18"
                       "ftyp",
                       8) +
           brand + std::string("\0\0\0\0", 4) + brand + "isom";
}

// An EBML header carrying only a DocType element.
std::string ebml(const std::string& docType) {
    std::string body = "\x42\x82";
    body += static_cast<char>(0x80 | docType.size());
    body += docType;
    return std::string("\x1a\x45\xdf\xa3") + static_cast<char>(0x80 | body.size()) + body;
}

} // namespace

TEST_CASE("Images written by OpenCV are recognised by content", "[imaging][format]") {
    const cv::Mat image = test::makeTestImage(40, 30, 1);
    CHECK(sniffMediaFormat(encode(".png", image)) == MediaFormat::Png);
    CHECK(sniffMediaFormat(encode(".jpg", image)) == MediaFormat::Jpeg);
    CHECK(sniffMediaFormat(encode(".webp", image)) == MediaFormat::Webp);
    CHECK(sniffMediaFormat(encode(".tif", image)) == MediaFormat::Tiff);
}

TEST_CASE("Magic bytes decide the format, including the short and odd cases", "[imaging][format]") {
    CHECK(sniffMediaFormat("") == MediaFormat::Unknown);
    CHECK(sniffMediaFormat("\x89PNG") == MediaFormat::Unknown); // signature cut short
    CHECK(sniffMediaFormat("\xff\xd8\xff") == MediaFormat::Jpeg);
    CHECK(sniffMediaFormat("\xff\xd8\x00") == MediaFormat::Unknown);
    CHECK(sniffMediaFormat(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)) == MediaFormat::Webp);
    CHECK(sniffMediaFormat(std::string("RIFF\x10\0\0\0WAVEfmt ", 16)) == MediaFormat::Unknown);
    CHECK(sniffMediaFormat(std::string("II*\0\x08\0\0\0", 8)) == MediaFormat::Tiff);
    CHECK(sniffMediaFormat(std::string("MM\0*\0\0\0\x08", 8)) == MediaFormat::Tiff);
    CHECK(sniffMediaFormat(std::string("II+\0", 4)) == MediaFormat::Unknown);
    CHECK(sniffMediaFormat("GIF89a") == MediaFormat::Unknown);
    CHECK(sniffMediaFormat("<svg xmlns=") == MediaFormat::Unknown);
}

TEST_CASE("ISO BMFF brands separate QuickTime, MP4 and non-video files", "[imaging][format]") {
    CHECK(sniffMediaFormat(ftyp("isom")) == MediaFormat::Mp4);
    CHECK(sniffMediaFormat(ftyp("mp42")) == MediaFormat::Mp4);
    CHECK(sniffMediaFormat(ftyp("3gp4")) == MediaFormat::Mp4);
    CHECK(sniffMediaFormat(ftyp("qt  ")) == MediaFormat::Mov);
    CHECK(sniffMediaFormat(ftyp("heic")) == MediaFormat::Unknown);
    CHECK(sniffMediaFormat(ftyp("avif")) == MediaFormat::Unknown);
    CHECK(sniffMediaFormat(ftyp("M4A ")) == MediaFormat::Unknown);
    CHECK(sniffMediaFormat(std::string("\0\0\0\x18"
                                       "ftyp",
                                       8)) == MediaFormat::Unknown);
}

TEST_CASE("EBML is WebM only when its DocType says so", "[imaging][format]") {
    CHECK(sniffMediaFormat(ebml("webm")) == MediaFormat::Webm);
    CHECK(sniffMediaFormat(ebml(std::string("webm\0", 5))) == MediaFormat::Webm);
    CHECK(sniffMediaFormat(ebml("matroska")) == MediaFormat::Unknown);
    const std::string cut = ebml("webm");
    CHECK(sniffMediaFormat(cut.substr(0, cut.size() - 2)) == MediaFormat::Unknown);
    CHECK(sniffMediaFormat("\x1a\x45\xdf\xa3") == MediaFormat::Unknown);
    // A size field of all zero bits is not a valid EBML length.
    CHECK(sniffMediaFormat(std::string("\x1a\x45\xdf\xa3\0\0", 6)) == MediaFormat::Unknown);
}

TEST_CASE("Every format has a name, extension and media type", "[imaging][format]") {
    CHECK(std::string(fileExtension(MediaFormat::Png)) == "png");
    CHECK(std::string(fileExtension(MediaFormat::Jpeg)) == "jpg");
    CHECK(std::string(fileExtension(MediaFormat::Webp)) == "webp");
    CHECK(std::string(fileExtension(MediaFormat::Tiff)) == "tif");
    CHECK(std::string(fileExtension(MediaFormat::Mp4)) == "mp4");
    CHECK(std::string(fileExtension(MediaFormat::Mov)) == "mov");
    CHECK(std::string(fileExtension(MediaFormat::Webm)) == "webm");
    CHECK(std::string(fileExtension(MediaFormat::Unknown)).empty());
    CHECK(std::string(mimeType(MediaFormat::Jpeg)) == "image/jpeg");
    CHECK(std::string(mimeType(MediaFormat::Mov)) == "video/quicktime");
    CHECK(std::string(mimeType(MediaFormat::Unknown)) == "application/octet-stream");
    CHECK(std::string(toString(MediaFormat::Webp)) == "WebP");
    for (MediaFormat video : {MediaFormat::Mp4, MediaFormat::Mov, MediaFormat::Webm}) {
        CHECK(isVideo(video));
        CHECK_FALSE(isImage(video));
    }
    for (MediaFormat image :
         {MediaFormat::Png, MediaFormat::Jpeg, MediaFormat::Webp, MediaFormat::Tiff}) {
        CHECK(isImage(image));
        CHECK_FALSE(isVideo(image));
    }
    CHECK_FALSE(isVideo(MediaFormat::Unknown));
    CHECK_FALSE(isImage(MediaFormat::Unknown));
}
