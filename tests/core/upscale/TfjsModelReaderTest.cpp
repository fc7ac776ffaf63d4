#include "imaging/upscale/TfjsModelReader.h"

#include "ReferenceNet.h"
#include "common/FileIo.h"
#include "imaging/upscale/SrEngine.h"
#include "imaging/upscale/internal/TfjsWeightDecoder.h"
#include "support/TempDir.h"

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

using namespace ripen;
using namespace ripen::test;
using nlohmann::json;

namespace {

// How the writer stores weights: as float32, or quantized the way the TF.js converter's
// --quantize_uint8 / --quantize_uint16 / --quantize_float16 options do.
enum class Encoding { Float32, Uint8, Uint16, Float16 };

// The grid a uint8/uint16 weight is stored on: value = q * scale + min.
struct Grid {
    double min = 0.0;
    double scale = 1.0;
};

int levels(Encoding encoding) {
    return encoding == Encoding::Uint8 ? 255 : 65535;
}

// Moves the values onto what the encoding can store (per weight, as the converter does) and
// returns the weight's grid, so the expected network holds exactly what the file holds.
Grid snap(std::vector<float>& values, Encoding encoding) {
    if (encoding == Encoding::Float32) {
        return {};
    }
    if (encoding == Encoding::Float16) {
        for (float& value : values)
            value = static_cast<float>(static_cast<_Float16>(value));
        return {};
    }
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    Grid grid{*lo, *hi > *lo ? (static_cast<double>(*hi) - *lo) / levels(encoding) : 1.0};
    for (float& value : values)
        value =
            static_cast<float>(std::round((value - grid.min) / grid.scale) * grid.scale + grid.min);
    return grid;
}

void appendEncoded(std::string& bytes, const std::vector<float>& values, Encoding encoding,
                   const Grid& grid) {
    for (const float value : values) {
        if (encoding == Encoding::Float32) {
            bytes.append(reinterpret_cast<const char*>(&value), 4);
        } else if (encoding == Encoding::Float16) {
            const auto half = static_cast<_Float16>(value);
            bytes.append(reinterpret_cast<const char*>(&half), 2);
        } else {
            const auto q = static_cast<std::uint16_t>(std::lround((value - grid.min) / grid.scale));
            bytes.append(reinterpret_cast<const char*>(&q), encoding == Encoding::Uint8 ? 1 : 2);
        }
    }
}

json quantization(Encoding encoding, const Grid& grid) {
    switch (encoding) {
    case Encoding::Float32:
        return nullptr;
    case Encoding::Float16:
        return {{"dtype", "float16"}, {"original_dtype", "float32"}};
    case Encoding::Uint8:
    case Encoding::Uint16:
        break;
    }
    return {{"dtype", encoding == Encoding::Uint8 ? "uint8" : "uint16"},
            {"min", grid.min},
            {"scale", grid.scale},
            {"original_dtype", "float32"}};
}

// Writes a TF.js layers model the way the UpscalerJS converter does (Keras topology,
// HWIO kernels, one weight group split over two shards) and keeps the SrNetwork it should
// read as, so the importer is checked against weights it could not have invented.
class TfjsModelWriter {
public:
    explicit TfjsModelWriter(float range, Encoding encoding = Encoding::Float32)
        : m_encoding(encoding) {
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
        SrLayer& layer = m_expected.layers[static_cast<std::size_t>(idx)];
        const Grid kernelGrid = snap(layer.weights, m_encoding);
        const Grid biasGrid = snap(layer.bias, m_encoding);
        std::vector<float> hwio(layer.weights.size());
        for (int o = 0; o < filters; ++o)
            for (int i = 0; i < in; ++i)
                for (int y = 0; y < kernel; ++y)
                    for (int x = 0; x < kernel; ++x)
                        hwio[((static_cast<std::size_t>(y) * kernel + x) * in + i) * filters + o] =
                            layer.weights[((static_cast<std::size_t>(o) * in + i) * kernel + y) *
                                              kernel +
                                          x];
        m_weights.push_back({name + "/kernel", {kernel, kernel, in, filters}, hwio, kernelGrid});
        m_weights.push_back({name + "/bias", {filters}, layer.bias, biasGrid});
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
            json entry = {{"name", weight.name}, {"shape", weight.shape}, {"dtype", "float32"}};
            if (m_encoding != Encoding::Float32) {
                entry["quantization"] = quantization(m_encoding, weight.grid);
            }
            manifest.push_back(entry);
            appendEncoded(bytes, weight.values, m_encoding, weight.grid);
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
        Grid grid;
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

    Encoding m_encoding;
    std::mt19937 m_random{42};
    json m_layers = json::array();
    std::vector<Weight> m_weights;
    std::map<std::string, int> m_index;
    std::map<std::string, int> m_channels;
    SrNetwork m_expected;
};

// The RDN shape of esrgan-slim (dense block, local and global residuals, nearest
// upsampling) in miniature, in 0..255 like UpscalerJS's RDN models.
TfjsModelWriter rdnModel(Encoding encoding = Encoding::Float32) {
    TfjsModelWriter model(255.0F, encoding);
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
TfjsModelWriter rrdnModel(Encoding encoding = Encoding::Float32) {
    TfjsModelWriter model(1.0F, encoding);
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

// Runs the network read from disk and the reference over the same random image: the largest
// difference between the two.
double differenceFromReference(const SrNetwork& network, const SrNetwork& expected) {
    auto engine = SrEngine::create(network);
    REQUIRE(engine);
    const cv::Mat image = randomImage(11, 7, 9);
    auto out = engine->run(image);
    REQUIRE(out);
    return maxDifference(*out, referenceRun(expected, image));
}

std::vector<float> weightsOf(const SrNetwork& network, const std::string& layer) {
    for (const SrLayer& candidate : network.layers) {
        if (candidate.name == layer) {
            return candidate.weights;
        }
    }
    FAIL("no layer " << layer);
    return {};
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
    CHECK(differenceFromReference(*network, model.expected()) < 1e-3 * 255);

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

TEST_CASE("quantized TF.js weights are read as the values they stand for", "[upscale][tfjs]") {
    TempDir dir;
    const auto [encoding, label] =
        GENERATE(std::pair{Encoding::Uint8, "uint8"}, std::pair{Encoding::Uint16, "uint16"},
                 std::pair{Encoding::Float16, "float16"});
    const bool rdn = GENERATE(true, false);
    INFO(label << (rdn ? " RDN" : " RRDN"));
    TfjsModelWriter model = rdn ? rdnModel(encoding) : rrdnModel(encoding);
    const auto path = model.write(dir / "model", "SR");
    auto network = TfjsModelReader::read(path);
    REQUIRE(network);
    // The expected network holds the values on the stored grid; a reader that mixed up one
    // weight's min and scale with another's, or the byte width, lands far from it.
    CHECK(differenceFromReference(*network, model.expected()) < 1e-3 * 255);
    // Exactly the stored values (the same double arithmetic as TF.js), and not the float32
    // weights they were quantized from.
    const TfjsModelWriter unquantized = rdn ? rdnModel() : rrdnModel();
    for (const char* layer : {"F_1", "SR"}) {
        INFO("layer " << layer);
        CHECK(weightsOf(*network, layer) == weightsOf(model.expected(), layer));
        CHECK(weightsOf(*network, layer) != weightsOf(unquantized.expected(), layer));
    }
}

TEST_CASE("half floats decode exactly, subnormals and specials included", "[upscale][tfjs]") {
    CHECK(TfjsWeightDecoder::halfToFloat(0x3C00) == 1.0F);
    CHECK(TfjsWeightDecoder::halfToFloat(0xC000) == -2.0F);
    CHECK(TfjsWeightDecoder::halfToFloat(0x7BFF) == 65504.0F);
    CHECK(TfjsWeightDecoder::halfToFloat(0x0001) == std::ldexp(1.0F, -24));
    CHECK(TfjsWeightDecoder::halfToFloat(0x0400) == std::ldexp(1.0F, -14));
    CHECK(std::signbit(TfjsWeightDecoder::halfToFloat(0x8000)));
    CHECK(std::isinf(TfjsWeightDecoder::halfToFloat(0xFC00)));
    CHECK(std::isnan(TfjsWeightDecoder::halfToFloat(0x7E00)));
    // Every one of the 65536 patterns against the compiler's own conversion.
    int mismatches = 0;
    for (std::uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
        const auto pattern = static_cast<std::uint16_t>(bits);
        const auto half = std::bit_cast<_Float16>(pattern);
        const float expected = static_cast<float>(half);
        const float decoded = TfjsWeightDecoder::halfToFloat(pattern);
        const bool same = std::isnan(expected) ? std::isnan(decoded)
                                               : std::bit_cast<std::uint32_t>(expected) ==
                                                     std::bit_cast<std::uint32_t>(decoded);
        mismatches += same ? 0 : 1;
    }
    CHECK(mismatches == 0);
}

TEST_CASE("bad quantized TF.js manifests are refused naming the weight and field",
          "[upscale][tfjs]") {
    TempDir dir;
    const auto path = rdnModel(Encoding::Uint8).write(dir / "model", "SR");
    const json original = loadJson(path);
    REQUIRE(original["weightsManifest"][0]["weights"][0]["name"] == "F_m1/kernel");
    auto refusedWith = [&](const json& edited) {
        REQUIRE(writeFileAtomically(path, edited.dump()));
        return refusal(path);
    };
    json edited = original;
    auto& quantization = edited["weightsManifest"][0]["weights"][0]["quantization"];

    SECTION("an unknown quantization dtype") {
        quantization["dtype"] = "int4";
        const std::string message = refusedWith(edited);
        CHECK(message.find("weight 'F_m1/kernel'") != std::string::npos);
        CHECK(message.find("quantization.dtype 'int4'") != std::string::npos);
    }
    SECTION("a missing scale") {
        quantization.erase("scale");
        const std::string message = refusedWith(edited);
        CHECK(message.find("weight 'F_m1/kernel'") != std::string::npos);
        CHECK(message.find("quantization.scale") != std::string::npos);
    }
    SECTION("a min that is not a number") {
        quantization["min"] = "low";
        CHECK(refusedWith(edited).find("quantization.min") != std::string::npos);
    }
    SECTION("a stored dtype other than float32") {
        edited["weightsManifest"][0]["weights"][0]["dtype"] = "int32";
        const std::string message = refusedWith(edited);
        CHECK(message.find("weight 'F_m1/kernel'") != std::string::npos);
        CHECK(message.find("dtype 'int32'") != std::string::npos);
    }
    SECTION("a uint8 manifest whose weight claims two bytes per value") {
        // The bytes of a uint8 model read as uint16: the last weight runs off the shards.
        for (auto& weight : edited["weightsManifest"][0]["weights"])
            weight["quantization"]["dtype"] = "uint16";
        const std::string message = refusedWith(edited);
        CHECK(message.find("truncated") != std::string::npos);
        CHECK(message.find("weight '") != std::string::npos);
    }
    SECTION("a shard too short") {
        const auto cut = rdnModel(Encoding::Uint8).write(dir / "cut", "SR", 3);
        const std::string message = refusal(cut);
        CHECK(message.find("weight 'SR/bias'") != std::string::npos);
        CHECK(message.find("truncated") != std::string::npos);
    }
    SECTION("a float16 infinity") {
        const auto halves = rdnModel(Encoding::Float16).write(dir / "inf", "SR");
        auto shard = readFileBounded(dir / "inf" / "group1-shard1of2.bin", 1 << 20);
        REQUIRE(shard);
        const std::uint16_t infinity = 0x7C00;
        std::memcpy(shard->data(), &infinity, 2);
        REQUIRE(writeFileAtomically(dir / "inf" / "group1-shard1of2.bin", *shard));
        const std::string message = refusal(halves);
        CHECK(message.find("weight 'F_m1/kernel'") != std::string::npos);
        CHECK(message.find("not a finite number") != std::string::npos);
    }
}
