// Deliveries: the zip bundle with its manifest, and contact sheets as PNG and PDF.
#include "batch/ContactSheet.h"
#include "batch/ExportBundle.h"
#include "batch/PdfWriter.h"
#include "batch/ZipWriter.h"
#include "common/Sha256.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>
#include <regex>

using namespace ripen;
using namespace ripen::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Checks a PDF's skeleton as a reader walks it: the header, startxref pointing at the
// xref table, and every in-use xref entry pointing at "N 0 obj". Returns the object count.
int checkPdfStructure(const std::string& pdf) {
    REQUIRE(pdf.rfind("%PDF-1.", 0) == 0);
    REQUIRE(pdf.ends_with("%%EOF\n"));
    const auto start = pdf.rfind("startxref\n");
    REQUIRE(start != std::string::npos);
    const std::size_t xref = std::stoul(pdf.substr(start + 10));
    REQUIRE(pdf.compare(xref, 5, "xref\n") == 0);
    std::size_t at = pdf.find('\n', xref + 5) + 1;
    const int count = std::stoi(pdf.substr(pdf.find(' ', xref + 5) + 1));
    for (int id = 0; id < count; ++id, at += 20) {
        const std::string entry = pdf.substr(at, 20);
        REQUIRE(entry.size() == 20);
        if (id == 0) {
            CHECK(entry == "0000000000 65535 f \n");
            continue;
        }
        const std::size_t offset = std::stoul(entry.substr(0, 10));
        CHECK(pdf.compare(offset, std::to_string(id).size() + 6, std::to_string(id) + " 0 obj") ==
              0);
    }
    CHECK(pdf.compare(at, 7, "trailer") == 0);
    return count;
}

std::vector<std::filesystem::path> writeImages(const TempDir& dir, int count) {
    std::vector<std::filesystem::path> files;
    for (int i = 0; i < count; ++i) {
        files.push_back(dir / ("image-" + std::to_string(i) + (i % 2 ? ".jpg" : ".png")));
        writeTestImage(files.back(), makeTestImage(300 + 20 * i, 200 + 10 * i, i));
    }
    return files;
}

} // namespace

TEST_CASE("the bundle zip passes unzip -t and its manifest describes every file",
          "[batch][bundle]") {
    TempDir dir;
    const auto files = writeImages(dir, 3);
    writeTestImage(dir / "more" / "image-0.png", makeTestImage(64, 48, 9)); // same name
    const auto zip = dir / "delivery.zip";
    auto rows =
        writeExportBundle({files[0], files[1], dir / "more" / "image-0.png"}, {files[2]}, zip);
    REQUIRE(rows);
    REQUIRE(rows->size() == 4);
    CHECK((*rows)[0].name == "files/image-0.png");
    CHECK((*rows)[2].name == "files/image-0-2.png");
    CHECK((*rows)[3].name == "mockups/image-2.png");
    CHECK((*rows)[1].width == 320);
    CHECK((*rows)[1].height == 210);
    CHECK((*rows)[0].sha256 == Sha256::ofBytes(readBytes(files[0])));

    const auto test = runProcess({"unzip", "-t", zip.string()});
    INFO(test.out << test.err);
    CHECK(test.exitCode == 0);
    CHECK(contains(test.out, "No errors detected"));
    const auto manifest = runProcess({"unzip", "-p", zip.string(), "manifest.csv"});
    REQUIRE(manifest.exitCode == 0);
    CHECK(manifest.out.rfind("file,bytes,width,height,dpi,sha256\r\n", 0) == 0);
    CHECK(contains(manifest.out, "files/image-1.jpg," +
                                     std::to_string(std::filesystem::file_size(files[1])) +
                                     ",320,210,"));
    CHECK(contains(manifest.out, (*rows)[3].sha256));
    // The bytes come back out unchanged.
    const auto extracted = runProcess({"unzip", "-p", zip.string(), "files/image-1.jpg"});
    CHECK(extracted.out == readBytes(files[1]));
}

