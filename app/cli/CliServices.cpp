#include "CliServices.h"

#include "LibraryAccess.h"
#include "shared/BuiltInProviders.h"

#include "common/ResourceLocator.h"
#include "credits/LibraryPriceBook.h"

#include <iostream>

namespace ripen::cli {

std::unique_ptr<CliServices> CliServices::open(const std::filesystem::path& libraryRoot) {
    auto services = std::make_unique<CliServices>();
    services->library = openLibraryOrReport(libraryRoot);
    if (!services->library) {
        return nullptr;
    }
    auto prices = loadLibraryPriceBook(*services->library, today());
    auto models = ModelCatalog::load(resourceFile("models.json"));
    if (!prices || !models) {
        std::cerr << "ripen-cli: " << (!prices ? prices.error() : models.error()).message << "\n";
        return nullptr;
    }
    services->priceBook = std::move(*prices);
    services->models = std::move(*models);
    app::registerBuiltInProviders(services->registry);
    return services;
}

} // namespace ripen::cli
