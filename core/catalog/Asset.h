#pragma once

#include "catalog/GenerationMetadata.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

using AssetId = std::int64_t;

enum class AssetKind { Image, Mask, Video };
// Where an asset stands in production; "none" for files imported without a stage.
enum class Stage { None, Concept, Master, Inpainted, Upscaled, Final, Clip };
enum class Flag { None, Pick, Reject };
// Lightroom's keys 6-9 give red, yellow, green, blue; purple has no key.
enum class ColorLabel { None, Red, Yellow, Green, Blue, Purple };

std::string_view toString(AssetKind kind);
std::string_view toString(Stage stage);
std::string_view toString(Flag flag);
std::string_view toString(ColorLabel label);
std::optional<AssetKind> assetKindFromString(std::string_view text);
std::optional<Stage> stageFromString(std::string_view text);
std::optional<Flag> flagFromString(std::string_view text);
std::optional<ColorLabel> colorLabelFromString(std::string_view text);

// One row of the catalog: a file in the blob store plus everything known about it.
struct Asset {
    AssetId id = 0;
    AssetKind kind = AssetKind::Image;
    std::string sha256;     // lowercase hex of the file's bytes; the blob's address
    std::string blobPath;   // relative to the library root, e.g. "blobs/ab/ab12….png"
    std::string format;     // "png", "jpeg", "webp", "tiff", "mp4", "mov", "webm"
    std::int64_t byteSize = 0;
    int width = 0; // pixels
    int height = 0;
    std::optional<std::int64_t> durationMicros; // videos only
    std::string sourcePath; // where it was imported from (display form, valid UTF-8)

    std::string project; // empty when unassigned
    std::string client;
    Stage stage = Stage::None;
    int rating = 0; // 0-5 stars
    Flag flag = Flag::None;
    ColorLabel colorLabel = ColorLabel::None;

    GenerationMetadata generation;
    std::int64_t costMicros = 0; // integer micro-units of costCurrency; never floating point
    std::string costCurrency = "USD";

    std::vector<AssetId> parents; // lineage: what this asset was made from
    std::vector<std::string> tags;
    std::string notes;

    std::int64_t createdAtMs = 0;  // when the file was made (file time or generation time)
    std::int64_t importedAtMs = 0; // when it entered the library
};

} // namespace ripen
