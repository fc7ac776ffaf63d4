#pragma once

#include "providers/Provider.h"

#include <filesystem>
#include <vector>

namespace ripen {

// The provider that needs no key and no credits: it runs OpenCV engines on this machine
// as jobs of the same queue, so a local upscale or object removal has the same lineage,
// progress and cancel as a paid one. Models (resources/models.json):
//   "classic-upscale"  Lanczos resample by upscaleFactor (2, 3, 4, 8) plus an edge-aware
//                      detail pass (unsharp mask limited to edges, so flat areas gain no noise)
//   "telea", "navier-stokes", "fsr-fast", "fsr-best"  inpaint/erase of the masked
//                      region (OpenCV photo and xphoto, see LocalInpaint.h); pixels outside
//                      the mask are bit-identical to the input.
//   any neural model name ModelRegistry lists ("esrgan-slim-x4", "realesr-animevideov3-x4")
//                      that model, on the CPU, tile by tile (NeuralUpscaler); upscaleFactor
//                      is the model's scale or 0; each pass is back-projected onto its
//                      input (BackProjection) unless options "back_projection" is false.
//                      Models are searched in `modelFolders`,
//                      then in ModelRegistry::defaultFolders() of the job's library.
class LocalProvider final : public Provider {
public:
    explicit LocalProvider(std::vector<std::filesystem::path> modelFolders = {});

    std::string id() const override { return "local"; }
    std::string displayName() const override { return "Local engines"; }
    bool supports(JobKind kind) const override;
    std::vector<std::string> defaultBaseUrls() const override { return {"local:"}; }
    std::string baseUrlVariable() const override { return "RIPEN_LOCAL_BASE_URL"; }
    std::string missingConfiguration(const Credentials&) const override { return {}; }
    // Running it again costs nothing and produces the same pixels.
    bool dedupesResubmission() const override { return true; }

    ProviderOutcome<ProviderResult> submit(const ProviderContext& context,
                                           const GenerationRequest& request) override;

private:
    std::vector<std::filesystem::path> m_modelFolders;
};

} // namespace ripen
