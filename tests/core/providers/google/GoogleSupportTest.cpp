// The small pieces of the Google provider: URL checks, error parsing, image completeness
// and the settings table.

#include "GoogleFakeServer.h"
#include "providers/ModelCatalog.h"
#include "providers/google/GeminiErrors.h"
#include "providers/google/GoogleSettings.h"
#include "providers/google/GoogleUrls.h"
#include "providers/google/InlineImage.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::providers::google;

TEST_CASE("GoogleUrls builds only well-formed Gemini URLs", "[google][urls]") {
    const std::string base = "https://generativelanguage.googleapis.com";
    CHECK(GoogleUrls::modelMethod(base, "gemini-3-pro-image", "generateContent").value() ==
          base + "/v1beta/models/gemini-3-pro-image:generateContent");
    CHECK(GoogleUrls::modelMethod(base, "models/veo-3.1-generate-preview", "predictLongRunning")
              .value() == base + "/v1beta/models/veo-3.1-generate-preview:predictLongRunning");
    for (const char* bad : {"", "a/b", "x?key=1", "x#y", "..", "a b", "gemini:evil"}) {
        CHECK_FALSE(GoogleUrls::modelMethod(base, bad, "generateContent"));
    }
    CHECK(GoogleUrls::isValidOperationName("models/veo-3.1-generate-preview/operations/abc123"));
    CHECK(GoogleUrls::isValidOperationName("operations/abc-123_x"));
    for (const char* bad :
         {"", "/operations/x", "models/x/operations/../y", "models/x/ops/y", "operations/x?alt=1",
          "operations//x", "operations/x/", "https://e/operations/x"}) {
        CHECK_FALSE(GoogleUrls::isValidOperationName(bad));
    }
    CHECK(GoogleUrls::operation(base, "operations/x").value() == base + "/v1beta/operations/x");
}

TEST_CASE("GoogleUrls origins, redirects and where the key may go", "[google][urls][security]") {
    CHECK(GoogleUrls::origin("https://Generativelanguage.googleapis.com/v1beta/files/x") ==
          "https://generativelanguage.googleapis.com:443");
    CHECK(GoogleUrls::origin("http://127.0.0.1:8080") == "http://127.0.0.1:8080");
    CHECK(GoogleUrls::origin("http://[::1]:9/x") == "http://[::1]:9");
    CHECK(GoogleUrls::origin("ftp://host/x").empty());
    CHECK(GoogleUrls::origin("https://user:pw@host/x").empty());
    CHECK(GoogleUrls::origin("/relative").empty());

    const std::string from = "https://a.example/v1beta/files/x:download?alt=media";
    CHECK(GoogleUrls::resolve(from, "https://b.example/y") == "https://b.example/y");
    CHECK(GoogleUrls::resolve(from, "//c.example/z") == "https://c.example/z");
    CHECK(GoogleUrls::resolve(from, "/other?q=1") == "https://a.example/other?q=1");
    CHECK(GoogleUrls::resolve(from, "sibling") == "https://a.example/v1beta/files/sibling");
    CHECK(GoogleUrls::resolve(from, "file:///etc/passwd").empty());
    CHECK(GoogleUrls::resolve(from, "").empty());

    const std::string google = "https://generativelanguage.googleapis.com";
    CHECK(GoogleUrls::keyAllowed(google + "/v1beta/files/x:download", google));
    CHECK(GoogleUrls::keyAllowed(google + "/v1beta/files/x", "https://proxy.example"));
    CHECK(GoogleUrls::keyAllowed("https://proxy.example/files/x", "https://proxy.example"));
    CHECK_FALSE(GoogleUrls::keyAllowed("https://storage.googleapis.com/bucket/x", google));
    CHECK_FALSE(GoogleUrls::keyAllowed("http://generativelanguage.googleapis.com/x", google));
    CHECK_FALSE(GoogleUrls::keyAllowed("http://127.0.0.1:81/x", "http://127.0.0.1:80"));
    CHECK_FALSE(
        GoogleUrls::keyAllowed("https://generativelanguage.googleapis.com.evil.example/x", google));
}

