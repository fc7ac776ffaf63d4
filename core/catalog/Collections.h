#pragma once

#include "catalog/Catalog.h"
#include "common/Error.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ripen {

// A named, hand-picked set of assets that cuts across projects ("Portfolio", "Client A
// shortlist"). Names are unique without regard to case; an asset may be in any number of
// collections; deleting an asset or a collection drops its memberships.
struct Collection {
    std::int64_t id = 0;
    std::string name;
    std::int64_t createdAtMs = 0;
    std::int64_t assetCount = 0;
};

// The collections of one catalog. Every write is one transaction; same thread affinity as
// the Catalog it wraps.
// Errors: InvalidArgument for an empty or taken name, NotFound for an unknown collection
// or asset, and those of the catalog.
class Collections {
public:
    explicit Collections(Catalog& catalog) : m_catalog(catalog) {}

    Result<std::int64_t> create(const std::string& name);
    Status rename(std::int64_t id, const std::string& newName);
    // The collection goes; its assets stay in the library.
    Status remove(std::int64_t id);
    // Adding an asset that is already in the collection is not an error.
    Status addAssets(std::int64_t id, std::span<const AssetId> assets);
    Status removeAssets(std::int64_t id, std::span<const AssetId> assets);
    // Every collection by name (case-insensitive), with its asset count.
    Result<std::vector<Collection>> list();
    // The collection named `name` (case-insensitive); NotFound when there is none.
    Result<Collection> byName(const std::string& name);

private:
    Status requireExists(std::int64_t id);
    Status checkName(const std::string& name, std::int64_t exceptId);

    Catalog& m_catalog;
};

} // namespace ripen
