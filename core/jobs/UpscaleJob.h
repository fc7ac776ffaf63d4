#pragma once

#include "common/Error.h"
#include "imaging/upscale/ModelRegistry.h"
#include "imaging/upscale/UpscaleTarget.h"
#include "providers/GenerationRequest.h"
#include "providers/ModelCatalog.h"
#include "providers/ProviderRegistry.h"
#include "providers/UpscaleOptions.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// An upscale engine as the user names it: "lanczos" (the local classic engine), a local
// model's name, or PROVIDER[:MODEL] (stability:fast|conservative|creative,
// automatic1111[:UPSCALER], comfyui[:TEMPLATE], google[:MODEL] as a re-render at 4K).
struct UpscaleEngine {
    std::string name; // as given, kept in the result's provenance
    std::string provider;
    std::string model;
    JobKind kind = JobKind::Upscale; // EditImage for a re-render from the image
    std::string upscaleMode;         // Stability
    nlohmann::json options = nlohmann::json::object();
    // The factors the engine enlarges by per pass (empty: a provider's own size). A local
    // engine chains them inside one call; a provider's passes are one paid request each,
    // sent in turn by the queue (UpscaleChain); the exact resize does the rest.
    std::vector<int> factors;
    bool local = false;
    std::vector<std::string> aspectRatios; // a re-render's model offers these
};

// `neuralModels` are the local models on disk (ModelRegistry::list()); each runs passes of
// its own scale.
// Errors: InvalidArgument "unknown engine 'X'; known: ..." listing what this Ripen has, or
// naming the provider's models when MODEL is not one of them.
Result<UpscaleEngine> resolveUpscaleEngine(std::string_view name, const ModelCatalog& models,
                                           const ProviderRegistry& registry,
                                           const std::vector<UpscaleModelInfo>& neuralModels = {});
// The same against the ids of the providers this Ripen has (the GUI's job lane lists them).
Result<UpscaleEngine> resolveUpscaleEngine(std::string_view name, const ModelCatalog& models,
                                           const std::vector<std::string>& providerIds,
                                           const std::vector<UpscaleModelInfo>& neuralModels = {});

// The engine `ripen-cli upscale` and the review pane use when none is named: the GAN
// model esrgan-legacy-gans-x4 when it is among `neuralModels` (it restores about as much
// detail as a photograph had, within 1.5 dB PSNR of Lanczos once back-projected: see
// docs/benchmarks.md), else "lanczos", always available.
inline constexpr std::string_view kDefaultNeuralEngine = "esrgan-legacy-gans-x4";
std::string defaultUpscaleEngine(const std::vector<UpscaleModelInfo>& neuralModels);

// The request that upscales `image` (a library blob of size `source`) to `target` with
// `engine`: the chained passes of a local engine, the factor or size a provider is asked
// for, and the exact output size, kept in the options ("upscale_target", "upscale_passes",
// "upscale_engine", "tile"). `tilePixels` > 0 is the tile size for neural engines.
// Errors: those of UpscaleTarget::sizeFor and UpscalePlan::make, before any work.
Result<GenerationRequest> upscaleRequest(const UpscaleEngine& engine,
                                         const std::filesystem::path& image, cv::Size source,
                                         const UpscaleTarget& target, int tilePixels = 0);

// The queue's last step for an upscale job: the engine's output brought to the exact
// target size (Lanczos up, area down; a re-render of another aspect ratio is cropped to
// the target's about its centre first) and written as a PNG beside `output`, which is
// kept so a retried store gives the same bytes. Returns `output` itself when it already
// has the size. Errors name the provider's result when it is not a readable image.
Result<std::filesystem::path> finishUpscaleOutput(const GenerationRequest& request,
                                                  const std::filesystem::path& output);

} // namespace ripen
