#pragma once

#include "catalog/Asset.h"
#include "catalog/Library.h"

#include <opencv2/core.hpp>
#include <vector>

namespace ripen::test {

// A calm generated landscape (sky, sun, layered hills) whose palette and shapes follow
// `seed`; it looks like a picture in a gallery rather than a test pattern.
cv::Mat makeScenicImage(int width, int height, int seed);

// Adds `count` generated PNG assets straight through the catalog (no Importer), with
// blobs in the store and, when `withThumbnails`, thumbnail JPEGs where the library keeps
// them. Ratings, flags, labels, projects and prompts vary with the index. Returns ids in
// insertion order.
std::vector<ripen::AssetId> addGeneratedAssets(ripen::Library& library, int count,
                                               bool withThumbnails, int imageSide = 48);

// A library that looks lived in: 24 assets across three projects and two clients.
void populateDemoLibrary(ripen::Library& library);

} // namespace ripen::test
