#pragma once

#include "common/Error.h"
#include "providers/GenerationRequest.h"

#include <filesystem>

namespace ripen {

// The queue's side of the compositing guarantee. An inpaint or erase job's provider may
// return anything (another size, shifted colours, a different picture); before its output
// becomes an asset it is pasted into the job's original through the job's mask, so that
// pixels outside the mask and its feather are the original's, bit for bit. The original
// (request.images[0]) and the mask (request.mask) are library blobs and never modified.
// Settings come from the request options (InpaintSettings).

// True for Inpaint and Erase requests that carry a mask.
bool isMaskedEdit(const GenerationRequest& request);

// Reads the image and checks the mask against it (size, empty, full), as the queue will:
// for callers that want to refuse a bad mask before a job is queued.
Status checkMaskedEdit(const GenerationRequest& request);

// The request the provider is sent: the same one, or with "only_masked" a copy whose image
// and mask are the context box, written as PNGs into `workDir` (the same bytes every time,
// so a resubmission sends what the first attempt sent). The mask is checked against the
// image first, so a bad mask fails the job before anything is paid for.
// Errors: those of loadInpaintMask and of reading the image; Io when writing fails.
Result<GenerationRequest> maskedEditSubmission(const GenerationRequest& request,
                                               const std::filesystem::path& workDir);

// Composites the provider's `output` file into the original and writes the result as a
// PNG beside it; returns that file. The output file itself is kept, so a store retried
// after a crash composites the same bytes again. Errors name the output when it is not an
// image Ripen can read ("the provider's result ..."), Io/DiskFull when writing fails.
Result<std::filesystem::path> compositeMaskedEditOutput(const GenerationRequest& request,
                                                        const std::filesystem::path& output);

} // namespace ripen