TEST_CASE("GeminiErrors reads RetryInfo and classifies operation errors", "[google][errors]") {
    const nlohmann::json error = {
        {"code", 429},
        {"message", "quota"},
        {"details", nlohmann::json::array({{{"@type", "type.googleapis.com/google.rpc.RetryInfo"},
                                            {"retryDelay", "45.837906927s"}}})}};
    REQUIRE(GeminiErrors::retryDelay(error));
    CHECK(GeminiErrors::retryDelay(error)->count() >= 45837);
    CHECK_FALSE(GeminiErrors::retryDelay({{"message", "nothing here"}}));
    CHECK_FALSE(GeminiErrors::retryDelay(nlohmann::json::array()));

    CHECK(GeminiErrors::fromOperationError({{"code", 8}, {"message", "quota"}}, "").kind ==
          ProviderFailure::Kind::Permanent);
    CHECK(GeminiErrors::fromOperationError({{"code", 3}, {"message", "Blocked by safety filters"}},
                                           "")
              .kind == ProviderFailure::Kind::Blocked);
    CHECK(GeminiErrors::fromOperationError("not an object", "").kind ==
          ProviderFailure::Kind::Permanent);

    CHECK(GeminiErrors::isBlockingFinishReason("IMAGE_SAFETY"));
    CHECK(GeminiErrors::isBlockingFinishReason("PROHIBITED_CONTENT"));
    CHECK(GeminiErrors::isBlockingFinishReason("SAFETY"));
    CHECK_FALSE(GeminiErrors::isBlockingFinishReason("NO_IMAGE"));
    CHECK_FALSE(GeminiErrors::isBlockingFinishReason("STOP"));
    CHECK_FALSE(GeminiErrors::isBlockingFinishReason(""));

    const std::string key = "AIzaSyA-abcdefghijklmnopqrstuvwxyz012345";
    CHECK(GeminiErrors::scrub("bad key " + key + " here", key) == "bad key <redacted> here");
    CHECK(GeminiErrors::scrub("other AIzaSyB_zyxwvutsrqponmlkjihgfedcba98765 x", "") ==
          "other <redacted> x");
    CHECK(GeminiErrors::scrub("AIza is a prefix", "") == "AIza is a prefix");
}

TEST_CASE("GeminiErrors survives error replies that are not Google's shape", "[google][errors]") {
    http::Response response;
    response.status = 500;
    for (const char* body : {"", "<html>oops</html>", "[]", "{\"error\": 5}", "[{\"error\": {}}]",
                             "{\"error\": {\"message\": 7, \"details\": {}}}"}) {
        response.body = body;
        const ProviderFailure failure = GeminiErrors::fromReply(response, "");
        CHECK(failure.kind == ProviderFailure::Kind::Retryable);
        CHECK(failure.httpStatus == 500);
    }
    response.status = 404;
    response.body =
        R"([{"error": {"code": 404, "message": "models/x is not found", "status": "NOT_FOUND"}}])";
    const ProviderFailure notFound = GeminiErrors::fromReply(response, "");
    CHECK(notFound.kind == ProviderFailure::Kind::Permanent);
    CHECK(notFound.message.find("models/x is not found") != std::string::npos);
}

TEST_CASE("Encoded images are checked for completeness", "[google][images]") {
    const std::string png = test::encodeTestImage(test::makeTestImage(40, 30, 1), ".png");
    const std::string jpg = test::encodeTestImage(test::makeTestImage(40, 30, 1), ".jpg");
    const std::string webp = test::encodeTestImage(test::makeTestImage(40, 30, 1), ".webp");
    for (const std::string& image : {png, jpg, webp}) {
        CHECK(encodedImageLooksComplete(image));
        CHECK_FALSE(encodedImageLooksComplete(image.substr(0, image.size() / 2)));
        CHECK_FALSE(encodedImageLooksComplete(image.substr(0, image.size() - 1)));
    }
    CHECK_FALSE(encodedImageLooksComplete(""));
    CHECK_FALSE(encodedImageLooksComplete("GIF89a"));
}

TEST_CASE("Google settings come from the table or from models.json", "[google][settings]") {
    const GoogleSettings defaults = GoogleSettings::defaults();
    CHECK(defaults.maxReferenceImagesFor("gemini-2.5-flash-image") == 3);
    CHECK(defaults.maxReferenceImagesFor("gemini-2.5-flash-image-preview") == 3);
    CHECK(defaults.maxReferenceImagesFor("models/gemini-3-pro-image") == 14);
    CHECK(defaults.maxReferenceImagesFor("something-new") == defaults.defaultMaxReferenceImages);
    CHECK_FALSE(defaults.supportsImageSizeFor("gemini-2.5-flash-image"));
    CHECK(defaults.supportsImageSizeFor("gemini-3-pro-image-preview"));

    const auto catalog = ModelCatalog::parse(R"({"format": "ripen-models", "version": 1, "models": [
        {"provider": "google", "id": "gemini-2.5-flash-image", "name": "Nano Banana",
         "kinds": ["text-to-image", "edit-image"], "max_reference_images": 5, "image_sizes": []},
        {"provider": "google", "id": "gemini-4-image", "name": "Future",
         "kinds": ["text-to-image"], "max_reference_images": 20, "image_sizes": ["1K", "2K"]},
        {"provider": "google", "id": "veo-3.1-generate-preview", "name": "Veo",
         "kinds": ["image-to-video"], "max_reference_images": 1}]})",
                                             "models.json");
    REQUIRE(catalog);
    const GoogleSettings settings = GoogleSettings::fromCatalog(*catalog);
    CHECK(settings.maxReferenceImagesFor("gemini-2.5-flash-image") == 5);
    CHECK_FALSE(settings.supportsImageSizeFor("gemini-2.5-flash-image"));
    CHECK(settings.maxReferenceImagesFor("gemini-4-image") == 20);
    CHECK(settings.supportsImageSizeFor("gemini-4-image"));
    CHECK(settings.maxReferenceImagesFor("gemini-3-pro-image") == 14);
    CHECK(settings.traitsFor("veo-3.1-generate-preview") == nullptr);
}
