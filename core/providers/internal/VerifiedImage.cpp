#include "providers/internal/VerifiedImage.h"

#include "common/Sha256.h"
#include "imaging/DecodedImage.h"
#include "imaging/ImageDecoder.h"
#include "providers/ProviderSupport.h"

namespace ripen::providers {

Result<GeneratedFile> saveVerifiedImage(const std::filesystem::path& workDir,
                                        std::string_view bytes) {
    auto decoded = decodeImage(bytes);
    if (!decoded) {
        return std::unexpected(decoded.error());
    }
    auto saved = saveGeneratedImage(workDir, bytes);
    if (saved) {
        saved->decoded = std::make_shared<const DecodedImage>(
            DecodedImage{Sha256::ofBytes(bytes), std::move(*decoded)});
    }
    return saved;
}

} // namespace ripen::providers
