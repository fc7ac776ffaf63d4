#include "imaging/upscale/TfjsModelReader.h"

#include "ReferenceNet.h"
#include "common/FileIo.h"
#include "imaging/upscale/SrEngine.h"
#include "support/TempDir.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace ripen;
using namespace ripen::test;
using nlohmann::json;

namespace {

// Writes a TF.js layers model the way the UpscalerJS converter does (Keras topology,
// HWIO kernels, one weight group split over two shards) and keeps the SrNetwork it should
// read as, so the importer is checked against weights it could not have invented.
class TfjsModelWriter {
public:
    explicit TfjsModelWriter(float range) {
        m_expected.inputScale = range;
        m_expected.outputScale = range;
        m_layers.push_back(
            {{"class_name", "InputLayer"},
             {"name", "LR"},
             {"config", {{"name", "LR"}, {"batch_input_shape", {nullptr, nullptr, nullptr, 3}}}},
             {"inbound_nodes", json::array()}});
        addLayer(m_expected, simpleLayer("LR", SrOp::Input, {}));
        m_index["LR"] = 0;
        m_channels["LR"] = 3;
    }

    void conv(const std::string& name, const std::string& input, int filters, int kernel,
              bool relu = false) {
        const int in = m_channels.at(input);
        const int idx = addConv(m_expected, name, m_index.at(input), in, filters, kernel, m_random);
        const SrLayer& layer = m_expected.layers[static_cast<std::size_t>(idx)];
        std::vector<float> hwio(layer.weights.size());
        for (int o = 0; o < filters; ++o)
            for (int i = 0; i < in; ++i)
                for (int y = 0; y < kernel; ++y)
                    for (int x = 0; x < kernel; ++x)
                        hwio[((static_cast<std::size_t>(y) * kernel + x) * in + i) * filters + o] =
                            layer.weights[((static_cast<std::size_t>(o) * in + i) * kernel + y) *
                                              kernel +
                                          x];
        m_weights.push_back({name + "/kernel", {kernel, kernel, in, filters}, hwio});
        m_weights.push_back({name + "/bias", {filters}, layer.bias});
        json config = {{"name", name},
                       {"filters", filters},
                       {"kernel_size", {kernel, kernel}},
                       {"strides", {1, 1}},
                       {"padding", kernel == 1 ? "valid" : "same"},
                       {"data_format", "channels_last"},
                       {"dilation_rate", {1, 1}},
                       {"activation", relu ? "relu" : "linear"},
                       {"use_bias", true}};
        keras("Conv2D", name, config, {input});
        m_index[name] = idx;
        m_channels[name] = filters;
        if (relu) {
            m_index[name] = addLayer(m_expected, simpleLayer(name + "/relu", SrOp::Relu, {idx}));
        }
    }

    void layer(const std::string& className, const std::string& name, json config,
               std::vector<std::string> inputs, SrLayer expected, int channels) {
        for (const auto& input : inputs)
            expected.inputs.push_back(m_index.at(input));
        expected.name = name;
        keras(className, name, std::move(config), inputs);
        m_index[name] = addLayer(m_expected, std::move(expected));
        m_channels[name] = channels;
    }

    int channels(const std::string& name) const { return m_channels.at(name); }

    // Returns the path of model.json; `cut` drops bytes from the end of the last shard.
    std::filesystem::path write(const std::filesystem::path& folder, const std::string& output,
                                std::size_t cut = 0) {
        m_expected.output = m_index.at(output);
        json manifest = json::array();
        std::string bytes;
        for (const auto& weight : m_weights) {
            manifest.push_back(
                {{"name", weight.name}, {"shape", weight.shape}, {"dtype", "float32"}});
            bytes.append(reinterpret_cast<const char*>(weight.values.data()),
                         weight.values.size() * 4);
        }
        const std::size_t half = bytes.size() / 2;
        json model = {{"format", "layers-model"},
                      {"generatedBy", "keras v2.10.0"},
                      {"modelTopology",
                       {{"model_config",
                         {{"class_name", "Functional"},
                          {"config",
                           {{"name", "generator"},
                            {"layers", m_layers},
                            {"input_layers", {{"LR", 0, 0}}},
                            {"output_layers", {{output, 0, 0}}}}}}}}},
                      {"weightsManifest",
                       {{{"paths", {"group1-shard1of2.bin", "group1-shard2of2.bin"}},
                         {"weights", manifest}}}}};
        std::filesystem::create_directories(folder);
        REQUIRE(writeFileAtomically(folder / "model.json", model.dump()));
        REQUIRE(writeFileAtomically(folder / "group1-shard1of2.bin", bytes.substr(0, half)));
        REQUIRE(writeFileAtomically(folder / "group1-shard2of2.bin",
                                    bytes.substr(half, bytes.size() - half - cut)));
        return folder / "model.json";
    }

