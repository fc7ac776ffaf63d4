#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ripen::test {

// One multipart/form-data part that carried a filename.
struct RecordedFile {
    std::string name;        // the form field name
    std::string fileName;    // filename= as sent
    std::string contentType; // as sent; empty when the client sent none
    std::string content;
};

// Everything the fake server saw of one request, copied out so a test can inspect it
// after the transfer has finished.
struct RecordedRequest {
    std::string method; // "GET", "POST", ...
    std::string path;   // without the query
    std::multimap<std::string, std::string> params; // decoded query parameters
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body; // raw body (also for multipart)
    std::map<std::string, std::string> formFields; // multipart parts without a filename
    std::vector<RecordedFile> files;               // multipart parts with a filename
    std::chrono::steady_clock::time_point receivedAt;

    // Case-insensitive; the first value when a header repeats.
    std::optional<std::string> header(std::string_view name) const;
    std::optional<std::string> param(std::string_view name) const;
    const RecordedFile* file(std::string_view fieldName) const;
};

// What the fake server does with one request: a plain reply or one of the fault modes the
// provider tests need (RELIABILITY.md P1, P4, P5, I5, I7). Build one with the factory
// functions and adjust it with the with*/after modifiers.
struct FakeReply {
    enum class Mode {
        Normal,            // status, headers, body
        Trickle,           // body sent in small pieces with a pause between them
        CutBody,           // declares declaredLength, sends `body`, then closes
        Chunked,           // chunked body of totalBytes ('x'), 0 = endless until stop
        HugeContentLength, // declares declaredLength, then sends filler until the peer goes
    };
    Mode mode = Mode::Normal;
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // Nothing at all is sent before this has passed (or the server stops): a stalled
    // server that accepted the connection and read the request.
    std::chrono::milliseconds delay{0};
    std::size_t trickleBytes = 1;                 // Trickle: bytes per piece
    std::chrono::milliseconds trickleInterval{1000}; // Trickle: pause between pieces
    std::uint64_t declaredLength = 0;             // CutBody, HugeContentLength
    std::uint64_t totalBytes = 0;                 // Chunked; 0 = endless

    static FakeReply json(int status, const nlohmann::json& body);
    static FakeReply text(int status, std::string body,
                          std::string contentType = "text/plain");
    // Bytes for a download (an image, a video); Content-Length is set.
    static FakeReply bytes(std::string body,
                           std::string contentType = "application/octet-stream");
    // The content of a file on disk, read when the reply is built.
    static FakeReply file(const std::filesystem::path& path, std::string contentType);
    // A JSON error reply with Retry-After, as rate limiters send it.
    static FakeReply rateLimited(std::string retryAfter, const nlohmann::json& body = {});
    // 200 with a JSON body that stops in the middle of an object.
    static FakeReply malformedJson(int status = 200);
    // No reply for `duration`; then an empty 200 JSON object if the client is still there.
    static FakeReply stall(std::chrono::milliseconds duration);
    static FakeReply trickle(std::string body, std::size_t bytesPerPiece,
                             std::chrono::milliseconds interval);
    // Headers declaring `declaredLength`, then `sentPart`, then the connection is closed.
    static FakeReply cutBody(std::string sentPart, std::uint64_t declaredLength);
    static FakeReply chunked(std::uint64_t totalBytes, std::string contentType = "application/json");
    static FakeReply endlessChunked(std::string contentType = "application/json");
    static FakeReply hugeContentLength(std::uint64_t declaredLength,
                                       std::string contentType = "application/octet-stream");

    FakeReply& withHeader(std::string name, std::string value);
    FakeReply& after(std::chrono::milliseconds wait);
};

// A loopback HTTP/1.1 server (cpp-httplib) for provider tests. It binds 127.0.0.1 on a
// free port and serves from its own threads (64 of them, so that dozens of stalled
// transfers can be open at once) until it is destroyed. Routes can be added and changed
// while it runs. Every request is recorded before its route runs, so a test can count
// executions even when the reply is a fault.
//
// Thread-safety: every member function may be called from any thread.
class FakeHttpServer {
public:
    using Handler = std::function<FakeReply(const RecordedRequest&)>;

    FakeHttpServer();
    // Stops the server: stalls and trickles end early, endless bodies stop.
    ~FakeHttpServer();
    FakeHttpServer(const FakeHttpServer&) = delete;
    FakeHttpServer& operator=(const FakeHttpServer&) = delete;

    // "http://127.0.0.1:<port>", no trailing slash.
    std::string baseUrl() const;
    int port() const;

    // Registers a route: `method` ("GET", "POST", "DELETE", "PUT", "*" for any) and an
    // ECMAScript regex matched against the whole path (without the query). The route
    // registered last wins when several match, so a test can override a default. A
    // request no route matches gets 404 with {"error": "no fake route"}.
    void on(std::string method, std::string pathRegex, Handler handler);
    // Always the same reply.
    void reply(std::string method, std::string pathRegex, FakeReply fixedReply);
    // The n-th matching request gets replies[n]; the last one repeats.
    void replySequence(std::string method, std::string pathRegex, std::vector<FakeReply> replies);

    std::vector<RecordedRequest> requests() const;
    std::vector<RecordedRequest> requestsTo(std::string_view path) const;
    std::optional<RecordedRequest> lastRequest() const;
    // Requests received for exactly this path (any method).
    std::size_t count(std::string_view path) const;
    std::size_t totalCount() const;
    // Waits until at least `n` requests have been received; false on timeout.
    bool waitForRequests(std::size_t n, std::chrono::milliseconds timeout) const;
    // Forgets recorded requests and counters (routes stay).
    void clearRecords();

    // Ends stalls and trickles now, as the destructor does; the server stops serving.
    void stop();

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace ripen::test
