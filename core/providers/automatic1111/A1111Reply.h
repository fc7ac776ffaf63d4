#pragma once

#include "providers/ProviderTypes.h"
#include "providers/http/HttpTypes.h"

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace ripen::providers::automatic1111 {

// Reads a reply of POST /sdapi/v1/{txt2img,img2img,extra-single-image} (any status). The
// body is untrusted and at most `maxBytes`. A 2xx must be a JSON object, which is
// returned; an error status is classified by failureFromStatus with the server's own words
// (FastAPI's 422 "detail" list, A1111's {"error", "detail"}), clipped; a 401 says which
// variables hold the --api-auth login.
ProviderOutcome<nlohmann::json> readA1111Reply(const http::Response& response,
                                               std::uint64_t maxBytes);

// The images of a txt2img/img2img reply object ("images": base64 PNGs, "info": a JSON
// document in a string), each checked and saved into `workDir` under a fresh name, with
// the seeds and model named by "info". At most one image per seed in info.all_seeds
// (extensions append maps and grids after the generated images). Anything malformed is a
// Permanent failure; a disk that cannot take the file is Retryable.
ProviderOutcome<ProviderResult> readA1111Images(const nlohmann::json& reply,
                                                const std::filesystem::path& workDir);

// The "image" of an extra-single-image reply object, saved into `workDir`; `upscaler`
// becomes the model version.
ProviderOutcome<ProviderResult> readA1111Upscale(const nlohmann::json& reply,
                                                 const std::filesystem::path& workDir,
                                                 const std::string& upscaler);

} // namespace ripen::providers::automatic1111
