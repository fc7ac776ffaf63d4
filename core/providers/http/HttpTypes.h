#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ripen::http {

struct Header {
    std::string name;
    std::string value;
    // Secret headers (API keys, bearer tokens) are sent but never appear in a log line,
    // an error message or a stored request; they are shown as "<redacted>".
    bool secret = false;
};

// One part of a multipart/form-data body: either a text value or a file streamed from disk.
struct MultipartPart {
    std::string name;
    std::string value;                       // used when `file` is empty
    std::optional<std::filesystem::path> file;
    std::string fileName;                    // the filename= sent for a file part
    std::string contentType;                 // e.g. "image/png"; empty lets curl choose
};

struct Request {
    std::string method = "GET"; // GET, POST, DELETE
    std::string url;
    std::vector<Header> headers;
    std::string body;                     // sent as is (JSON); ignored when multipart is set
    std::vector<MultipartPart> multipart; // non-empty: a multipart/form-data POST

    std::chrono::milliseconds connectTimeout{10'000};
    std::chrono::milliseconds deadline{300'000}; // whole transfer, connect included
    // Abort when fewer than lowSpeedBytes per second arrive for lowSpeedWindow.
    std::int64_t lowSpeedBytes = 1024;
    std::chrono::seconds lowSpeedWindow{30};
    bool followRedirects = false; // secret headers are never sent to another host

    // Replies larger than this are aborted while they arrive (not after): JSON replies are
    // capped at 64 MiB by default (an 8K PNG as base64 is about 1.37x its size).
    std::uint64_t maxResponseBytes = 64ULL << 20;
    // When set, the body is streamed into a new temp file in this folder instead of memory
    // (Response::file). The file is removed again on any failure, so a cut download never
    // looks complete.
    // A reply with a non-2xx status is kept in Response::body (at most 4 MiB) instead, so the
    // caller can read the provider's error and no file is left behind.
    std::optional<std::filesystem::path> downloadDir;

    // Called on the transfer's thread while the reply arrives (often while data flows, at
    // least once a second when idle): bytes received so far and the size the server
    // declared, 0 when unknown. Must be quick and must not throw.
    std::function<void(std::uint64_t receivedBytes, std::uint64_t expectedBytes)> onProgress;
};

struct Response {
    int status = 0;
    std::vector<Header> headers; // as received; names compared case-insensitively
    std::string body;            // empty when downloaded to a file
    std::optional<std::filesystem::path> file; // complete, Content-Length verified
    std::uint64_t bodyBytes = 0;
    std::string effectiveUrl;

    std::optional<std::string> header(std::string_view name) const;
};

// Why a transfer did not produce a response. `requestSent` says whether any byte of the
// request reached the server: when false, the provider cannot have executed (and billed)
// it, so a retry is safe even for a paid POST.
struct Failure {
    enum class Kind {
        InvalidRequest, // bad URL or options: a bug or a bad setting
        Connect,        // DNS, refused, unreachable, connect timeout
        Tls,            // certificate or handshake problem
        Timeout,        // deadline or low-speed abort after connecting
        Network,        // reset or cut mid-transfer
        TooLarge,       // the reply passed maxResponseBytes
        Cancelled,      // the stop token was triggered
        LocalIo,        // the download file could not be written (disk full, ...)
    };
    Kind kind = Kind::Network;
    bool requestSent = false;
    std::string message; // redacted: names the URL (without query secrets) and the cause
};

const char* toString(Failure::Kind kind);

} // namespace ripen::http
