#pragma once

#include "catalog/Asset.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ripen {

// A filter over the catalog; every set field narrows the result (logical AND).
struct AssetQuery {
    std::string search; // full-text over prompt, negative prompt, tags and notes; words ANDed,
                        // each matched as a prefix ("cat" finds "cats")
    std::optional<std::string> project;
    std::optional<std::string> client;
    std::optional<AssetKind> kind;
    std::optional<Stage> stage;
    std::optional<Flag> flag;
    std::optional<ColorLabel> colorLabel;
    std::optional<int> minRating;
    std::optional<std::string> provider;
    std::optional<std::string> modelId;
    std::optional<std::string> tag;
    std::optional<std::int64_t> collection; // a collection's id (Collections::list)
    std::optional<std::int64_t> importedAfterMs;
    std::optional<std::int64_t> importedBeforeMs;
    // Only assets added after the one with this id (each new row gets a higher id than
    // every row present), e.g. what landed since a list was fetched.
    std::optional<std::int64_t> idAbove;

    enum class Order { NewestFirst, OldestFirst };
    Order order = Order::NewestFirst;
    std::int64_t limit = -1; // -1: no limit
    std::int64_t offset = 0;
};

} // namespace ripen
