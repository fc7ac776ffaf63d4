// How a masked edit becomes a Gemini instruction: the region in words, and the request
// that carries the picture without the mask.

#include "providers/google/GeminiInpaint.h"

#include "support/MaskChecks.h"
#include "support/TempDir.h"
#include "support/TestImages.h"

#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::providers::google;
using namespace ripen::test;

TEST_CASE("The region of a mask is said in percent and by its place", "[google][inpaint]") {
    const cv::Size size(200, 100);
    CHECK(GeminiInpaint::regionText(rectMask(size, {140, 0, 60, 30})) ==
          "the region from 70% to 100% across and 0% to 30% down the picture (top right)");
    CHECK(GeminiInpaint::regionText(rectMask(size, {80, 40, 40, 20})) ==
          "the region from 40% to 60% across and 40% to 60% down the picture (centre)");
    CHECK(GeminiInpaint::regionText(rectMask(size, {0, 70, 50, 30})) ==
          "the region from 0% to 25% across and 70% to 100% down the picture (bottom left)");
    CHECK(GeminiInpaint::regionText(rectMask(size, {90, 80, 20, 20})) ==
          "the region from 45% to 55% across and 80% to 100% down the picture (bottom centre)");
    CHECK(GeminiInpaint::regionText(cv::Mat::zeros(size, CV_8UC1)) == "the whole picture");
}

TEST_CASE("A masked edit is sent as one picture with an instruction", "[google][inpaint]") {
    TempDir dir;
    writeTestImage(dir / "photo.png", makeTestImage(200, 100, 5));
    writeTestImage(dir / "mask.png", rectMask({200, 100}, {140, 0, 60, 30}));
    GenerationRequest inpaint;
    inpaint.kind = JobKind::Inpaint;
    inpaint.provider = "google";
    inpaint.model = "gemini-3-pro-image";
    inpaint.prompt = "a red kite";
    inpaint.images = {dir / "photo.png"};
    inpaint.mask = dir / "mask.png";

    const auto edit = GeminiInpaint::editRequest(inpaint);
    REQUIRE(edit);
    CHECK(edit->kind == JobKind::EditImage);
    CHECK(edit->model == "gemini-3-pro-image");
    CHECK(edit->images == std::vector<std::filesystem::path>{dir / "photo.png"});
    CHECK_FALSE(edit->mask);
    CHECK(edit->prompt ==
          "Edit this picture. Change only the region from 70% to 100% across and 0% to 30% "
          "down the picture (top right): a red kite. Keep everything outside that region "
          "exactly as it is: the same composition, framing, perspective, lighting and "
          "colours. Return the whole picture at its size.");

    GenerationRequest erase = inpaint;
    erase.kind = JobKind::Erase;
    erase.prompt.clear();
    const auto removal = GeminiInpaint::editRequest(erase);
    REQUIRE(removal);
    CHECK_THAT(removal->prompt, Catch::StartsWith("Edit this picture. Remove what is in the "
                                                  "region from 70% to 100% across"));

    GenerationRequest noPrompt = inpaint;
    noPrompt.prompt.clear();
    const auto refused = GeminiInpaint::editRequest(noPrompt);
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().message, Catch::Contains("needs a prompt"));

    GenerationRequest lostMask = inpaint;
    lostMask.mask = dir / "gone.png";
    const auto unreadable = GeminiInpaint::editRequest(lostMask);
    REQUIRE_FALSE(unreadable);
    CHECK(unreadable.error().kind == ProviderFailure::Kind::Permanent);
    CHECK_THAT(unreadable.error().message, Catch::Contains("gone.png"));
}
