#include "imaging/upscale/NcnnModelReader.h"

#include "common/FileIo.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <opencv2/core.hpp>
#include <sstream>

namespace ripen {
namespace {

constexpr std::uint64_t kMaxParamBytes = 1ULL << 20;
constexpr std::uint64_t kMaxBinBytes = 1ULL << 30;
constexpr int kMaxLayers = 10000;
constexpr int kNotAnInteger = std::numeric_limits<int>::min();
// Far above any kernel or upscale factor SrNetwork runs (it names the real limits); only
// keeps the shape arithmetic here from overflowing before that check.
constexpr int kMaxShapeNumber = 4096;
constexpr std::uint32_t kFloat16Tag = 0x01306B47;
// realesrgan-ncnn-vulkan's "prepadding" (mirrored, see SrNetwork::edgePad): its results are
// what users of these models know.
constexpr int kRealEsrganEdgePad = 10;

std::unexpected<Error> layerError(ErrorCode code, const std::string& layer,
                                  const std::string& what) {
    return fail(code, "layer '" + layer + "': " + what);
}

// One layer line: "Type name bottoms tops b... t... key=value...".
struct ParamLine {
    std::string type;
    std::string name;
    std::vector<std::string> bottoms;
    std::vector<std::string> tops;
    std::map<int, std::vector<float>> values; // arrays (key -23300 - id) hold several

    float number(int key, float fallback) const {
        auto found = values.find(key);
        return found == values.end() || found->second.empty() ? fallback : found->second[0];
    }
    // ncnn writes these as integers. One no int holds, or not a number at all, becomes
    // kNotAnInteger, which every check refuses (casting it would be undefined behaviour).
    int integer(int key, int fallback) const {
        const float value = number(key, static_cast<float>(fallback));
        return std::isfinite(value) && std::fabs(value) < 1e9F ? static_cast<int>(value)
                                                               : kNotAnInteger;
    }
};

Result<ParamLine> parseLine(const std::string& text) {
    std::istringstream in(text);
    ParamLine line;
    int bottoms = 0;
    int tops = 0;
    if (!(in >> line.type >> line.name >> bottoms >> tops) || bottoms < 0 || tops < 0 ||
        bottoms > 64 || tops > 64) {
        return fail(ErrorCode::Corrupt, "layer line '" + text.substr(0, 80) + "' is malformed");
    }
    line.bottoms.resize(static_cast<std::size_t>(bottoms));
    line.tops.resize(static_cast<std::size_t>(tops));
    for (auto& blob : line.bottoms) {
        in >> blob;
    }
    for (auto& blob : line.tops) {
        in >> blob;
    }
    std::string pair;
    while (in >> pair) {
        const auto equals = pair.find('=');
        if (equals == std::string::npos) {
            return layerError(ErrorCode::Corrupt, line.name, "parameter '" + pair + "'");
        }
        try {
            int key = std::stoi(pair.substr(0, equals));
            std::string value = pair.substr(equals + 1);
            std::vector<float> numbers;
            if (key <= -23300) {
                key = -key - 23300;
                value = value.substr(value.find(',') + 1); // the count comes first
            }
            std::istringstream list(value);
            for (std::string item; std::getline(list, item, ',');) {
                numbers.push_back(std::stof(item));
            }
            line.values[key] = std::move(numbers);
        } catch (const std::exception&) {
            return layerError(ErrorCode::Corrupt, line.name, "parameter '" + pair + "'");
        }
    }
    if (!in.eof() || line.bottoms.empty() != (line.type == "Input") ||
        (line.tops.size() != 1 && line.type != "Split")) {
        return layerError(ErrorCode::Corrupt, line.name,
                          "inputs or outputs do not fit " + line.type);
    }
    return line;
}

// Consumes the .bin in layer order, as ncnn's ModelBin does.
class WeightStream {
public:
    explicit WeightStream(const std::string* bytes) : m_bytes(bytes) {}

    // ncnn's "type 0" array: a 4-byte tag (0 = float32, kFloat16Tag = float16), then data.
    Result<std::vector<float>> tagged(std::size_t count, const std::string& layer) {
        if (m_bytes == nullptr) {
            return std::vector<float>{};
        }
        std::uint32_t tag = 0;
        if (!take(&tag, 4)) {
            return truncated(layer);
        }
        if (tag == 0) {
            return raw(count, layer);
        }
        if (tag != kFloat16Tag) {
            return layerError(ErrorCode::Unsupported, layer,
                              "weights stored as tag " + std::to_string(tag) +
                                  " (Ripen reads float32 and float16)");
        }
        std::vector<std::uint16_t> halves(count);
        if (!take(halves.data(), count * 2)) {
            return truncated(layer);
        }
        m_offset = (m_offset + 3) / 4 * 4; // ncnn pads float16 arrays to 4 bytes
        std::vector<float> values(count);
        for (std::size_t i = 0; i < count; ++i) {
            values[i] = static_cast<float>(cv::float16_t::fromBits(halves[i]));
        }
        return values;
    }

