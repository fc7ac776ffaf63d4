#include "catalog/Asset.h"

#include <array>
#include <utility>

namespace ripen {
namespace {

template <class Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<AssetKind, 3> kKindNames{{
    {AssetKind::Image, "image"}, {AssetKind::Mask, "mask"}, {AssetKind::Video, "video"}}};
constexpr NameTable<Stage, 7> kStageNames{{{Stage::None, "none"},
                                           {Stage::Concept, "concept"},
                                           {Stage::Master, "master"},
                                           {Stage::Inpainted, "inpainted"},
                                           {Stage::Upscaled, "upscaled"},
                                           {Stage::Final, "final"},
                                           {Stage::Clip, "clip"}}};
constexpr NameTable<Flag, 3> kFlagNames{
    {{Flag::None, "none"}, {Flag::Pick, "pick"}, {Flag::Reject, "reject"}}};
constexpr NameTable<ColorLabel, 6> kLabelNames{{{ColorLabel::None, "none"},
                                                {ColorLabel::Red, "red"},
                                                {ColorLabel::Yellow, "yellow"},
                                                {ColorLabel::Green, "green"},
                                                {ColorLabel::Blue, "blue"},
                                                {ColorLabel::Purple, "purple"}}};

template <class Enum, std::size_t N>
std::string_view nameOf(const NameTable<Enum, N>& table, Enum value) {
    for (const auto& [e, name] : table) {
        if (e == value) {
            return name;
        }
    }
    return "none";
}

template <class Enum, std::size_t N>
std::optional<Enum> valueOf(const NameTable<Enum, N>& table, std::string_view name) {
    for (const auto& [e, n] : table) {
        if (n == name) {
            return e;
        }
    }
    return std::nullopt;
}

} // namespace

std::string_view toString(AssetKind kind) { return nameOf(kKindNames, kind); }
std::string_view toString(Stage stage) { return nameOf(kStageNames, stage); }
std::string_view toString(Flag flag) { return nameOf(kFlagNames, flag); }
std::string_view toString(ColorLabel label) { return nameOf(kLabelNames, label); }
std::optional<AssetKind> assetKindFromString(std::string_view text) {
    return valueOf(kKindNames, text);
}
std::optional<Stage> stageFromString(std::string_view text) { return valueOf(kStageNames, text); }
std::optional<Flag> flagFromString(std::string_view text) { return valueOf(kFlagNames, text); }
std::optional<ColorLabel> colorLabelFromString(std::string_view text) {
    return valueOf(kLabelNames, text);
}

} // namespace ripen