    const SrNetwork& expected() const { return m_expected; }

private:
    struct Weight {
        std::string name;
        std::vector<int> shape;
        std::vector<float> values;
    };

    void keras(const std::string& className, const std::string& name, json config,
               const std::vector<std::string>& inputs) {
        json inbound = json::array();
        for (const auto& input : inputs)
            inbound.push_back({input, 0, 0, json::object()});
        config["name"] = name;
        m_layers.push_back({{"class_name", className},
                            {"name", name},
                            {"config", config},
                            {"inbound_nodes", {inbound}}});
    }

    std::mt19937 m_random{42};
    json m_layers = json::array();
    std::vector<Weight> m_weights;
    std::map<std::string, int> m_index;
    std::map<std::string, int> m_channels;
    SrNetwork m_expected;
};

// The RDN shape of esrgan-slim (dense block, local and global residuals, nearest
// upsampling) in miniature, in 0..255 like UpscalerJS's RDN models.
TfjsModelWriter rdnModel() {
    TfjsModelWriter model(255.0F);
    model.conv("F_m1", "LR", 8, 3);
    model.conv("F_1", "F_m1", 4, 3);
    model.layer("Activation", "F_1_Relu", {{"activation", "relu"}}, {"F_1"},
                simpleLayer("", SrOp::Relu, {}), 4);
    model.layer("Concatenate", "Concat", {{"axis", 3}}, {"F_m1", "F_1_Relu"},
                simpleLayer("", SrOp::Concat, {}), 12);
    model.conv("LFF", "Concat", 8, 1);
    model.layer("Add", "LRL", json::object(), {"LFF", "F_m1"}, simpleLayer("", SrOp::Add, {}), 8);
    model.conv("UPN", "LRL", 6, 5, true);
    SrLayer up = simpleLayer("", SrOp::Upsample, {});
    up.factor = 3;
    model.layer("UpSampling2D", "UPsample", {{"size", {3, 3}}, {"interpolation", "nearest"}},
                {"UPN"}, up, 6);
    model.conv("SR", "UPsample", 3, 3);
    return model;
}

// The RRDN shape of esrgan-thick: MultiplyBeta, LeakyReLU and PixelShuffle2x, in 0..1.
TfjsModelWriter rrdnModel() {
    TfjsModelWriter model(1.0F);
    model.conv("Pre", "LR", 8, 3);
    model.conv("F_1", "Pre", 8, 3);
    SrLayer leaky = simpleLayer("", SrOp::Relu, {});
    leaky.slope = 0.3F;
    model.layer("LeakyReLU", "Leaky", {{"alpha", 0.3}}, {"F_1"}, leaky, 8);
    SrLayer beta = simpleLayer("", SrOp::Scale, {});
    beta.scale = 0.2F;
    model.layer("MultiplyBeta", "multiply_beta", {{"beta", 0.2}}, {"Leaky"}, beta, 8);
    model.layer("Add", "LRL", json::object(), {"Pre", "multiply_beta"},
                simpleLayer("", SrOp::Add, {}), 8);
    model.conv("PreShuffle", "LRL", 12, 3);
    SrLayer shuffle = simpleLayer("", SrOp::DepthToSpace, {});
    shuffle.factor = 2;
    shuffle.channelsFirst = false;
    model.layer("PixelShuffle2x", "pixel_shuffle", {{"scale", 2}}, {"PreShuffle"}, shuffle, 3);
    model.conv("SR", "pixel_shuffle", 3, 3);
    return model;
}

std::string refusal(const std::filesystem::path& path) {
    auto read = TfjsModelReader::read(path);
    REQUIRE_FALSE(read);
    return read.error().message;
}

json loadJson(const std::filesystem::path& path) {
    auto text = readFileBounded(path, 1 << 20);
    REQUIRE(text);
    return json::parse(*text);
}

} // namespace

