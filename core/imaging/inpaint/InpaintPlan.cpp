#include "imaging/inpaint/InpaintPlan.h"

#include "imaging/inpaint/ContextBox.h"
#include "imaging/inpaint/MaskCompositor.h"

#include <opencv2/core.hpp>

namespace ripen {
namespace {

ContextBox contextFor(const cv::Mat& mask, const InpaintSettings& settings) {
    return ContextBox::around(mask, settings.featherPixels, settings.paddingPixels,
                              settings.nativeSide);
}

} // namespace

EngineInput engineInput(const cv::Mat& original, const cv::Mat& mask,
                        const InpaintSettings& settings) {
    if (!settings.onlyMasked) {
        return {original, mask};
    }
    const ContextBox context = contextFor(mask, settings);
    if (context.empty()) {
        return {original, mask};
    }
    return {context.crop(original), context.cropMask(mask)};
}

Result<cv::Mat> resultFromEngine(const cv::Mat& original, const cv::Mat& mask,
                                 const cv::Mat& engineOutput, const InpaintSettings& settings) try {
    const CompositeOptions options{settings.featherPixels, settings.matchColour};
    if (!settings.onlyMasked) {
        return compositeThroughMask(original, engineOutput, mask, options);
    }
    const ContextBox context = contextFor(mask, settings);
    if (context.empty() || engineOutput.empty()) {
        return compositeThroughMask(original, engineOutput, mask, options);
    }
    return compositeThroughMask(original, context.pasteBack(original, engineOutput), mask, options);
} catch (const cv::Exception& e) {
    return fail(ErrorCode::InvalidArgument,
                std::string("the engine's result cannot be used: ") + e.what());
}

Result<cv::Mat> inpaintLocally(const cv::Mat& original, const cv::Mat& mask,
                               LocalInpaintEngine engine, const InpaintSettings& settings) {
    const EngineInput input = engineInput(original, mask, settings);
    auto filled = fillLocally(input.image, input.mask, engine);
    if (!filled) {
        return std::unexpected(filled.error());
    }
    return resultFromEngine(original, mask, *filled, settings);
}

} // namespace ripen
