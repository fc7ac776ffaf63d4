#pragma once

#include "common/Error.h"
#include "recipes/FieldReader.h"
#include "recipes/PostStep.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// Helpers the file-making post steps (mockup, background, contactsheet, bundle, printcheck)
// share: where an image a step names comes from, and where its outputs go.

// An image a step names: a library asset ("asset:42") or an absolute file path. Relative
// paths are refused: a run finishes from its manifest, long after the recipe's folder is
// known, so a relative path would resolve against whatever folder the finish runs in.
// Reports the problem under `path` and returns false when `text` is neither.
bool checkImageSource(const std::string& text, const std::string& path, RecipeIssues& issues);

// The file behind a source checkImageSource accepted. Errors: NotFound for an asset
// the library does not hold.
Result<std::filesystem::path> resolveImageSource(Library& library, const std::string& source);

// The stored file of a run's asset. Errors: NotFound naming the asset.
Result<std::filesystem::path> itemFile(Library& library, const PostStepItem& item);

// Creates `dir` (and its parents) when missing. Errors: Io naming it.
Status ensureDirectory(const std::filesystem::path& dir);

// `file` relative to the library root, as manifests record it.
std::string libraryRelative(const PostStepRuntime& runtime, const std::filesystem::path& file);

} // namespace ripen