    Result<std::vector<float>> raw(std::size_t count, const std::string& layer) {
        if (m_bytes == nullptr) {
            return std::vector<float>{};
        }
        std::vector<float> values(count);
        if (!take(values.data(), count * 4)) {
            return truncated(layer);
        }
        return values;
    }

    Status finish() const {
        if (m_bytes != nullptr && m_offset != m_bytes->size()) {
            return fail(ErrorCode::Corrupt, "the .bin holds " + std::to_string(m_bytes->size()) +
                                                " bytes, the layers use " +
                                                std::to_string(m_offset));
        }
        return {};
    }

private:
    bool take(void* target, std::size_t bytes) {
        if (bytes > m_bytes->size() - m_offset) {
            return false;
        }
        std::memcpy(target, m_bytes->data() + m_offset, bytes);
        m_offset += bytes;
        return true;
    }

    std::unexpected<Error> truncated(const std::string& layer) const {
        return layerError(ErrorCode::Corrupt, layer,
                          "the .bin ends at byte " + std::to_string(m_bytes->size()) +
                              " before this layer's weights (truncated?)");
    }

    const std::string* m_bytes;
    std::size_t m_offset = 0;
};

class GraphBuilder {
public:
    explicit GraphBuilder(WeightStream weights) : m_weights(std::move(weights)) {}

    Status add(const ParamLine& line) {
        std::vector<int> inputs;
        for (const std::string& blob : line.bottoms) {
            auto found = m_blobs.find(blob);
            if (found == m_blobs.end()) {
                return layerError(ErrorCode::Corrupt, line.name,
                                  "input blob '" + blob + "' is not produced earlier");
            }
            inputs.push_back(found->second);
        }
        if (line.type == "Split") {
            for (const std::string& top : line.tops) {
                m_blobs[top] = inputs.front();
            }
            return {};
        }
        SrLayer layer;
        layer.name = line.name;
        layer.inputs = inputs;
        auto built = build(line, layer);
        if (!built) {
            return std::unexpected(built.error());
        }
        m_blobs[line.tops.front()] = *built;
        m_lastTop = line.tops.front();
        return {};
    }

    // Every byte of the .bin must have been used; checked after validate(), which names the
    // layer whose declared size is wrong, where a leftover count could not.
    Status weightsUsedUp() const { return m_weights.finish(); }

    SrNetwork finish() {
        const auto output = m_blobs.find("output");
        m_network.output = output != m_blobs.end() ? output->second : m_blobs[m_lastTop];
        m_network.inputScale = 1.0F;
        m_network.outputScale = 1.0F;
        m_network.edgePad = kRealEsrganEdgePad;
        return std::move(m_network);
    }

private:
    // Tracks each layer's channel count as it is added, so a convolution's declared weight
    // size is checked before its bytes are read: a wrong size would otherwise shift every
    // later layer's weights and be blamed on the wrong layer.
    int push(SrLayer layer) {
        int channels = 3;
        if (layer.op == SrOp::Conv) {
            channels = layer.outChannels;
        } else if (!layer.inputs.empty()) {
            channels = 0;
            for (int input : layer.inputs) {
                channels += m_channels[static_cast<std::size_t>(input)];
                if (layer.op != SrOp::Concat) {
                    break;
                }
            }
            if (layer.op == SrOp::DepthToSpace && layer.factor > 0 &&
                layer.factor <= kMaxShapeNumber) {
                channels /= layer.factor * layer.factor;
            }
        }
        m_channels.push_back(channels);
        m_network.layers.push_back(std::move(layer));
        return static_cast<int>(m_network.layers.size()) - 1;
    }