TEST_CASE("the zip writer refuses unsafe names and leaves nothing when not committed",
          "[batch][bundle]") {
    TempDir dir;
    {
        auto zip = ZipWriter::create(dir / "a.zip");
        REQUIRE(zip);
        CHECK(zip->add("ok/name.txt", std::string(5000, 'x')));
        CHECK_FALSE(zip->add("ok/name.txt", "again"));
        CHECK_FALSE(zip->add("../escape.txt", "x"));
        CHECK_FALSE(zip->add("/abs.txt", "x"));
        CHECK_FALSE(zip->add("a\\b.txt", "x"));
        CHECK_FALSE(zip->add("a//b.txt", "x"));
    }
    CHECK_FALSE(std::filesystem::exists(dir / "a.zip"));
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                        std::filesystem::directory_iterator()) == 0);
    auto missing = writeExportBundle({dir / "nope.png"}, {}, dir / "b.zip");
    REQUIRE_FALSE(missing);
    CHECK(contains(missing.error().message, "nope.png"));
    CHECK_FALSE(std::filesystem::exists(dir / "b.zip"));
}

TEST_CASE("a contact sheet PNG holds every picture in its cell", "[batch][contactsheet]") {
    std::vector<ContactSheetItem> items;
    const cv::Scalar colours[] = {
        {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {0, 255, 255}, {255, 0, 255}};
    for (const auto& colour : colours) {
        items.push_back({cv::Mat(200, 300, CV_8UC3, colour), "flat colour"});
    }
    ContactSheetLayout layout;
    layout.columns = 3;
    layout.cellPixels = 150;
    layout.title = "Kit";
    auto sheet = renderContactSheetImage(items, layout);
    REQUIRE(sheet);
    // 3 columns of 150 + 2 gaps of 16 + 2 margins of 32; 2 rows under a 56 px title.
    CHECK(sheet->cols == 3 * 150 + 2 * 16 + 2 * 32);
    CHECK(sheet->rows == 2 * 32 + 56 + 2 * (150 + 28) + 16);
    for (int i = 0; i < 5; ++i) {
        const cv::Point centre(32 + (i % 3) * 166 + 75, 32 + 56 + (i / 3) * 194 + 75);
        CHECK(cv::norm(sheet->at<cv::Vec3b>(centre),
                       cv::Vec3b(colours[i][0], colours[i][1], colours[i][2])) < 3);
    }
    ContactSheetLayout tooMany;
    tooMany.columns = 1;
    tooMany.cellPixels = 1024;
    std::vector<ContactSheetItem> many(20, items[0]);
    auto tall = renderContactSheetImage(many, tooMany);
    REQUIRE_FALSE(tall);
    CHECK(tall.error().code == ErrorCode::LimitExceeded);
    CHECK_FALSE(renderContactSheetImage({}, layout));
}

TEST_CASE("a contact sheet PDF is well formed, paginated and embeds JPEGs",
          "[batch][contactsheet]") {
    TempDir dir;
    const auto files = writeImages(dir, 3);
    auto loaded = loadContactSheetItems(files, 256);
    REQUIRE(loaded);
    CHECK((*loaded)[1].label == "image-1.jpg  320x210");
    std::vector<ContactSheetItem> items;
    for (int i = 0; i < 30; ++i) {
        items.push_back((*loaded)[static_cast<std::size_t>(i % 3)]);
    }
    items[4].label = "Crème brûlée (final) \\ 日本";
    ContactSheetLayout layout;
    layout.title = "Brand kit — autumn";
    auto pdf = renderContactSheetPdf(items, layout);
    REQUIRE(pdf);
    const int objects = checkPdfStructure(*pdf);
    // 4 columns x 5 rows a page: 30 pictures take 2 pages; objects: 0-4, 30 images, 2x2 pages.
    CHECK(objects == 5 + 30 + 4);
    CHECK(contains(*pdf, "/Count 2"));
    CHECK(contains(*pdf, "/Filter /DCTDecode"));
    CHECK(contains(*pdf, "(Cr\\350me br\\373l\\351e \\(final\\) \\\\ ?"
                         "?) Tj"));
    writeBytes(dir / "sheet.pdf", *pdf);
    const auto info = runProcess({"pdfinfo", (dir / "sheet.pdf").string()});
    INFO(info.out << info.err);
    CHECK(info.exitCode == 0);
    CHECK(std::regex_search(info.out, std::regex("\nPages: +2\n")));
    CHECK(info.err.empty());

    auto unreadable = loadContactSheetItems({dir / "missing.png"}, 128);
    REQUIRE_FALSE(unreadable);
    CHECK(contains(unreadable.error().message, "missing.png"));
    PdfWriter empty("nothing");
    CHECK_FALSE(empty.finish());
}
