#pragma once

#include "common/Error.h"
#include "imaging/inpaint/InpaintSettings.h"
#include "providers/GenerationRequest.h"
#include "providers/ModelCatalog.h"
#include "queue/JobLane.h"

#include <QString>
#include <filesystem>
#include <string>
#include <vector>

namespace ripen::ui {

// The engines the inpaint editor offers: every model of the model catalog that inpaints or
// erases, of a provider the job lane has (the local OpenCV engines first: free and at
// once). Pure logic over the lane's lists, so the choices and the request are testable
// without a window.
struct InpaintEngine {
    std::string provider;
    std::string model;
    QString label;         // "Local engines — Object removal (OpenCV Telea)"
    QString unavailable;   // why it cannot run now (a missing key), empty when it can
    bool erases = false;   // runs without a prompt (object removal)
    bool inpaints = false; // paints what a prompt says
    bool local() const { return provider == "local"; }
};

std::vector<InpaintEngine> inpaintEngines(const ripen::ModelCatalog& models,
                                          const std::vector<JobLane::ProviderInfo>& providers);

// What the user asked for in the editor, turned into the queue's request.
struct InpaintChoice {
    InpaintEngine engine;
    std::string prompt;
    std::filesystem::path image; // the original's blob
    std::filesystem::path mask;  // the mask asset's blob
    ripen::InpaintSettings settings;
};

// The request to queue: Erase for the local engines and for a provider's erase without a
// prompt, else Inpaint, which needs a prompt. Errors: InvalidArgument naming what is
// missing.
Result<ripen::GenerationRequest> inpaintRequest(const InpaintChoice& choice);

} // namespace ripen::ui