    // Adds the layer and any it implies (a fused activation, coefficient scaling); returns
    // the index holding its output.
    Result<int> build(const ParamLine& line, SrLayer& layer) {
        const std::string& type = line.type;
        if (type == "Input") {
            layer.op = SrOp::Input;
            return push(std::move(layer));
        }
        if (type == "Convolution") {
            return convolution(line, layer);
        }
        if (type == "ReLU") {
            layer.op = SrOp::Relu;
            layer.slope = line.number(0, 0.0F);
            return push(std::move(layer));
        }
        if (type == "PReLU") {
            layer.op = SrOp::Prelu;
            const int count = line.integer(0, 0);
            if (count < 1 || count > 4096) {
                return layerError(ErrorCode::Corrupt, line.name,
                                  "num_slope " + std::to_string(count));
            }
            auto slopes = m_weights.raw(static_cast<std::size_t>(count), line.name);
            if (!slopes) {
                return std::unexpected(slopes.error());
            }
            layer.weights = std::move(*slopes);
            if (layer.weights.empty()) {
                layer.weights.assign(static_cast<std::size_t>(count), 0.0F); // topology only
            }
            return push(std::move(layer));
        }
        if (type == "PixelShuffle") {
            layer.op = SrOp::DepthToSpace;
            layer.factor = line.integer(0, 1);
            layer.channelsFirst = line.integer(1, 0) == 0;
            return push(std::move(layer));
        }
        if (type == "Interp") {
            const int mode = line.integer(0, 0);
            const float height = line.number(1, 1.0F);
            const float width = line.number(2, 1.0F);
            if (mode != 1 || height != width || height != std::round(height) || height < 2) {
                return layerError(ErrorCode::Unsupported, line.name,
                                  "Interp resize_type " + std::to_string(mode) + " by " +
                                      std::to_string(height) +
                                      " (Ripen runs nearest-neighbour by whole factors)");
            }
            layer.op = SrOp::Upsample;
            layer.factor = static_cast<int>(height);
            return push(std::move(layer));
        }
        if (type == "BinaryOp") {
            return binaryOp(line, layer);
        }
        if (type == "Eltwise") {
            return eltwise(line, layer);
        }
        if (type == "Concat") {
            if (line.integer(0, 0) != 0) {
                return layerError(ErrorCode::Unsupported, line.name,
                                  "Concat axis other than channels");
            }
            layer.op = SrOp::Concat;
            return push(std::move(layer));
        }
        return layerError(ErrorCode::Unsupported, line.name,
                          "layer type '" + type + "' is not supported");
    }

    Result<int> convolution(const ParamLine& line, SrLayer& layer) {
        layer.op = SrOp::Conv;
        layer.outChannels = line.integer(0, 0);
        layer.kernel = line.integer(1, 0);
        layer.pad = line.integer(4, 0);
        if (line.integer(11, layer.kernel) != layer.kernel || line.integer(2, 1) != 1 ||
            line.integer(12, 1) != 1 || line.integer(3, 1) != 1 || line.integer(13, 1) != 1 ||
            line.integer(14, layer.pad) != layer.pad || line.integer(15, layer.pad) != layer.pad ||
            line.integer(16, layer.pad) != layer.pad || line.integer(8, 0) != 0) {
            return layerError(ErrorCode::Unsupported, line.name,
                              "only square, stride 1, undilated, evenly padded float convolutions");
        }
        if (layer.kernel < 1 || layer.kernel > kMaxShapeNumber) {
            return layerError(ErrorCode::Corrupt, line.name,
                              "kernel_w " + std::to_string(layer.kernel));
        }
        const int size = line.integer(6, 0);
        if (size < 1 || layer.outChannels < 1 || layer.outChannels > 4096) {
            return layerError(ErrorCode::Corrupt, line.name,
                              "weight_data_size " + std::to_string(size) + " for " +
                                  std::to_string(layer.outChannels) + " outputs");
        }
        const auto inChannels =
            static_cast<std::int64_t>(m_channels[static_cast<std::size_t>(layer.inputs.front())]);
        const std::int64_t expected = inChannels * layer.outChannels * layer.kernel * layer.kernel;
        if (size != expected) {
            return layerError(ErrorCode::Corrupt, line.name,
                              "weight_data_size " + std::to_string(size) + ", the shape needs " +
                                  std::to_string(expected) + " (" +
                                  std::to_string(layer.outChannels) + "x" +
                                  std::to_string(inChannels) + "x" + std::to_string(layer.kernel) +
                                  "x" + std::to_string(layer.kernel) + ")");
        }
        auto weights = m_weights.tagged(static_cast<std::size_t>(size), line.name);
        if (!weights) {
            return std::unexpected(weights.error());
        }
        layer.weights = std::move(*weights);
        if (line.integer(5, 0) != 0) {
            auto bias = m_weights.raw(static_cast<std::size_t>(layer.outChannels), line.name);
            if (!bias) {
                return std::unexpected(bias.error());
            }
            layer.bias = std::move(*bias);
        } else if (!layer.weights.empty()) {
            layer.bias.assign(static_cast<std::size_t>(layer.outChannels), 0.0F);
        }
        const int activation = line.integer(9, 0);
        const std::string name = layer.name;
        const int conv = push(std::move(layer));
        if (activation == 0) {
            return conv;
        }
        if (activation != 1 && activation != 2) {
            return layerError(ErrorCode::Unsupported, name,
                              "fused activation_type " + std::to_string(activation));
        }
        SrLayer relu;
        relu.name = name + "/relu";
        relu.op = SrOp::Relu;
        relu.slope = activation == 2 ? line.number(10, 0.0F) : 0.0F;
        relu.inputs = {conv};
        return push(std::move(relu));
    }

