#pragma once

#include "batch/BackgroundComposite.h"
#include "recipes/FieldReader.h"
#include "recipes/PostStep.h"

#include <memory>
#include <opencv2/core/types.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ripen {

// How the background step finds its product: a cut-out image (BGRA) it names, or a GrabCut
// box ("X,Y,W,H") / painted seed mask applied to each asset of the run.
struct BackgroundProduct {
    std::string source;              // "asset:ID" or an absolute file; empty when cutting out
    std::optional<std::string> box;  // "X,Y,W,H" in each asset's pixels
    std::optional<std::string> mask; // "asset:ID" or an absolute file, each asset's size
};

// {"step": "background", "product": SOURCE | "cutout": {"box": "X,Y,W,H"} | {"mask": SOURCE},
//  "backgrounds": ["generated" | SOURCE, ...], "sizes": ["square", "1200x628", ...],
//  "scale", "anchor", "shadow", "colour_match"}: ad variants (core/batch composeAdVariant),
// every product on every background at every size, written as
// <library>/exports/<run-id>/<product>-<background>-<W>x<H>-v<NN>.png for A/B tests.
// "generated" stands for the run's assets as backgrounds (with a fixed product). The assets
// pass on unchanged.
class BackgroundStep final : public PostStep {
public:
    BackgroundStep(BackgroundProduct product, std::vector<std::string> backgrounds,
                   std::vector<std::string> sizeNames, std::vector<cv::Size> sizes,
                   CompositeSettings settings, std::string anchorName)
        : m_product(std::move(product)), m_backgrounds(std::move(backgrounds)),
          m_sizeNames(std::move(sizeNames)), m_sizes(std::move(sizes)), m_settings(settings),
          m_anchorName(std::move(anchorName)) {}

    std::string kind() const override { return "background"; }
    nlohmann::json toJson() const override;
    Result<PostStepResult> run(PostStepRuntime& runtime,
                               const std::vector<PostStepItem>& inputs) const override;

private:
    BackgroundProduct m_product;
    std::vector<std::string> m_backgrounds;
    std::vector<std::string> m_sizeNames;
    std::vector<cv::Size> m_sizes;
    CompositeSettings m_settings;
    std::string m_anchorName;
};

std::shared_ptr<const PostStep> parseBackgroundStep(FieldReader& reader);

} // namespace ripen
