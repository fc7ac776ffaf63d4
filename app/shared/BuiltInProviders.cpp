#include "shared/BuiltInProviders.h"

#include "providers/automatic1111/Automatic1111Provider.h"
#include "providers/comfyui/ComfyUiProvider.h"
#include "providers/google/GoogleProvider.h"
#include "providers/kling/KlingProvider.h"
#include "providers/local/LocalProvider.h"
#include "providers/openai/OpenAiImagesProvider.h"
#include "providers/stability/StabilityProvider.h"

namespace ripen::app {

void registerBuiltInProviders(ProviderRegistry& registry) {
    // Cloud limits follow the providers' published defaults for new accounts; a self-hosted
    // ComfyUI or A1111 machine renders one job at a time, so a farm scales by endpoints.
    registry.add(std::make_unique<providers::google::GoogleProvider>(), {4, 60});
    registry.add(std::make_unique<OpenAiImagesProvider>(), {4, 50});
    registry.add(std::make_unique<StabilityProvider>(), {4, 150});
    registry.add(std::make_unique<providers::kling::KlingProvider>(), {2, 30});
    registry.add(std::make_unique<providers::comfyui::ComfyUiProvider>(), {1, 600});
    registry.add(std::make_unique<providers::automatic1111::Automatic1111Provider>(), {1, 600});
    // Local engines share the machine's two cores with the UI: one job at a time.
    registry.add(std::make_unique<LocalProvider>(), {1, 100000});
}

} // namespace ripen::app
