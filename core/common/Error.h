#pragma once

#include <expected>
#include <string>
#include <utility>

namespace ripen {

// What went wrong, in terms a caller can branch on. The message is for people: it names
// the file, field or reply at fault and, where there is one, what to do about it.
enum class ErrorCode {
    InvalidArgument, // the caller passed something unusable (a bad id, an unknown option)
    NotFound,        // a file, asset or row that does not exist
    Io,              // the operating system refused a read or write
    DiskFull,        // ENOSPC / SQLITE_FULL: nothing was changed, free space and retry
    Corrupt,         // the data is damaged or truncated
    Unsupported,     // a format or feature Ripen does not handle
    LimitExceeded,   // untrusted input is larger than Ripen accepts
    Duplicate,       // the same content is already in the library
    Database,        // SQLite reported an error
    SchemaTooNew,    // the catalog was written by a newer Ripen
    Cancelled,       // the user or a stop token asked to stop
    Busy,            // another process holds what this needs (a library's job queue)
    Internal,        // a bug: an invariant did not hold
};

const char* toString(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

template <class T> using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
    return std::unexpected<Error>(Error{code, std::move(message)});
}

// Prefixes context ("importing /a/b.png: ") so errors read from the outside in.
inline Error withContext(Error error, const std::string& context) {
    error.message = context + ": " + error.message;
    return error;
}

} // namespace ripen