    Result<int> binaryOp(const ParamLine& line, SrLayer& layer) {
        const int op = line.integer(0, 0);
        const bool scalar = line.integer(1, 0) != 0;
        if (op == 0 && !scalar && layer.inputs.size() == 2) {
            layer.op = SrOp::Add;
            return push(std::move(layer));
        }
        if (op == 2 && scalar && layer.inputs.size() == 1) {
            layer.op = SrOp::Scale;
            layer.scale = line.number(2, 0.0F);
            return push(std::move(layer));
        }
        return layerError(ErrorCode::Unsupported, line.name,
                          "BinaryOp op_type " + std::to_string(op) +
                              (scalar ? " with a scalar" : "") +
                              " (Ripen runs the sum of two blobs and the product with a scalar)");
    }

    // Real-ESRGAN's residual "x * 0.2 + input" arrives as Eltwise sum with coefficients.
    Result<int> eltwise(const ParamLine& line, SrLayer& layer) {
        if (line.integer(0, 1) != 1) {
            return layerError(ErrorCode::Unsupported, line.name, "Eltwise other than sum");
        }
        const auto coefficients = line.values.find(1);
        if (coefficients != line.values.end()) {
            if (coefficients->second.size() != layer.inputs.size()) {
                return layerError(ErrorCode::Corrupt, line.name,
                                  "coefficient count does not match the inputs");
            }
            for (std::size_t i = 0; i < layer.inputs.size(); ++i) {
                if (coefficients->second[i] != 1.0F) {
                    SrLayer scale;
                    scale.name = line.name + "/coeff" + std::to_string(i);
                    scale.op = SrOp::Scale;
                    scale.scale = coefficients->second[i];
                    scale.inputs = {layer.inputs[i]};
                    layer.inputs[i] = push(std::move(scale));
                }
            }
        }
        layer.op = SrOp::Add;
        return push(std::move(layer));
    }

    WeightStream m_weights;
    SrNetwork m_network;
    std::map<std::string, int> m_blobs;
    std::vector<int> m_channels; // per layer
    std::string m_lastTop;
};

Result<SrNetwork> load(const std::filesystem::path& path, bool withWeights) {
    auto text = readFileBounded(path, kMaxParamBytes);
    if (!text) {
        return std::unexpected(text.error());
    }
    std::string bin;
    if (withWeights) {
        auto bytes =
            readFileBounded(std::filesystem::path(path).replace_extension(".bin"), kMaxBinBytes);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        bin = std::move(*bytes);
    }
    std::istringstream in(*text);
    std::string line;
    int layers = 0;
    int blobs = 0;
    if (!std::getline(in, line) || line.find("7767517") != 0) {
        return fail(ErrorCode::Corrupt,
                    "magic: not an ncnn .param (the first line must be 7767517)");
    }
    if (!std::getline(in, line) || !(std::istringstream(line) >> layers >> blobs) || layers < 1 ||
        layers > kMaxLayers || blobs < 1 || blobs > kMaxLayers * 64) {
        return fail(ErrorCode::Corrupt, "layer and blob counts: '" + line.substr(0, 40) + "'");
    }
    GraphBuilder builder(WeightStream(withWeights ? &bin : nullptr));
    int read = 0;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        if (++read > layers) {
            return fail(ErrorCode::Corrupt,
                        "more layer lines than the declared " + std::to_string(layers));
        }
        auto parsed = parseLine(line);
        if (!parsed) {
            return std::unexpected(parsed.error());
        }
        if (auto ok = builder.add(*parsed); !ok) {
            return std::unexpected(ok.error());
        }
    }
    if (read != layers) {
        return fail(ErrorCode::Corrupt, "the .param declares " + std::to_string(layers) +
                                            " layers and lists " + std::to_string(read));
    }
    SrNetwork network = builder.finish();
    if (auto ok = network.validate(withWeights); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = builder.weightsUsedUp(); !ok) {
        return std::unexpected(ok.error());
    }
    return network;
}

} // namespace

Result<SrNetwork> NcnnModelReader::read(const std::filesystem::path& param) {
    auto network = load(param, true);
    if (!network) {
        return std::unexpected(withContext(network.error(), param.string()));
    }
    return network;
}

Result<SrNetwork> NcnnModelReader::readTopology(const std::filesystem::path& param) {
    auto network = load(param, false);
    if (!network) {
        return std::unexpected(withContext(network.error(), param.string()));
    }
    return network;
}

} // namespace ripen
