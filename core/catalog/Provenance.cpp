#include "catalog/Provenance.h"

#include <ripen/BuildInfo.h>

namespace ripen {
namespace {

constexpr std::string_view kIptcDigitalSourceType =
    "http://cv.iptc.org/newscodes/digitalsourcetype/";

bool madeByModel(const Asset& asset) {
    return !asset.generation.provider.empty() || !asset.generation.modelId.empty() ||
           !asset.generation.prompt.empty();
}

} // namespace

std::string digitalSourceTypeUri(DigitalSourceType type) {
    switch (type) {
    case DigitalSourceType::TrainedAlgorithmicMedia:
        return std::string(kIptcDigitalSourceType) + "trainedAlgorithmicMedia";
    case DigitalSourceType::CompositeWithTrainedAlgorithmicMedia:
        return std::string(kIptcDigitalSourceType) + "compositeWithTrainedAlgorithmicMedia";
    }
    return {};
}

std::optional<DigitalSourceType> digitalSourceTypeFromUri(std::string_view uri) {
    for (auto type : {DigitalSourceType::TrainedAlgorithmicMedia,
                      DigitalSourceType::CompositeWithTrainedAlgorithmicMedia}) {
        if (uri == digitalSourceTypeUri(type)) {
            return type;
        }
    }
    return std::nullopt;
}

Provenance provenanceOf(const Asset& asset, bool editedUserImage) {
    Provenance provenance;
    provenance.generation = asset.generation;
    provenance.creatorTool = std::string("Ripen ") + build::kVersion;
    provenance.assetId = asset.id;
    if (asset.stage != Stage::None) {
        provenance.stage = std::string(toString(asset.stage));
    }
    if (editedUserImage) {
        provenance.sourceType = DigitalSourceType::CompositeWithTrainedAlgorithmicMedia;
    } else if (madeByModel(asset) || !asset.parents.empty()) {
        provenance.sourceType = DigitalSourceType::TrainedAlgorithmicMedia;
    }
    auto& params = provenance.generation.params;
    if (const auto job = params.find("job_id"); job != params.end() && job->is_number_integer()) {
        provenance.jobId = job->get<std::int64_t>();
        params.erase(job);
    }
    if (const auto run = params.find("ripen_recipe_run"); run != params.end() && run->is_string()) {
        provenance.recipeRun = run->get<std::string>();
        params.erase(run);
    }
    return provenance;
}

} // namespace ripen
