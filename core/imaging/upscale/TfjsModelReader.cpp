#include "imaging/upscale/TfjsModelReader.h"

#include "common/BoundedJson.h"
#include "common/FileIo.h"
#include "imaging/upscale/internal/TfjsWeightDecoder.h"

#include <map>
#include <regex>

namespace ripen {
namespace {

using nlohmann::json;

constexpr std::uint64_t kMaxModelJsonBytes = 16ULL << 20;
constexpr std::uint64_t kMaxShardBytes = 1ULL << 30;
constexpr std::uint64_t kMaxWeightsBytes = 1ULL << 30;

std::unexpected<Error> unsupported(const std::string& layer, const std::string& what) {
    return fail(ErrorCode::Unsupported, "layer '" + layer + "': " + what);
}

std::unexpected<Error> corrupt(const std::string& what) {
    return fail(ErrorCode::Corrupt, what);
}

bool isPair(const json& value, int a, int b) {
    return value.is_array() && value.size() == 2 && value[0] == a && value[1] == b;
}

// A parsed layer plus what the weight step needs to know about it.
struct PendingWeights {
    std::size_t layer = 0;
    std::string name;
    bool useBias = true;
};

struct TopologyReader {
    SrNetwork network;
    std::map<std::string, int> index; // layer name -> index of the layer holding its output
    std::vector<PendingWeights> pending;
    bool rrdn = false;

    Result<std::vector<int>> inputsOf(const json& layer, const std::string& name) {
        const json& nodes = layer.at("inbound_nodes");
        if (nodes.empty()) {
            return std::vector<int>{};
        }
        if (nodes.size() != 1) {
            return unsupported(name, "the layer is shared by several nodes");
        }
        std::vector<int> inputs;
        for (const json& inbound : nodes[0]) {
            const std::string source = inbound.at(0).get<std::string>();
            auto found = index.find(source);
            if (found == index.end()) {
                return corrupt("layer '" + name + "': input '" + source +
                               "' is not an earlier layer");
            }
            inputs.push_back(found->second);
        }
        return inputs;
    }

    int add(SrLayer layer) {
        network.layers.push_back(std::move(layer));
        return static_cast<int>(network.layers.size()) - 1;
    }

    Status conv(const json& config, SrLayer& layer) {
        const json& kernel = config.at("kernel_size");
        const int k = kernel.at(0).get<int>();
        if (!isPair(kernel, k, k)) {
            return unsupported(layer.name, "kernel_size " + kernel.dump() + " is not square");
        }
        if (!isPair(config.value("strides", json::array({1, 1})), 1, 1) ||
            !isPair(config.value("dilation_rate", json::array({1, 1})), 1, 1) ||
            config.value("groups", 1) != 1) {
            return unsupported(layer.name, "strides, dilation_rate and groups must be 1");
        }
        if (config.value("data_format", "channels_last") != "channels_last") {
            return unsupported(layer.name, "data_format must be channels_last");
        }
        const std::string padding = config.at("padding").get<std::string>();
        if (padding != "same" && !(padding == "valid" && k == 1)) {
            return unsupported(layer.name, "padding '" + padding + "' changes the size");
        }
        layer.op = SrOp::Conv;
        layer.kernel = k;
        layer.pad = k / 2;
        layer.outChannels = config.at("filters").get<int>();
        return {};
    }

