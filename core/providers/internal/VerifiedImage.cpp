#include "providers/internal/VerifiedImage.h"

#include "imaging/ImageDecoder.h"
#include "providers/ProviderSupport.h"

namespace ripen::providers {

Result<GeneratedFile> saveVerifiedImage(const std::filesystem::path& workDir,
                                        std::string_view bytes) {
    if (auto decoded = decodeImage(bytes); !decoded) {
        return std::unexpected(decoded.error());
    }
    return saveGeneratedImage(workDir, bytes);
}

} // namespace ripen::providers
