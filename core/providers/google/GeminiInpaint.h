#pragma once

#include "providers/GenerationRequest.h"
#include "providers/ProviderTypes.h"

#include <opencv2/core/mat.hpp>
#include <string>

namespace ripen::providers::google {

// Inpainting with a Gemini image model. generateContent has no mask parameter
// (providers.md §1.3), so an inpaint is an instruction edit: the image (with "only
// masked", the context box the queue cropped around the mask) and a text that says where
// the region is and what to change there. The mask itself is never sent: the queue
// composites the reply through it (InpaintJob), and that is what decides what is kept,
// whatever Gemini repainted elsewhere or whatever size it answered at.
class GeminiInpaint {
public:
    // The EditImage request sent for an Inpaint or Erase `request` (images[0] the picture,
    // mask its mask file of the same size, grey or alpha): one inline image, the
    // instruction as the prompt, the model and options unchanged. Failures are Permanent
    // and happen before anything is sent (an unreadable mask names its file; an Inpaint
    // without a prompt asks for one).
    static ProviderOutcome<GenerationRequest> editRequest(const GenerationRequest& request);

    // Where `mask` (Ripen's convention, CV_8UC1, non-zero = change) marks, in words a model
    // can follow: "the region from 38% to 62% across and 20% to 45% down the picture (top
    // centre)". An empty mask is "the whole picture".
    static std::string regionText(const cv::Mat& mask);

    // The instruction: change only `region` as `prompt` says (or, for an erase, remove
    // what is there and continue the surroundings), keep everything else as it is.
    static std::string instruction(const std::string& prompt, const std::string& region,
                                   bool erase);
};

} // namespace ripen::providers::google
