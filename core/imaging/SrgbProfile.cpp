#include "imaging/SrgbProfile.h"

#include <lcms2.h>
#include <memory>
#include <stdexcept>

namespace ripen {
namespace {

std::string buildSrgbProfile() {
    const std::unique_ptr<void, decltype(&cmsCloseProfile)> profile(cmsCreate_sRGBProfile(),
                                                                    &cmsCloseProfile);
    // Version 2 profiles are what every reader understands (Photoshop CS, libpng, exiftool).
    cmsSetProfileVersion(profile.get(), 2.1);
    // Readers show the description; name the standard rather than Little CMS's "built-in".
    const std::unique_ptr<cmsMLU, decltype(&cmsMLUfree)> description(cmsMLUalloc(nullptr, 1),
                                                                     &cmsMLUfree);
    cmsMLUsetASCII(description.get(), "en", "US", "sRGB IEC61966-2.1");
    cmsWriteTag(profile.get(), cmsSigProfileDescriptionTag, description.get());
    cmsUInt32Number size = 0;
    if (profile == nullptr || !cmsSaveProfileToMem(profile.get(), nullptr, &size) || size == 0) {
        throw std::runtime_error("Little CMS could not build the sRGB profile");
    }
    std::string bytes(size, '\0');
    if (!cmsSaveProfileToMem(profile.get(), bytes.data(), &size)) {
        throw std::runtime_error("Little CMS could not serialise the sRGB profile");
    }
    bytes.resize(size);
    return bytes;
}

} // namespace

const std::string& srgbIccProfile() {
    static const std::string profile = buildSrgbProfile();
    return profile;
}

} // namespace ripen
