// The file-making post steps of a recipe run: mockups, ad variants, print checks, a contact
// sheet and a delivery zip, made from the assets a run against the loopback OpenAI produced.
#include "RecipeFixture.h"
#include "batch/ImageFiles.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

// Runs the fixture's recipe (four 48x32 images) with `post` as its post steps.
nlohmann::json runWithPost(RecipeFixture& f, const nlohmann::json& post, std::string& runId) {
    auto json = nlohmann::json::parse(kRecipe);
    json["post"] = post;
    std::ofstream(f.dir / "kit" / "recipe.json") << json.dump(2);
    const Recipe recipe = f.recipe();
    RecipeRunner runner(*f.library, f.prices);
    auto run = runner.queue(recipe, f.plan(recipe), {});
    REQUIRE(run);
    runId = run->id;
    REQUIRE(f.waiter()(run->jobs));
    auto manifest = runner.finish(run->id, f.waiter());
    REQUIRE(manifest);
    return *manifest;
}

// A white 160x100 template whose quad is a skewed quadrilateral, flat shading.
std::filesystem::path writePlainTemplate(const std::filesystem::path& dir) {
    writeTestImage(dir / "plain.png", cv::Mat(100, 160, CV_8UC3, cv::Scalar::all(255)));
    std::ofstream(dir / "plain.json")
        << R"({"ripen_mockup": 1, "title": "Plain", "image": "plain.png",
              "quad": [[20, 10], [140, 20], [130, 90], [30, 80]], "blend": {"shading": 0}})";
    return dir / "plain.json";
}

} // namespace

TEST_CASE("A recipe run places its outputs on mockups, checks them for print and bundles them",
          "[recipes][post]") {
    RecipeFixture f;
    const auto plain = writePlainTemplate(f.dir / "templates");
    std::string runId;
    const auto m = runWithPost(
        f,
        nlohmann::json::array(
            {{{"step", "export"}, {"formats", {"png"}}},
             {{"step", "mockup"}, {"templates", {"mug", plain.string()}}, {"fit", "stretch"}},
             {{"step", "printcheck"}, {"size", "3x2in"}, {"dpi", 16}},
             {{"step", "printcheck"}, {"size", "3x2in"}},
             {{"step", "contactsheet"}, {"formats", {"png", "pdf"}}},
             {{"step", "bundle"}, {"name", "Lantern delivery"}}}),
        runId);
    const auto exports = f.dir / "library" / "exports" / runId;
    REQUIRE(m["post"].size() == 6);

    // Every output on every template, named after the job and the template.
    CHECK(m["post"][1]["files"].size() == 8);
    const cv::Mat mug = cv::imread((exports / "mockups" / "004-owl-cold-1-mug.png").string());
    CHECK(mug.size() == cv::imread(resourceFile("mockups/mug.png").string()).size());
    const cv::Mat onPlain = cv::imread((exports / "mockups" / "001-fox-warm-1-plain.png").string());
    REQUIRE(onPlain.size() == cv::Size(160, 100));
    // The design covers the template's quad and nothing outside it.
    const std::vector<cv::Point2f> quad{{20, 10}, {140, 20}, {130, 90}, {30, 80}};
    int insideChanged = 0;
    int inside = 0;
    int outsideChanged = 0;
    for (int y = 0; y < onPlain.rows; ++y) {
        for (int x = 0; x < onPlain.cols; ++x) {
            const double d = cv::pointPolygonTest(quad, cv::Point2f(x + 0.5f, y + 0.5f), true);
            const bool changed = onPlain.at<cv::Vec3b>(y, x) != cv::Vec3b(255, 255, 255);
            if (d > 2) {
                ++inside;
                insideChanged += changed ? 1 : 0;
            } else if (d < -2) {
                outsideChanged += changed ? 1 : 0;
            }
        }
    }
    CHECK(outsideChanged == 0);
    CHECK(insideChanged > inside * 95 / 100);

    // 48x32 pixels fill 3x2 inches at 16 DPI exactly; at the default 300 they fall short.
    const auto& loose = m["post"][2]["checks"];
    REQUIRE(loose.size() == 4);
    CHECK(loose[0]["pixels"] == nlohmann::json{48, 32});
    CHECK(loose[0]["needed_pixels"] == nlohmann::json{48, 32});
    CHECK(loose[0]["effective_dpi"].get<double>() == Approx(16));
    CHECK(loose[0]["verdict"] != "not ready");
    CHECK(m["post"][3]["dpi"] == 300);
    CHECK(m["post"][3]["checks"][0]["verdict"] == "not ready");
    CHECK(m["post"][3]["checks"][0]["needed_pixels"] == nlohmann::json{900, 600});

    const cv::Mat sheet = cv::imread((exports / "contact-sheet.png").string());
    CHECK(sheet.cols > 4 * 48);
    CHECK(readBytes(exports / "contact-sheet.pdf").starts_with("%PDF-"));

    // The zip holds the exports, the contact sheets, the mockups and the manifest, and unzip
    // finds every entry intact.
    const auto zip = exports / "lantern-delivery.zip";
    CHECK(m["post"][5]["file"] == "exports/" + runId + "/lantern-delivery.zip");
    CHECK(std::system(("unzip -tq '" + zip.string() + "' >/dev/null").c_str()) == 0);
    std::set<std::string> entries;
    for (const auto& entry : m["post"][5]["entries"]) {
        entries.insert(entry["name"].get<std::string>());
    }
    CHECK(entries.size() == 4 + 2 + 8);
    CHECK(entries.contains("files/001-fox-warm-1.png"));
    CHECK(entries.contains("files/contact-sheet.pdf"));
    CHECK(entries.contains("mockups/003-owl-warm-1-mug.png"));
    CHECK(std::system(("unzip -p '" + zip.string() +
                       "' manifest.csv | grep -q '^files/002-fox-cold-1.png,'")
                          .c_str()) == 0);
}

