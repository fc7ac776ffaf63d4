#pragma once

#include "catalog/internal/LiveSessionLock.h"
#include "common/Error.h"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace ripen {

// The Library objects open in this process, counted by root. The GUI holds one per worker
// lane and ripen-cli's job runner opens its own, so the one that passed the start-up check
// is rarely the last to close; the last one to close records the clean close, and only
// when one of them passed the check (a library refused by its check records nothing).
//
// The first user of a root joins the library's live session (LiveSessionLock) for the
// process, the check marks it, and it is left when the last user is gone: other processes
// see this one in catalog.sqlite.live for exactly as long as it has the library open.
//
// Thread affinity: any thread (one mutex for the process).
class OpenLibraries {
public:
    // One more user of `root`: a Library, or CatalogBackup::openChecked while it plans its
    // check. Each successful call is matched by one closed(). Errors from
    // LiveSessionLock::join (Busy while a restore holds the library).
    static Status opened(const std::filesystem::path& root);
    // One library of `root` passed its start-up check; the latest full check was then.
    static void checked(const std::filesystem::path& root, std::int64_t fullCheckAtMs);

    struct LastClose {
        // When the full check last passed, if one of the libraries passed its check.
        std::optional<std::int64_t> fullCheckAtMs;
        // Held until the caller has recorded the clean close, so that no other process
        // sees the library closed before the record is there.
        LiveSessionLock live;
    };
    // One user of `root` is gone; the last one gets what it needs to record the clean close.
    static std::optional<LastClose> closed(const std::filesystem::path& root);
};

} // namespace ripen
