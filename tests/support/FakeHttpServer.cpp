#include "support/FakeHttpServer.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <iterator>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace ripen::test {

namespace {

// Enough worker threads for the concurrent-cancellation tests (50 stalled transfers) with
// room to spare; cpp-httplib's default is max(8, cores - 1), which would queue them.
constexpr std::size_t kServerThreads = 64;
constexpr std::size_t kFillerPiece = 64 * 1024;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

const std::string& filler() {
    static const std::string piece(kFillerPiece, 'x');
    return piece;
}

} // namespace

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (equalsIgnoreCase(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<std::string> RecordedRequest::param(std::string_view name) const {
    auto it = params.find(std::string(name));
    if (it == params.end()) {
        return std::nullopt;
    }
    return it->second;
}

const RecordedFile* RecordedRequest::file(std::string_view fieldName) const {
    for (const auto& f : files) {
        if (f.name == fieldName) {
            return &f;
        }
    }
    return nullptr;
}

FakeReply FakeReply::json(int status, const nlohmann::json& body) {
    FakeReply reply;
    reply.status = status;
    reply.body = body.dump();
    return reply;
}

FakeReply FakeReply::text(int status, std::string body, std::string contentType) {
    FakeReply reply;
    reply.status = status;
    reply.body = std::move(body);
    reply.contentType = std::move(contentType);
    return reply;
}

FakeReply FakeReply::bytes(std::string body, std::string contentType) {
    return text(200, std::move(body), std::move(contentType));
}

FakeReply FakeReply::file(const std::filesystem::path& path, std::string contentType) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("FakeReply::file cannot read " + path.string());
    }
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return bytes(std::move(content), std::move(contentType));
}

FakeReply FakeReply::rateLimited(std::string retryAfter, const nlohmann::json& body) {
    nlohmann::json payload = body;
    if (payload.is_null()) {
        payload = {{"error", {{"code", 429}, {"message", "Resource has been exhausted"}}}};
    }
    FakeReply reply = json(429, payload);
    reply.withHeader("Retry-After", std::move(retryAfter));
    return reply;
}

FakeReply FakeReply::malformedJson(int status) {
    return text(status, R"({"candidates": [{"content": {"parts": [{"text": "cut)",
                "application/json");
}

FakeReply FakeReply::stall(std::chrono::milliseconds duration) {
    FakeReply reply = json(200, nlohmann::json::object());
    reply.delay = duration;
    return reply;
}

FakeReply FakeReply::trickle(std::string body, std::size_t bytesPerPiece,
                             std::chrono::milliseconds interval) {
    FakeReply reply = bytes(std::move(body));
    reply.mode = Mode::Trickle;
    reply.trickleBytes = std::max<std::size_t>(1, bytesPerPiece);
    reply.trickleInterval = interval;
    return reply;
}

FakeReply FakeReply::cutBody(std::string sentPart, std::uint64_t declaredLength) {
    FakeReply reply = bytes(std::move(sentPart));
    reply.mode = Mode::CutBody;
    reply.declaredLength = std::max<std::uint64_t>(declaredLength, reply.body.size() + 1);
    return reply;
}

FakeReply FakeReply::chunked(std::uint64_t totalBytes, std::string contentType) {
    FakeReply reply;
    reply.mode = Mode::Chunked;
    reply.totalBytes = totalBytes;
    reply.contentType = std::move(contentType);
    return reply;
}

FakeReply FakeReply::endlessChunked(std::string contentType) {
    return chunked(0, std::move(contentType));
}

FakeReply FakeReply::hugeContentLength(std::uint64_t declaredLength, std::string contentType) {
    FakeReply reply;
    reply.mode = Mode::HugeContentLength;
    reply.declaredLength = declaredLength;
    reply.contentType = std::move(contentType);
    return reply;
}

FakeReply& FakeReply::withHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

FakeReply& FakeReply::after(std::chrono::milliseconds wait) {
    delay = wait;
    return *this;
}