TEST_CASE("A recipe run composes ad variants of a product on its outputs and on library "
          "backgrounds at each platform size",
          "[recipes][post]") {
    RecipeFixture f;
    cv::Mat product(40, 30, CV_8UC4, cv::Scalar(0, 0, 0, 0));
    cv::rectangle(product, cv::Rect(5, 5, 20, 30), cv::Scalar(20, 40, 220, 255), cv::FILLED);
    REQUIRE(writePngFile(f.dir / "bottle.png", product));
    writeTestImage(f.dir / "Beach Sunset.png", makeTestImage(120, 80, 3));
    std::string runId;
    const auto m =
        runWithPost(f,
                    nlohmann::json::array(
                        {{{"step", "background"},
                          {"product", (f.dir / "bottle.png").string()},
                          {"backgrounds", {(f.dir / "Beach Sunset.png").string(), "generated"}},
                          {"sizes", {"64x64", "96x48"}},
                          {"shadow", 0.4},
                          {"colour_match", 0}}}),
                    runId);
    const auto exports = f.dir / "library" / "exports" / runId;
    // (1 file + 4 generated backgrounds) x 2 sizes, numbered in order.
    REQUIRE(m["post"][0]["files"].size() == 10);
    const cv::Mat first = cv::imread((exports / "bottle-beach-sunset-64x64-v01.png").string());
    CHECK(first.size() == cv::Size(64, 64));
    const cv::Mat wide = cv::imread((exports / "bottle-002-fox-cold-1-96x48-v06.png").string());
    REQUIRE(wide.size() == cv::Size(96, 48));
    // The product sits bottom centre in its own red, without colour match.
    const cv::Vec3b centre = wide.at<cv::Vec3b>(30, 48);
    CHECK(centre[2] > 200);
    CHECK(centre[0] < 40);
    CHECK(m["post"][0]["files"][5]["background"] == "002-fox-cold-1");
}

TEST_CASE("Post step problems name the field and the line", "[recipes][post][validation]") {
    const char* const text = R"json({
  "format": "ripen.recipe",
  "version": 1,
  "prompt": "a lantern",
  "stages": {"concept": {"provider": "openai", "model": "gpt-image-1"}},
  "post": [
    {"step": "mockup", "templates": ["mugg", "rel/poster.json"], "fitt": "cover"},
    {"step": "background", "cutout": {"box": "1,2,3"},
     "backgrounds": ["generated", "beach.png"], "sizes": ["square", "9x9"], "shadow": 2},
    {"step": "contactsheet", "formats": ["png", "svg"]},
    {"step": "printcheck", "size": "B9", "dpi": 0},
    {"step": "bundle", "name": 5, "zip": true},
    {"step": "background", "product": "asset:3", "cutout": {"box": "1,1,4,4"}, "backgrounds": ["asset:2"]}
  ]
})json";
    const auto check = checkRecipe(text, "recipe.json", "/tmp");
    CHECK_FALSE(check.recipe);
    std::string all;
    for (const auto& issue : check.issues) {
        all += issue + "\n";
    }
    INFO(all);
    const auto has = [&](const std::string& line) {
        return all.find(line) != std::string::npos;
    };
    CHECK(has("recipe.json:7: post[0].templates[0]: no shipped template \"mugg\""));
    CHECK(has("recipe.json:7: post[0].templates[1]: a template file must be an absolute path"));
    CHECK(has("recipe.json:7: post[0].fitt: unknown field"));
    CHECK(has("recipe.json:8: post[1].cutout.box: expected \"X,Y,W,H\""));
    CHECK(has("recipe.json:9: post[1].backgrounds[0]: \"generated\" needs a fixed \"product\""));
    CHECK(has("recipe.json:9: post[1].backgrounds[1]: expected \"asset:ID\" or an absolute"));
    CHECK(has("recipe.json:9: post[1].sizes: "));
    CHECK(has("recipe.json:9: post[1].shadow: must be between 0 and 1"));
    CHECK(has("recipe.json:10: post[2].formats[1]: expected \"png\" or \"pdf\""));
    CHECK(has("recipe.json:11: post[3].dpi: must be between 1 and 2400"));
    CHECK(has("recipe.json:12: post[4].name: expected a string"));
    CHECK(has("recipe.json:12: post[4].zip: unknown field"));
    CHECK(has("recipe.json:13: post[5].product: give exactly one of"));
}

TEST_CASE("Post steps written back parse to the same steps", "[recipes][post]") {
    auto json = nlohmann::json::parse(kRecipe);
    json.erase("references");
    json["post"] = nlohmann::json::array(
        {{{"step", "mockup"}, {"templates", {"mug", "/srv/t/poster.json"}}},
         {{"step", "background"}, {"cutout", {{"mask", "asset:7"}}}, {"backgrounds", {"asset:9"}}},
         {{"step", "contactsheet"}},
         {{"step", "printcheck"}, {"size", "A4"}},
         {{"step", "bundle"}}});
    auto recipe = parseRecipe(json.dump(), "recipe.json", "/tmp");
    INFO((recipe ? "" : recipe.error().message));
    REQUIRE(recipe);
    REQUIRE(recipe->post.size() == 5);
    nlohmann::json written = nlohmann::json::array();
    for (const auto& step : recipe->post) {
        written.push_back(step->toJson());
    }
    json["post"] = written;
    auto again = parseRecipe(json.dump(), "recipe.json", "/tmp");
    REQUIRE(again);
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(again->post[i]->toJson() == written[i]);
    }
    CHECK(written[2]["formats"] == nlohmann::json{"png", "pdf"});
    CHECK(written[3]["dpi"] == 300);
}
