#pragma once

#include "common/Error.h"

#include <array>
#include <filesystem>
#include <opencv2/core/mat.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// How a design takes on the template's surface.
struct MockupBlend {
    // Multiply with the template's shading: 0 pastes the design flat, 1 darkens it exactly as
    // the surface is darker than its brightest part (folds, frame shadow, vignetting).
    double shading = 1.0;
    // Displacement map from the template's shading, in template pixels: the design shifts
    // by up to this much where the surface is lighter or darker than average (fabric
    // folds, paper waves). 0 to 32.
    double displacement = 0.0;
    // Wraps the design round a vertical cylinder (a mug): 0 flat, 1 the quad spans half
    // the cylinder, so the design compresses towards the left and right edges. 0 to 1.
    double curvature = 0.0;
};

// A mockup template: a background photo (or render) and the quad on it where a design goes.
// On disk it is a JSON file beside its image, in resources/mockups/ for the shipped ones:
//   {"ripen_mockup": 1, "title": "Poster on a plaster wall", "image": "poster-wall.png",
//    "quad": [[x, y], [x, y], [x, y], [x, y]],
//    "blend": {"shading": 1.0, "displacement": 2.0, "curvature": 0.0}}
// The quad's corners are top-left, top-right, bottom-right, bottom-left of the design, in
// the image's pixel coordinates (0,0 is the top-left corner of the first pixel). "blend" and
// each of its fields are optional; unknown fields are errors.
struct MockupTemplate {
    std::string name;  // the JSON file's stem: "poster-wall"
    std::string title; // for people
    cv::Mat image;     // 8-bit BGR
    std::array<cv::Point2f, 4> quad;
    MockupBlend blend;
};

// Loads a template from its JSON file; the image is read through the image limits.
// Errors name the file and the field: NotFound, Corrupt (not JSON, a missing or unknown
// field, a quad that is not convex, leaves the image or is smaller than 8x8 pixels),
// and what reading the image reports.
Result<MockupTemplate> loadMockupTemplate(const std::filesystem::path& jsonFile);

// A template by name (resources/mockups/NAME.json) or by the path of its JSON file (anything
// ending in .json or holding a '/'). Errors: NotFound listing the shipped names; as above.
Result<MockupTemplate> findMockupTemplate(std::string_view nameOrFile);

// The names of the shipped templates (resources/mockups/*.json), sorted.
std::vector<std::string> shippedMockupTemplates();

} // namespace ripen
