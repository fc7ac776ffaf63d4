#pragma once

#include "catalog/GenerationMetadata.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// Reads generation metadata out of the graphs ComfyUI embeds in its PNGs: "prompt" holds
// the API-format graph ({"<node id>": {"class_type": ..., "inputs": {...}}}, where an input
// ["<node id>", <output index>] is a link), "workflow" the editor's layout. The prompt text
// is not a field: it is found by starting at the sampler (KSampler, KSamplerAdvanced,
// SamplerCustom...) and following its positive/negative links through any conditioning
// nodes to a text encoder. Every walk is bounded in hops and visited nodes, so cycles and
// huge graphs cost little.
class ComfyMetadata {
public:
    // Graphs larger than this are not kept in params (a warning says so); the fields
    // extracted from them still are.
    static constexpr std::size_t kMaxStoredJsonBytes = std::size_t{4} << 20;
    static constexpr int kMaxLinkHops = 32;
    static constexpr std::size_t kMaxVisitedNodes = 4096;

    // provider is "comfyui"; prompt and negative prompt come from the first-pass sampler
    // (one whose latent does not come from another sampler), with several encoders joined by
    // newlines; seed from seed/noise_seed (linked or on a RandomNoise node); modelId from
    // ckpt_name or unet_name; width/height from the empty latent. Sampler settings go to
    // params under A1111's names ("Steps", "CFG scale", "Sampler", "Schedule type",
    // "Denoising strength"), the raw graphs under "comfyui_prompt" and "comfyui_workflow".
    // Never fails: a prompt that is not a JSON object gives empty metadata, and everything
    // skipped is described in `warnings` when given.
    static GenerationMetadata extract(std::string_view promptJson,
                                      std::string_view workflowJson = {},
                                      std::vector<std::string>* warnings = nullptr);
};

} // namespace ripen
