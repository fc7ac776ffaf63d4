#pragma once

#include "common/Error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ripen {

// The physical size of a print.
struct PrintSize {
    double widthInches = 0;
    double heightInches = 0;
};

// Parses "8x10in", "20x30cm", "210x297mm" or a paper name (A5, A4, A3, A2, A1, Letter,
// Tabloid), portrait. Errors: InvalidArgument quoting the text.
Result<PrintSize> parsePrintSize(std::string_view text);

struct PrintReadiness {
    enum class Verdict { Ready, Marginal, NotReady };
    enum class Profile { Srgb, Other, Missing };

    Verdict verdict = Verdict::NotReady;
    int widthPixels = 0;
    int heightPixels = 0;
    PrintSize print; // as judged: turned to the image's orientation
    int targetDpi = 300;
    // Pixels per inch when the image fills the print (cropping the axis that overhangs).
    double effectiveDpi = 0;
    int neededWidthPixels = 0; // at targetDpi, for the print's size
    int neededHeightPixels = 0;
    double croppedPercent = 0;       // of the image lost to an aspect ratio unlike the print's
    std::optional<double> statedDpi; // what the file's header says (PNG pHYs, JFIF, EXIF)
    Profile profile = Profile::Missing;
    std::string profileName;           // the ICC description, "sRGB chunk", or empty
    std::vector<std::string> findings; // one line each, worst first
};

const char* toString(PrintReadiness::Verdict verdict); // "ready", "marginal", "not ready"
const char* toString(PrintReadiness::Profile profile); // "sRGB", "other", "missing"

// Checks an image file's bytes against a print: pixels and effective DPI against
// `targetDpi` (ready at or above it, marginal from two thirds of it, not ready below),
// the colour profile (an sRGB ICC profile or PNG sRGB chunk is what print services expect:
// none makes the verdict at best marginal, another profile is reported), and how much the
// print's aspect ratio crops (over 2% makes it marginal). Only headers and metadata are
// read, never the pixels, so it is quick on any size. The print is turned to the image's
// orientation (A4 for a landscape image is judged as A4 landscape). `name` is quoted in
// errors.
// Errors: InvalidArgument for a print size or DPI outside (0, 10000]; what the header
// parser reports (Unsupported, Corrupt), named.
Result<PrintReadiness> checkPrintReadiness(std::string_view fileBytes, const std::string& name,
                                           const PrintSize& print, int targetDpi = 300);

} // namespace ripen