TEST_CASE("a TF.js layers model is read with its weights and runs as its Keras graph says",
          "[upscale][tfjs]") {
    TempDir dir;
    const bool rdn = GENERATE(true, false);
    TfjsModelWriter model = rdn ? rdnModel() : rrdnModel();
    const auto path = model.write(dir / "model", "SR");
    auto network = TfjsModelReader::read(path);
    REQUIRE(network);
    CHECK(network->scale == (rdn ? 3 : 2));
    CHECK(network->inputScale == (rdn ? 255.0F : 1.0F));
    auto engine = SrEngine::create(*network);
    REQUIRE(engine);
    const cv::Mat image = randomImage(11, 7, 9);
    auto out = engine->run(image);
    REQUIRE(out);
    CHECK(maxDifference(*out, referenceRun(model.expected(), image)) < 1e-3 * 255);

    auto topology = TfjsModelReader::readTopology(path);
    REQUIRE(topology);
    CHECK(topology->scale == network->scale);
    CHECK(topology->parameterCount() == 0);
}

TEST_CASE("bad TF.js models are refused naming the layer, weight or field", "[upscale][tfjs]") {
    TempDir dir;
    TfjsModelWriter model = rdnModel();

    SECTION("truncated weights") {
        const std::string message = refusal(model.write(dir / "cut", "SR", 8));
        CHECK(message.find("weight 'SR/bias'") != std::string::npos);
        CHECK(message.find("truncated") != std::string::npos);
    }
    SECTION("an unknown layer class") {
        const auto path = model.write(dir / "unknown", "SR");
        json edited = loadJson(path);
        edited["modelTopology"]["model_config"]["config"]["layers"][2]["class_name"] = "Attention";
        REQUIRE(writeFileAtomically(path, edited.dump()));
        const std::string message = refusal(path);
        CHECK(message.find("layer 'F_1'") != std::string::npos);
        CHECK(message.find("'Attention'") != std::string::npos);
    }
    SECTION("a kernel whose shape does not match the layer") {
        const auto path = model.write(dir / "shape", "SR");
        json edited = loadJson(path);
        edited["modelTopology"]["model_config"]["config"]["layers"][2]["config"]["filters"] = 5;
        REQUIRE(writeFileAtomically(path, edited.dump()));
        const std::string message = refusal(path);
        CHECK(message.find("layer 'F_1'") != std::string::npos);
        CHECK(message.find("kernel shape") != std::string::npos);
    }
    SECTION("absurd dimensions") {
        const auto path = model.write(dir / "absurd", "SR");
        json edited = loadJson(path);
        edited["weightsManifest"][0]["weights"][0]["shape"] = {3, 3, 65536, 65536};
        REQUIRE(writeFileAtomically(path, edited.dump()));
        const std::string message = refusal(path);
        CHECK(message.find("weight 'F_m1/kernel'") != std::string::npos);
    }
    SECTION("a shard path that leaves the model's folder") {
        const auto path = model.write(dir / "escape", "SR");
        json edited = loadJson(path);
        edited["weightsManifest"][0]["paths"][0] = "../../etc/passwd";
        REQUIRE(writeFileAtomically(path, edited.dump()));
        CHECK(refusal(path).find("weightsManifest path") != std::string::npos);
    }
    SECTION("a field of the wrong type") {
        const auto path = model.write(dir / "type", "SR");
        json edited = loadJson(path);
        edited["modelTopology"]["model_config"]["config"]["layers"][1]["config"]["kernel_size"] =
            "big";
        REQUIRE(writeFileAtomically(path, edited.dump()));
        const std::string message = refusal(path);
        CHECK(message.find(path.string()) == 0);
    }
}
