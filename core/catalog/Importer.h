#pragma once

#include "catalog/Asset.h"
#include "catalog/Library.h"
#include "common/Error.h"
#include "common/ProgressSink.h"

#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace ripen {

struct ImportOptions {
    std::string project; // empty: none
    std::string client;
    Stage stage = Stage::None;
    std::vector<std::string> tags;
};

// What happened to one file (or one unreadable folder).
struct ImportOutcome {
    bool imported = false;
    std::string displayPath; // the path as given, invalid UTF-8 bytes shown as \xNN
    AssetId id = 0;          // when imported
    Error error;             // when skipped: why, naming the file
};

struct ImportSummary {
    int imported = 0;
    int skipped = 0;
    bool cancelled = false;
};

// Brings image and video files into a library. Each file is checked by its content (not
// its name), bounded in size and pixel count, copied into the blob store, given a
// thumbnail, and recorded in one catalog transaction. A bad file is skipped with a reason
// and the rest of the import goes on.
//
// Thread affinity: runs on the calling thread, against the library's own connection; the
// GUI calls it from a worker that opened its own Library.
class Importer {
public:
    using OutcomeHandler = std::function<void(const ImportOutcome&)>;

    explicit Importer(Library& library);

    // Files and folders (recursively, in name order). `onOutcome` is called once per file.
    ImportSummary importPaths(std::span<const std::filesystem::path> paths,
                              const ImportOptions& options, const OutcomeHandler& onOutcome,
                              ProgressSink& progress);

    ImportOutcome importFile(const std::filesystem::path& file, const ImportOptions& options,
                             ProgressSink& progress);

private:
    Library& m_library;
};

} // namespace ripen