    // Adds the layer(s) for one Keras layer; records which index holds its output.
    Status layer(const json& entry) {
        const std::string className = entry.at("class_name").get<std::string>();
        const json& config = entry.at("config");
        SrLayer layer;
        layer.name = config.at("name").get<std::string>();
        auto inputs = inputsOf(entry, layer.name);
        if (!inputs) {
            return std::unexpected(inputs.error());
        }
        layer.inputs = *inputs;
        std::string activation = "linear";
        static const std::regex pixelShuffle("PixelShuffle([0-9])x");
        std::smatch match;
        if (className == "InputLayer") {
            const json& shape = config.at("batch_input_shape");
            if (!shape.is_array() || shape.size() != 4 || shape[3] != 3) {
                return unsupported(layer.name, "batch_input_shape must be [null, h, w, 3]");
            }
            layer.op = SrOp::Input;
        } else if (className == "Conv2D") {
            if (auto ok = conv(config, layer); !ok) {
                return ok;
            }
            activation = config.value("activation", "linear");
            pending.push_back({network.layers.size(), layer.name, config.value("use_bias", true)});
        } else if (className == "Activation") {
            activation = config.at("activation").get<std::string>();
            if (activation == "linear" || activation == "relu") {
                if (layer.inputs.size() != 1) {
                    return corrupt("layer '" + layer.name + "': an activation takes one input");
                }
                index[layer.name] = layer.inputs.front();
                return applyActivation(activation, layer.name);
            }
            return unsupported(layer.name, "activation '" + activation + "'");
        } else if (className == "LeakyReLU") {
            layer.op = SrOp::Relu;
            layer.slope = config.value("alpha", 0.3F);
        } else if (className == "PReLU") {
            layer.op = SrOp::Prelu;
            pending.push_back({network.layers.size(), layer.name, false});
        } else if (className == "Add") {
            layer.op = SrOp::Add;
        } else if (className == "Concatenate") {
            const int axis = config.value("axis", -1);
            if (axis != -1 && axis != 3) {
                return unsupported(layer.name, "concatenation along axis " + std::to_string(axis) +
                                                   " (only channels)");
            }
            layer.op = SrOp::Concat;
        } else if (className == "UpSampling2D") {
            const json& size = config.at("size");
            layer.factor = size.at(0).get<int>();
            if (!isPair(size, layer.factor, layer.factor) ||
                config.value("interpolation", "nearest") != "nearest") {
                return unsupported(layer.name, "upsampling other than square nearest-neighbour");
            }
            layer.op = SrOp::Upsample;
        } else if (className == "MultiplyBeta") {
            layer.op = SrOp::Scale;
            layer.scale = config.value("beta", 0.2F);
            rrdn = true;
        } else if (std::regex_match(className, match, pixelShuffle)) {
            layer.op = SrOp::DepthToSpace;
            layer.factor = config.value("scale", std::stoi(match[1].str()));
            layer.channelsFirst = false;
            rrdn = true;
        } else {
            return unsupported(layer.name, "layer class '" + className + "' is not supported");
        }
        const std::string name = layer.name;
        index[name] = add(std::move(layer));
        return applyActivation(activation, name);
    }

