#pragma once

#include "catalog/Library.h"
#include "credits/PriceBook.h"
#include "providers/Credentials.h"
#include "providers/ModelCatalog.h"
#include "providers/ProviderRegistry.h"
#include "providers/http/HttpClient.h"

#include <filesystem>
#include <memory>

namespace ripen::cli {

// Everything the queue commands need, wired once per command: the library, the price
// book (loadLibraryPriceBook: the library's own pricebook.json when present, else the
// shipped one, with the user's price overrides and the accounts' cost per credit), the model
// catalog, the providers and the credentials from the environment.
struct CliServices {
    std::unique_ptr<Library> library;
    PriceBook priceBook;
    ModelCatalog models;
    ProviderRegistry registry;
    EnvironmentCredentials credentials;
    http::HttpClient http;

    // Prints the reason to stderr and returns null when something cannot be loaded.
    static std::unique_ptr<CliServices> open(const std::filesystem::path& libraryRoot);
};

} // namespace ripen::cli
