#include "imaging/upscale/SrEngine.h"

#include "ReferenceNet.h"

#include <catch2/catch.hpp>

using namespace ripen;
using namespace ripen::test;

namespace {

cv::Mat runEngine(const SrNetwork& network, const cv::Mat& image) {
    auto engine = SrEngine::create(network);
    REQUIRE(engine);
    auto out = engine->run(image);
    REQUIRE(out);
    return *out;
}

} // namespace

TEST_CASE("a network of every operation runs as the direct implementation computes it",
          "[upscale]") {
    const auto [scale, depthToSpace, channelsFirst] =
        GENERATE(std::tuple{2, true, true}, std::tuple{3, true, false}, std::tuple{4, false, true},
                 std::tuple{4, true, true});
    SrNetwork network = everyOpNetwork(scale, depthToSpace, channelsFirst, 7U + scale);
    REQUIRE(network.validate());
    CHECK(network.scale == scale);
    const cv::Mat image = randomImage(13, 9, 3);
    const cv::Mat out = runEngine(network, image);
    REQUIRE(out.size() == cv::Size(13 * scale, 9 * scale));
    const cv::Mat expected = referenceRun(network, image);
    // 0..255 units: a thousandth of a level is float rounding, a wrong op is tens of levels.
    CHECK(maxDifference(out, expected) < 1e-3 * 255);
    // The skip path alone would pass a broken body: the body must change the pixels.
    cv::Mat nearest;
    cv::resize(image, nearest, out.size(), 0, 0, cv::INTER_NEAREST);
    nearest.convertTo(nearest, CV_32F);
    CHECK(maxDifference(out, nearest) > 1.0);
}

TEST_CASE("a hand-computed 1x1 convolution maps each pixel as its weights say", "[upscale]") {
    // out.R = 0.5 * B, out.G = G + 10/255, out.B = R, upsampled x2 by depth-to-space of 12
    // channels where every 2x2 block repeats the pixel.
    SrNetwork network;
    network.inputScale = 1.0F;
    network.outputScale = 1.0F;
    addLayer(network, simpleLayer("image", SrOp::Input, {}));
    SrLayer conv = simpleLayer("mix", SrOp::Conv, {0});
    conv.outChannels = 12;
    conv.kernel = 1;
    conv.weights.assign(12 * 3, 0.0F);
    conv.bias.assign(12, 0.0F);
    for (int block = 0; block < 4; ++block) { // PyTorch order: channel c*4 + block
        conv.weights[static_cast<std::size_t>((0 * 4 + block) * 3 + 2)] = 0.5F;
        conv.weights[static_cast<std::size_t>((1 * 4 + block) * 3 + 1)] = 1.0F;
        conv.bias[static_cast<std::size_t>(1 * 4 + block)] = 10.0F / 255.0F;
        conv.weights[static_cast<std::size_t>((2 * 4 + block) * 3 + 0)] = 1.0F;
    }
    const int mix = addLayer(network, std::move(conv));
    SrLayer shuffle = simpleLayer("shuffle", SrOp::DepthToSpace, {mix});
    shuffle.factor = 2;
    network.output = addLayer(network, std::move(shuffle));
    REQUIRE(network.validate());
    cv::Mat image(1, 2, CV_8UC3);
    image.at<cv::Vec3b>(0, 0) = {200, 100, 40}; // B, G, R
    image.at<cv::Vec3b>(0, 1) = {0, 245, 255};
    const cv::Mat out = runEngine(network, image);
    REQUIRE(out.size() == cv::Size(4, 2));
    for (int y = 0; y < 2; ++y) {
        for (int x = 0; x < 4; ++x) {
            const cv::Vec3f pixel = out.at<cv::Vec3f>(y, x);
            const cv::Vec3f expected = x < 2 ? cv::Vec3f(40, 110, 100) : cv::Vec3f(255, 255, 0);
            CHECK(cv::norm(pixel - expected) < 0.01);
        }
    }
}

TEST_CASE("a network whose weights do not fit its graph is refused naming the layer", "[upscale]") {
    SrNetwork network = everyOpNetwork(2, true, true, 1);
    network.layers[3].weights.pop_back(); // "branch"
    auto checked = network.validate();
    REQUIRE_FALSE(checked);
    CHECK(checked.error().message.find("'branch'") != std::string::npos);
    CHECK(checked.error().message.find("weights hold") != std::string::npos);

    SrNetwork wide = everyOpNetwork(2, true, true, 1);
    wide.layers[1].outChannels = 1'000'000; // "head"
    auto absurd = wide.validate();
    REQUIRE_FALSE(absurd);
    CHECK(absurd.error().message.find("'head'") != std::string::npos);
}