    Status applyActivation(const std::string& activation, const std::string& name) {
        if (activation == "linear") {
            return {};
        }
        if (activation != "relu") {
            return unsupported(name, "activation '" + activation + "'");
        }
        SrLayer relu;
        relu.name = name + "/relu";
        relu.op = SrOp::Relu;
        relu.inputs = {index.at(name)};
        index[name] = add(std::move(relu));
        return {};
    }
};

Result<TopologyReader> readGraph(const json& model) {
    if (model.value("format", "layers-model") != "layers-model") {
        return fail(ErrorCode::Unsupported,
                    "format '" + model.value("format", "") + "' (only TF.js layers models)");
    }
    const json& topology = model.at("modelTopology");
    const json& config = topology.contains("model_config") ? topology.at("model_config") : topology;
    const std::string className = config.at("class_name").get<std::string>();
    if (className != "Functional" && className != "Model") {
        return fail(ErrorCode::Unsupported,
                    "modelTopology class '" + className + "' (Ripen reads Functional models)");
    }
    TopologyReader reader;
    for (const json& layer : config.at("config").at("layers")) {
        if (auto ok = reader.layer(layer); !ok) {
            return std::unexpected(ok.error());
        }
    }
    const json& outputs = config.at("config").at("output_layers");
    if (outputs.size() != 1) {
        return fail(ErrorCode::Unsupported, "output_layers: the model has " +
                                                std::to_string(outputs.size()) +
                                                " outputs, an upscaler has one");
    }
    const std::string output = outputs.at(0).at(0).get<std::string>();
    auto found = reader.index.find(output);
    if (found == reader.index.end()) {
        return corrupt("output_layers: '" + output + "' is not a layer");
    }
    reader.network.output = found->second;
    const float range = reader.rrdn ? 1.0F : 255.0F;
    reader.network.inputScale = range;
    reader.network.outputScale = range;
    return reader;
}

using WeightMap = std::map<std::string, std::pair<std::vector<int>, std::vector<float>>>;

Result<std::string> readShards(const json& group, const std::filesystem::path& folder,
                               std::uint64_t& total) {
    std::string bytes;
    for (const json& entry : group.at("paths")) {
        const std::string name = entry.get<std::string>();
        if (name.empty() || name.find('/') != std::string::npos || name == "..") {
            return corrupt("weightsManifest path '" + name + "' is not a file beside model.json");
        }
        auto shard = readFileBounded(folder / name, kMaxShardBytes);
        if (!shard) {
            return std::unexpected(shard.error());
        }
        total += shard->size();
        if (total > kMaxWeightsBytes) {
            return fail(ErrorCode::LimitExceeded, "the weight shards pass 1 GiB at " + name);
        }
        bytes += *shard;
    }
    return bytes;
}

Result<WeightMap> readWeights(const json& manifest, const std::filesystem::path& folder) {
    WeightMap weights;
    std::uint64_t total = 0;
    for (const json& group : manifest) {
        auto bytes = readShards(group, folder, total);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        std::uint64_t offset = 0;
        for (const json& spec : group.at("weights")) {
            auto weight = TfjsWeightDecoder::decode(spec, *bytes, offset);
            if (!weight) {
                return std::unexpected(weight.error());
            }
            weights[spec.at("name").get<std::string>()] = {std::move(weight->shape),
                                                           std::move(weight->values)};
        }
        if (offset != bytes->size()) {
            return corrupt("the weight shards hold " + std::to_string(bytes->size()) +
                           " bytes, the manifest lists " + std::to_string(offset));
        }
    }
    return weights;
}

const WeightMap::mapped_type* findWeight(const WeightMap& weights, const std::string& name) {
    if (auto found = weights.find(name); found != weights.end()) {
        return &found->second;
    }
    for (const auto& [key, value] : weights) {
        if (key.size() > name.size() && key.ends_with("/" + name)) {
            return &value;
        }
    }
    return nullptr;
}

// Keras kernels are [k][k][in][out]; OpenCV wants [out][in][k][k].
Status assignConv(SrLayer& layer, const PendingWeights& pending, const WeightMap& weights) {
    const auto* kernel = findWeight(weights, pending.name + "/kernel");
    if (kernel == nullptr) {
        return corrupt("layer '" + layer.name + "': weight '" + pending.name +
                       "/kernel' is missing");
    }
    const std::vector<int>& shape = kernel->first;
    if (shape.size() != 4 || shape[0] != layer.kernel || shape[1] != layer.kernel ||
        shape[3] != layer.outChannels) {
        return corrupt("layer '" + layer.name + "': kernel shape " + json(shape).dump() +
                       " does not match kernel_size " + std::to_string(layer.kernel) +
                       " and filters " + std::to_string(layer.outChannels));
    }
    const int k = layer.kernel;
    const int in = shape[2];
    const int out = shape[3];
    layer.weights.resize(kernel->second.size());
    for (int y = 0; y < k; ++y) {
        for (int x = 0; x < k; ++x) {
            for (int i = 0; i < in; ++i) {
                for (int o = 0; o < out; ++o) {
                    layer.weights[((static_cast<std::size_t>(o) * in + i) * k + y) * k + x] =
                        kernel->second[((static_cast<std::size_t>(y) * k + x) * in + i) * out + o];
                }
            }
        }
    }
    if (!pending.useBias) {
        layer.bias.assign(static_cast<std::size_t>(out), 0.0F);
        return {};
    }
    const auto* bias = findWeight(weights, pending.name + "/bias");
    if (bias == nullptr) {
        return corrupt("layer '" + layer.name + "': weight '" + pending.name + "/bias' is missing");
    }
    layer.bias = bias->second;
    return {};
}

Status assignWeights(TopologyReader& reader, const WeightMap& weights) {
    for (const PendingWeights& pending : reader.pending) {
        SrLayer& layer = reader.network.layers[pending.layer];
        if (layer.op == SrOp::Prelu) {
            const auto* alpha = findWeight(weights, pending.name + "/alpha");
            if (alpha == nullptr) {
                return corrupt("layer '" + layer.name + "': weight 'alpha' is missing");
            }
            layer.weights = alpha->second;
            continue;
        }
        if (auto ok = assignConv(layer, pending, weights); !ok) {
            return ok;
        }
    }
    return {};
}

Result<SrNetwork> load(const std::filesystem::path& path, bool withWeights) {
    auto text = readFileBounded(path, kMaxModelJsonBytes);
    if (!text) {
        return std::unexpected(text.error());
    }
    auto model = parseBoundedJson(*text, path.string());
    if (!model) {
        return std::unexpected(model.error());
    }
    try {
        auto reader = readGraph(*model);
        if (!reader) {
            return std::unexpected(reader.error());
        }
        if (withWeights) {
            auto weights = readWeights(model->at("weightsManifest"), path.parent_path());
            if (!weights) {
                return std::unexpected(weights.error());
            }
            if (auto ok = assignWeights(*reader, *weights); !ok) {
                return std::unexpected(ok.error());
            }
        }
        if (auto ok = reader->network.validate(withWeights); !ok) {
            return std::unexpected(ok.error());
        }
        return std::move(reader->network);
    } catch (const json::exception& e) {
        return corrupt(std::string("a field is missing or of the wrong type (") + e.what() + ")");
    } catch (const std::exception& e) {
        return corrupt(e.what());
    }
}

} // namespace

Result<SrNetwork> TfjsModelReader::read(const std::filesystem::path& modelJson) {
    auto network = load(modelJson, true);
    if (!network) {
        return std::unexpected(withContext(network.error(), modelJson.string()));
    }
    return network;
}

Result<SrNetwork> TfjsModelReader::readTopology(const std::filesystem::path& modelJson) {
    auto network = load(modelJson, false);
    if (!network) {
        return std::unexpected(withContext(network.error(), modelJson.string()));
    }
    return network;
}

} // namespace ripen
