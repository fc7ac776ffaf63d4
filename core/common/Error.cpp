#include "common/Error.h"

namespace ripen {

const char* toString(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidArgument:
        return "invalid argument";
    case ErrorCode::NotFound:
        return "not found";
    case ErrorCode::Io:
        return "I/O error";
    case ErrorCode::DiskFull:
        return "disk full";
    case ErrorCode::Corrupt:
        return "corrupt";
    case ErrorCode::Unsupported:
        return "unsupported";
    case ErrorCode::LimitExceeded:
        return "limit exceeded";
    case ErrorCode::Duplicate:
        return "duplicate";
    case ErrorCode::Database:
        return "database error";
    case ErrorCode::SchemaTooNew:
        return "schema too new";
    case ErrorCode::Cancelled:
        return "cancelled";
    case ErrorCode::Busy:
        return "busy";
    case ErrorCode::Internal:
        return "internal error";
    }
    return "unknown error";
}

} // namespace ripen
