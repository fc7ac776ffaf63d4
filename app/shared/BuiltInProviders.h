#pragma once

#include "providers/ProviderRegistry.h"

namespace ripen::app {

// Registers every provider this build ships with its default limits. app/ is the only
// place that wires providers into the registry; core and ui receive the registry.
void registerBuiltInProviders(ProviderRegistry& registry);

} // namespace ripen::app