class FakeHttpServer::Impl {
public:
    Impl() {
        // A client that hangs up while an endless body is being written must give the
        // writer EPIPE, not kill the test process.
        std::signal(SIGPIPE, SIG_IGN);

        m_server.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
        // Short keep-alive so that stop() never waits long for an idle connection.
        m_server.set_keep_alive_timeout(1);
        m_server.set_read_timeout(5);
        m_server.set_write_timeout(5);

        auto handler = [this](const httplib::Request& req, httplib::Response& res) {
            serve(req, res);
        };
        m_server.Get(".*", handler);
        m_server.Post(".*", handler);
        m_server.Put(".*", handler);
        m_server.Patch(".*", handler);
        m_server.Delete(".*", handler);
        m_server.Options(".*", handler);

        m_port = m_server.bind_to_any_port("127.0.0.1");
        if (m_port <= 0) {
            throw std::runtime_error("FakeHttpServer: cannot bind a loopback port");
        }
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        // stop() is a no-op until the accept loop runs, so wait for it here; the socket
        // already listens, so no request can be lost meanwhile.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!m_server.is_running() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    ~Impl() { stop(); }

    void stop() {
        {
            std::lock_guard lock(m_stopMutex);
            m_stopping = true;
        }
        m_stopCv.notify_all();
        if (m_thread.joinable()) {
            m_server.stop();
            m_thread.join();
        }
    }

    // Sleeps for `duration` unless the server stops first; false when it stopped.
    bool sleepFor(std::chrono::milliseconds duration) {
        std::unique_lock lock(m_stopMutex);
        return !m_stopCv.wait_for(lock, duration, [this] { return m_stopping; });
    }

    bool stopping() {
        std::lock_guard lock(m_stopMutex);
        return m_stopping;
    }

    struct Route {
        std::string method;
        std::regex pattern;
        Handler handler;
    };

    void addRoute(std::string method, const std::string& pathRegex, Handler handler) {
        std::lock_guard lock(m_mutex);
        m_routes.push_back(Route{std::move(method), std::regex(pathRegex), std::move(handler)});
    }

    void serve(const httplib::Request& req, httplib::Response& res) {
        RecordedRequest recorded = record(req);
        Handler handler;
        {
            std::lock_guard lock(m_mutex);
            for (auto it = m_routes.rbegin(); it != m_routes.rend(); ++it) {
                if ((it->method == "*" || it->method == recorded.method) &&
                    std::regex_match(recorded.path, it->pattern)) {
                    handler = it->handler;
                    break;
                }
            }
        }
        FakeReply reply;
        try {
            reply = handler ? handler(recorded)
                            : FakeReply::json(404, {{"error", "no fake route"},
                                                    {"path", recorded.path}});
        } catch (const std::exception& e) {
            reply = FakeReply::json(500, {{"error", std::string("fake handler threw: ") + e.what()}});
        }
        if (reply.delay.count() > 0 && !sleepFor(reply.delay)) {
            res.status = 503;
            return;
        }
        apply(std::move(reply), res);
    }

    RecordedRequest record(const httplib::Request& req) {
        RecordedRequest rec;
        rec.method = req.method;
        rec.path = req.path;
        rec.params.insert(req.params.begin(), req.params.end());
        for (const auto& [name, value] : req.headers) {
            rec.headers.emplace_back(name, value);
        }
        rec.body = req.body;
        for (const auto& [name, part] : req.files) {
            if (part.filename.empty()) {
                rec.formFields[name] = part.content;
            } else {
                rec.files.push_back(RecordedFile{name, part.filename, part.content_type,
                                                 part.content});
            }
        }
        rec.receivedAt = std::chrono::steady_clock::now();
        {
            std::lock_guard lock(m_mutex);
            m_records.push_back(rec);
            ++m_counts[rec.path];
        }
        m_recordedCv.notify_all();
        return rec;
    }

    void apply(FakeReply reply, httplib::Response& res) {
        res.status = reply.status;
        for (const auto& [name, value] : reply.headers) {
            res.set_header(name, value);
        }
        switch (reply.mode) {
        case FakeReply::Mode::Normal:
            res.set_content(reply.body, reply.contentType);
            return;
        case FakeReply::Mode::Trickle: {
            auto body = std::make_shared<std::string>(std::move(reply.body));
            res.set_content_provider(
                body->size(), reply.contentType,
                [this, body, piece = reply.trickleBytes, pause = reply.trickleInterval](
                    std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                    if (offset > 0 && !sleepFor(pause)) {
                        return false;
                    }
                    std::size_t n = std::min({piece, length, body->size() - offset});
                    return sink.write(body->data() + offset, n);
                });
            return;
        }
        case FakeReply::Mode::CutBody: {
            auto part = std::make_shared<std::string>(std::move(reply.body));
            res.set_content_provider(
                static_cast<std::size_t>(reply.declaredLength), reply.contentType,
                [part](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                    // Returning false makes cpp-httplib close the connection with the
                    // declared length unmet: the client sees a cut transfer.
                    if (offset == 0 && !part->empty()) {
                        return sink.write(part->data(), part->size());
                    }
                    return false;
                });
            return;
        }
        case FakeReply::Mode::Chunked:
            res.set_chunked_content_provider(
                reply.contentType,
                [this, total = reply.totalBytes](std::size_t offset, httplib::DataSink& sink) {
                    if (stopping()) {
                        return false;
                    }
                    if (total != 0 && offset >= total) {
                        sink.done();
                        return true;
                    }
                    std::size_t n = filler().size();
                    if (total != 0) {
                        n = static_cast<std::size_t>(std::min<std::uint64_t>(n, total - offset));
                    }
                    return sink.write(filler().data(), n);
                });
            return;
        case FakeReply::Mode::HugeContentLength:
            res.set_content_provider(
                static_cast<std::size_t>(reply.declaredLength), reply.contentType,
                [this](std::size_t, std::size_t length, httplib::DataSink& sink) {
                    if (stopping()) {
                        return false;
                    }
                    return sink.write(filler().data(), std::min(length, filler().size()));
                });
            return;
        }
    }

    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;

    std::mutex m_stopMutex;
    std::condition_variable m_stopCv;
    bool m_stopping = false;

    mutable std::mutex m_mutex; // guards routes, records and counts
    mutable std::condition_variable m_recordedCv;
    std::vector<Route> m_routes;
    std::vector<RecordedRequest> m_records;
    std::map<std::string, std::size_t, std::less<>> m_counts;
};

FakeHttpServer::FakeHttpServer() : m_impl(std::make_unique<Impl>()) {}

FakeHttpServer::~FakeHttpServer() = default;

std::string FakeHttpServer::baseUrl() const {
    return "http://127.0.0.1:" + std::to_string(m_impl->m_port);
}

int FakeHttpServer::port() const { return m_impl->m_port; }

void FakeHttpServer::on(std::string method, std::string pathRegex, Handler handler) {
    m_impl->addRoute(std::move(method), pathRegex, std::move(handler));
}

void FakeHttpServer::reply(std::string method, std::string pathRegex, FakeReply fixedReply) {
    on(std::move(method), std::move(pathRegex),
       [fixedReply = std::move(fixedReply)](const RecordedRequest&) { return fixedReply; });
}

void FakeHttpServer::replySequence(std::string method, std::string pathRegex,
                                   std::vector<FakeReply> replies) {
    if (replies.empty()) {
        throw std::invalid_argument("FakeHttpServer::replySequence needs at least one reply");
    }
    auto next = std::make_shared<std::atomic<std::size_t>>(0);
    on(std::move(method), std::move(pathRegex),
       [replies = std::move(replies), next](const RecordedRequest&) {
           std::size_t index = next->fetch_add(1);
           return replies[std::min(index, replies.size() - 1)];
       });
}

std::vector<RecordedRequest> FakeHttpServer::requests() const {
    std::lock_guard lock(m_impl->m_mutex);
    return m_impl->m_records;
}

std::vector<RecordedRequest> FakeHttpServer::requestsTo(std::string_view path) const {
    std::lock_guard lock(m_impl->m_mutex);
    std::vector<RecordedRequest> matching;
    for (const auto& r : m_impl->m_records) {
        if (r.path == path) {
            matching.push_back(r);
        }
    }
    return matching;
}

std::optional<RecordedRequest> FakeHttpServer::lastRequest() const {
    std::lock_guard lock(m_impl->m_mutex);
    if (m_impl->m_records.empty()) {
        return std::nullopt;
    }
    return m_impl->m_records.back();
}

std::size_t FakeHttpServer::count(std::string_view path) const {
    std::lock_guard lock(m_impl->m_mutex);
    auto it = m_impl->m_counts.find(path);
    return it == m_impl->m_counts.end() ? 0 : it->second;
}

std::size_t FakeHttpServer::totalCount() const {
    std::lock_guard lock(m_impl->m_mutex);
    return m_impl->m_records.size();
}

bool FakeHttpServer::waitForRequests(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_impl->m_mutex);
    return m_impl->m_recordedCv.wait_for(lock, timeout,
                                         [&] { return m_impl->m_records.size() >= n; });
}

void FakeHttpServer::clearRecords() {
    std::lock_guard lock(m_impl->m_mutex);
    m_impl->m_records.clear();
    m_impl->m_counts.clear();
}

void FakeHttpServer::stop() { m_impl->stop(); }

} // namespace ripen::test
