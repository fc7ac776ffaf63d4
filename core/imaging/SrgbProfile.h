#pragma once

#include <string>

namespace ripen {

// The bytes of an sRGB ICC profile (v2, IEC 61966-2.1 primaries and tone curve, D50
// adapted as ICC requires), built once by Little CMS. Exports embed it so print shops and
// browsers read the colours as Ripen showed them instead of guessing. Thread-safe.
const std::string& srgbIccProfile();

} // namespace ripen
