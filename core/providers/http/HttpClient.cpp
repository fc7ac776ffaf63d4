#include "providers/http/HttpClient.h"

#include "common/UniqueFd.h"
#include "providers/http/SendGate.h"
#include "providers/http/internal/CurlHandles.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string_view>
#include <system_error>

namespace ripen::http {

using namespace internal;

namespace {

// Redirects are followed by hand (see perform), never by curl, so that secret headers can
// be dropped when a hop leaves the original origin: curl 7.88 only strips Authorization
// and Cookie, and would forward x-goog-api-key or x-api-key to any host.
constexpr int kMaxRedirects = 5;
// A download whose reply is an error keeps at most this much of it in memory.
constexpr std::uint64_t kMaxErrorBodyBytes = 4ULL << 20;
// How long curl_multi_poll waits at most before the stop token is looked at again; the
// stop callback wakes it at once, so this is only a safety net.
constexpr int kPollMillis = 250;
constexpr const char* kRedacted = "<redacted>";

void initCurlOnce() {
    // curl_global_init is not thread-safe and must run before any other curl call. It is
    // never undone: clients live until exit, and curl_global_cleanup while another thread
    // still uses curl is undefined.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && equalsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() &&
           (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    return text;
}

bool isSecretQueryName(std::string_view name) {
    static constexpr std::array<std::string_view, 11> kNames = {
        "key",   "api_key",       "apikey",   "access_token", "token", "client_secret",
        "password", "sig",        "signature", "x-goog-api-key", "auth"};
    return std::any_of(kNames.begin(), kNames.end(),
                       [name](std::string_view n) { return equalsIgnoreCase(n, name); });
}

bool isRedirectStatus(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool hasControlBytes(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        return c == '\r' || c == '\n' || c == '\0';
    });
}

// Every secret header value (and, for "Bearer xyz", the token alone) replaced in `text`.
std::string scrubSecrets(std::string text, const std::vector<Header>& headers) {
    auto replaceAll = [&text](std::string_view secret) {
        if (secret.size() < 4) {
            return; // too short to be a key; replacing it would mangle ordinary words
        }
        for (auto pos = text.find(secret); pos != std::string::npos;
             pos = text.find(secret, pos + std::strlen(kRedacted))) {
            text.replace(pos, secret.size(), kRedacted);
        }
    };
    for (const auto& h : headers) {
        if (!h.secret) {
            continue;
        }
        replaceAll(h.value);
        auto space = h.value.find_last_of(' ');
        if (space != std::string::npos) {
            replaceAll(std::string_view(h.value).substr(space + 1));
        }
    }
    return text;
}

// The temp file a download is streamed into; removed unless the transfer completed.
class DownloadFile {
public:
    static std::expected<DownloadFile, std::string> create(const std::filesystem::path& dir) {
        std::string pattern = (dir / "ripen-download-XXXXXX.part").string();
        int fd = ::mkostemps(pattern.data(), 5, O_CLOEXEC);
        if (fd < 0) {
            return std::unexpected("cannot create a download file in " + dir.string() + ": " +
                                   std::strerror(errno));
        }
        DownloadFile file;
        file.m_fd.reset(fd);
        file.m_path = pattern;
        return file;
    }
    DownloadFile() = default;
    DownloadFile(DownloadFile&&) noexcept = default;
    DownloadFile& operator=(DownloadFile&&) noexcept = default;
    ~DownloadFile() {
        if (!m_path.empty()) {
            m_fd.reset();
            std::error_code ignored;
            std::filesystem::remove(m_path, ignored);
        }
    }

    int fd() const { return m_fd.get(); }
    const std::filesystem::path& path() const { return m_path; }

    // Empties the file again (a redirect hop or an error reply wrote nothing useful).
    bool truncate() { return ::ftruncate(m_fd.get(), 0) == 0 && ::lseek(m_fd.get(), 0, SEEK_SET) == 0; }

    // fsync and close; the file is kept from now on.
    std::expected<std::filesystem::path, std::string> finish() {
        if (::fsync(m_fd.get()) != 0) {
            return std::unexpected(std::string("cannot sync the download file: ") +
                                   std::strerror(errno));
        }
        m_fd.reset();
        return std::exchange(m_path, {});
    }

private:
    UniqueFd m_fd;
    std::filesystem::path m_path;
};

// What the callbacks of one hop share with perform(); lives on perform's stack.
struct Transfer {
    enum class Abort { None, TooLarge, Cancelled, LocalIo };

    const Request* request = nullptr;
    std::stop_token stop;
    bool followRedirects = false;
    DownloadFile* download = nullptr;

    long status = 0;
    std::vector<Header> headers;
    std::optional<std::uint64_t> declaredLength;
    std::string body;
    std::uint64_t received = 0;
    bool toFile = false; // decided per reply: a 2xx reply of a download goes to the file
    bool discard = false; // body of a redirect that will be followed
    bool requestSent = false;
    Abort abort = Abort::None;
    int localErrno = 0;

    std::uint64_t cap() const {
        if (download != nullptr && !toFile) {
            return std::min(request->maxResponseBytes, kMaxErrorBodyBytes);
        }
        return request->maxResponseBytes;
    }
};

size_t onHeader(char* data, size_t size, size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const size_t length = size * count;
    std::string_view line(data, length);
    if (startsWithIgnoreCase(line, "HTTP/")) {
        // A new reply (an interim 100 Continue came before): start over.
        t.headers.clear();
        t.declaredLength.reset();
        auto space = line.find(' ');
        long status = 0;
        if (space != std::string_view::npos) {
            auto rest = line.substr(space + 1);
            std::from_chars(rest.data(), rest.data() + rest.size(), status);
        }
        t.status = status;
        t.discard = t.followRedirects && isRedirectStatus(status);
        t.toFile = t.download != nullptr && status >= 200 && status < 300;
        return length;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
        return length; // the blank line that ends the headers
    }
    Header header{std::string(trim(line.substr(0, colon))),
                  std::string(trim(line.substr(colon + 1))), false};
    if (equalsIgnoreCase(header.name, "Content-Length")) {
        std::uint64_t declared = 0;
        auto [end, ec] = std::from_chars(header.value.data(),
                                         header.value.data() + header.value.size(), declared);
        if (ec == std::errc() && end == header.value.data() + header.value.size()) {
            t.declaredLength = declared;
            // A reply that announces more than we accept is refused before its first byte.
            if (!t.discard && declared > t.cap()) {
                t.abort = Transfer::Abort::TooLarge;
                return 0;
            }
        }
    }
    t.headers.push_back(std::move(header));
    return length;
}

size_t onWrite(char* data, size_t size, size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const size_t length = size * count;
    if (t.stop.stop_requested()) {
        t.abort = Transfer::Abort::Cancelled;
        return 0;
    }
    if (t.discard) {
        return length;
    }
    // Checked here, not with CURLOPT_MAXFILESIZE: curl before 8.4 does not stop a chunked
    // body at that limit (RELIABILITY.md finding 6).
    if (t.received + length > t.cap()) {
        t.abort = Transfer::Abort::TooLarge;
        return 0;
    }
    t.received += length;
    if (t.toFile) {
        const char* p = data;
        size_t left = length;
        while (left > 0) {
            ssize_t n = ::write(t.download->fd(), p, left);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                t.abort = Transfer::Abort::LocalIo;
                t.localErrno = errno;
                return 0;
            }
            p += n;
            left -= static_cast<size_t>(n);
        }
    } else {
        t.body.append(data, length);
    }
    return length;
}

int onProgress(void* user, curl_off_t downloadTotal, curl_off_t downloadNow, curl_off_t,
               curl_off_t) {
    auto& t = *static_cast<Transfer*>(user);
    if (t.stop.stop_requested()) {
        t.abort = Transfer::Abort::Cancelled;
        return 1; // CURLE_ABORTED_BY_CALLBACK
    }
    if (t.request->onProgress && !t.discard && downloadNow > 0) {
        t.request->onProgress(static_cast<std::uint64_t>(downloadNow),
                              static_cast<std::uint64_t>(std::max<curl_off_t>(downloadTotal, 0)));
    }
    return 0;
}

// Whether any byte of the request went out. curl reports its outgoing header and body
// data to the debug callback right after writing them to the socket (for HTTP/2, when
// the frames are queued, which errs on the safe side: "maybe sent" makes a POST
// ambiguous rather than blindly retried). CURLINFO_REQUEST_SIZE would say the same only
// once the whole request is out, so a reset halfway through the upload would read as
// "not sent". Nothing here is logged: the data may hold secret headers.
int onDebug(CURL*, curl_infotype type, char*, size_t, void* user) {
    if (type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT) {
        static_cast<Transfer*>(user)->requestSent = true;
    }
    return 0;
}

Failure::Kind kindFor(CURLcode code, bool connected) {
    switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_BAD_CONTENT_ENCODING:
        return Failure::Kind::InvalidRequest;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
        return Failure::Kind::Connect;
    case CURLE_OPERATION_TIMEDOUT:
        return connected ? Failure::Kind::Timeout : Failure::Kind::Connect;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
        return Failure::Kind::Tls;
    case CURLE_FILESIZE_EXCEEDED:
        return Failure::Kind::TooLarge;
    case CURLE_ABORTED_BY_CALLBACK:
        return Failure::Kind::Cancelled;
    case CURLE_READ_ERROR: // a multipart file could not be read
    case CURLE_WRITE_ERROR:
        return Failure::Kind::LocalIo;
    default:
        return Failure::Kind::Network;
    }
}

struct Hop {
    std::string url;
    std::string method;
    bool sendBody = true;
    bool sendSecrets = true;
};

struct HopResult {
    CURLcode code = CURLE_OK;
    std::string curlMessage;
    bool connected = false;
    std::string redirectUrl;
    std::string effectiveUrl;
};

// Sets up one easy handle for `hop` and runs it on a private multi handle, so that a stop
// request can wake the transfer at once instead of at curl's next progress tick.
std::expected<HopResult, std::string> runHop(const Request& request, const Hop& hop,
                                             Transfer& t, std::chrono::milliseconds deadline) {
    CurlEasy easy(curl_easy_init());
    if (!easy) {
        return std::unexpected("curl_easy_init failed");
    }
    CURL* h = easy.get();
    std::array<char, CURL_ERROR_SIZE> errorBuffer{};
    CURLcode rc = CURLE_OK;
    auto set = [&](CURLoption option, auto value) {
        if (rc == CURLE_OK) {
            rc = curl_easy_setopt(h, option, value);
        }
    };

    set(CURLOPT_URL, hop.url.c_str());
    set(CURLOPT_ERRORBUFFER, errorBuffer.data());
    set(CURLOPT_NOSIGNAL, 1L); // no SIGALRM for DNS timeouts: we run on many threads
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    set(CURLOPT_FOLLOWLOCATION, 0L);
    set(CURLOPT_UNRESTRICTED_AUTH, 0L);
    // The defaults, stated so that nobody "fixes" a certificate problem by turning them off.
    set(CURLOPT_SSL_VERIFYPEER, 1L);
    set(CURLOPT_SSL_VERIFYHOST, 2L);
    set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connectTimeout.count()));
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<std::int64_t>(1, deadline.count())));
    if (request.lowSpeedBytes > 0 && request.lowSpeedWindow.count() > 0) {
        set(CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(request.lowSpeedBytes));
        set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(request.lowSpeedWindow.count()));
    }
    set(CURLOPT_USERAGENT, "Ripen");
    set(CURLOPT_HEADERFUNCTION, &onHeader);
    set(CURLOPT_HEADERDATA, &t);
    set(CURLOPT_WRITEFUNCTION, &onWrite);
    set(CURLOPT_WRITEDATA, &t);
    set(CURLOPT_NOPROGRESS, 0L);
    set(CURLOPT_XFERINFOFUNCTION, &onProgress);
    set(CURLOPT_XFERINFODATA, &t);
    set(CURLOPT_DEBUGFUNCTION, &onDebug);
    set(CURLOPT_DEBUGDATA, &t);
    set(CURLOPT_VERBOSE, 1L); // only feeds onDebug; curl prints nothing itself

    CurlSlist headerList;
    auto appendHeader = [&headerList](const std::string& line) {
        curl_slist* next = curl_slist_append(headerList.get(), line.c_str());
        if (next == nullptr) {
            return false;
        }
        (void)headerList.release(); // `next` now heads the same list
        headerList.reset(next);
        return true;
    };
    bool expectGiven = false;
    for (const auto& header : request.headers) {
        if (header.secret && !hop.sendSecrets) {
            continue;
        }
        expectGiven = expectGiven || equalsIgnoreCase(header.name, "Expect");
        // "Name;" is curl's way to send a header with an empty value.
        if (!appendHeader(header.value.empty() ? header.name + ";"
                                               : header.name + ": " + header.value)) {
            return std::unexpected("out of memory building headers");
        }
    }
    // Without this curl waits up to a second for "100 Continue" before large bodies.
    if (!expectGiven && !appendHeader("Expect:")) {
        return std::unexpected("out of memory building headers");
    }
    set(CURLOPT_HTTPHEADER, headerList.get());

    CurlMime mime;
    const bool multipart = hop.sendBody && !request.multipart.empty();
    if (multipart) {
        mime.reset(curl_mime_init(h));
        if (!mime) {
            return std::unexpected("curl_mime_init failed");
        }
        for (const auto& part : request.multipart) {
            curl_mimepart* p = curl_mime_addpart(mime.get());
            if (p == nullptr) {
                return std::unexpected("curl_mime_addpart failed");
            }
            CURLcode prc = curl_mime_name(p, part.name.c_str());
            if (part.file) {
                // Streamed from disk while sending; never read into memory here.
                if (prc == CURLE_OK) {
                    prc = curl_mime_filedata(p, part.file->c_str());
                }
                if (prc == CURLE_OK && !part.fileName.empty()) {
                    prc = curl_mime_filename(p, part.fileName.c_str());
                }
            } else if (prc == CURLE_OK) {
                prc = curl_mime_data(p, part.value.data(), part.value.size());
            }
            if (prc == CURLE_OK && !part.contentType.empty()) {
                prc = curl_mime_type(p, part.contentType.c_str());
            }
            if (prc != CURLE_OK) {
                return std::unexpected(std::string("multipart part \"") + part.name +
                                       "\": " + curl_easy_strerror(prc));
            }
        }
        set(CURLOPT_MIMEPOST, mime.get());
        if (hop.method != "POST") {
            set(CURLOPT_CUSTOMREQUEST, hop.method.c_str());
        }
    } else if (hop.method == "GET") {
        set(CURLOPT_HTTPGET, 1L);
    } else {
        const bool withBody = hop.sendBody && (hop.method == "POST" || !request.body.empty());
        if (withBody) {
            set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
            set(CURLOPT_POSTFIELDS, request.body.data());
        } else if (hop.method == "POST") {
            set(CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t{0});
            set(CURLOPT_POSTFIELDS, "");
        }
        if (hop.method != "POST") {
            set(CURLOPT_CUSTOMREQUEST, hop.method.c_str());
        }
    }
    if (rc != CURLE_OK) {
        HopResult result;
        result.code = rc;
        result.curlMessage = curl_easy_strerror(rc);
        return result;
    }

    CurlMulti multi(curl_multi_init());
    if (!multi || curl_multi_add_handle(multi.get(), h) != CURLM_OK) {
        return std::unexpected("curl_multi_init failed");
    }
    HopResult result;
    {
        // Declared after `multi` so that it is gone before the multi handle is freed; its
        // destructor waits for a wake-up that is running on another thread.
        std::stop_callback wake(t.stop, [m = multi.get()] { curl_multi_wakeup(m); });
        int running = 1;
        while (true) {
            CURLMcode mc = curl_multi_perform(multi.get(), &running);
            if (mc != CURLM_OK) {
                curl_multi_remove_handle(multi.get(), h);
                return std::unexpected(std::string("curl_multi_perform: ") +
                                       curl_multi_strerror(mc));
            }
            if (running == 0) {
                break;
            }
            if (t.stop.stop_requested()) {
                t.abort = Transfer::Abort::Cancelled;
                result.code = CURLE_ABORTED_BY_CALLBACK;
                break;
            }
            // curl shortens the wait to its own next timeout (deadline, low speed).
            mc = curl_multi_poll(multi.get(), nullptr, 0, kPollMillis, nullptr);
            if (mc != CURLM_OK) {
                curl_multi_remove_handle(multi.get(), h);
                return std::unexpected(std::string("curl_multi_poll: ") +
                                       curl_multi_strerror(mc));
            }
        }
    }
    if (result.code == CURLE_OK) {
        int queued = 0;
        result.code = CURLE_GOT_NOTHING;
        while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
            if (message->msg == CURLMSG_DONE && message->easy_handle == h) {
                result.code = message->data.result;
            }
        }
    }
    curl_off_t connectMicros = 0;
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connectMicros);
    result.connected = connectMicros > 0;
    long requestBytes = 0;
    curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &requestBytes);
    t.requestSent = t.requestSent || requestBytes > 0;
    if (const char* redirect = nullptr;
        curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK && redirect) {
        result.redirectUrl = redirect;
    }
    if (const char* effective = nullptr;
        curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective) {
        result.effectiveUrl = effective;
    }
    result.curlMessage = errorBuffer[0] != '\0' ? std::string(errorBuffer.data())
                                                : std::string(curl_easy_strerror(result.code));
    curl_multi_remove_handle(multi.get(), h);
    return result;
}

// scheme, host and port of `url`, lower-cased; empty when it does not parse.
std::string originOf(const std::string& url) {
    CurlUrl handle(curl_url());
    if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        return {};
    }
    auto part = [&handle](CURLUPart which, unsigned flags) {
        char* raw = nullptr;
        if (curl_url_get(handle.get(), which, &raw, flags) != CURLUE_OK) {
            return std::string();
        }
        CurlString owned(raw);
        std::string text(owned.get());
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return text;
    };
    return part(CURLUPART_SCHEME, 0) + "://" + part(CURLUPART_HOST, 0) + ":" +
           part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
}

bool isHttpUrl(std::string_view url) {
    return startsWithIgnoreCase(url, "http://") || startsWithIgnoreCase(url, "https://");
}

// The host of an http(s) URL, lower-case, without user info, port or IPv6 brackets.
std::string urlHost(std::string_view url) {
    url.remove_prefix(url.find("://") + 3);
    url = url.substr(0, url.find_first_of("/?#"));
    if (const auto at = url.rfind('@'); at != std::string_view::npos) {
        url.remove_prefix(at + 1);
    }
    if (url.starts_with('[')) {
        url = url.substr(1, url.find(']') - 1);
    } else {
        url = url.substr(0, url.find(':'));
    }
    std::string host(url);
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return host;
}

// This machine or the local network (loopback, RFC 1918, link-local, IPv6 ULA, mDNS
// names, single-label names): where a ComfyUI or A1111 the user added may speak plain HTTP.
bool isLocalNetworkHost(const std::string& host) {
    int a = -1;
    int b = -1;
    if (std::sscanf(host.c_str(), "%d.%d.", &a, &b) == 2) {
        return a == 127 || a == 10 || (a == 192 && b == 168) || (a == 172 && b >= 16 && b <= 31) ||
               (a == 169 && b == 254);
    }
    if (host.find(':') != std::string::npos) {
        return host == "::1" || host.starts_with("fc") || host.starts_with("fd") ||
               host.starts_with("fe80:");
    }
    return host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local") ||
           host.find('.') == std::string::npos;
}

} // namespace

HttpClient::HttpClient() { initCurlOnce(); }

HttpClient::~HttpClient() = default;

std::expected<Response, Failure> HttpClient::perform(const Request& request,
                                                     std::stop_token stop) const {
    initCurlOnce();
    const auto started = std::chrono::steady_clock::now();
    bool anySent = false;
    auto failure = [&](Failure::Kind kind, const std::string& url, const std::string& cause) {
        Failure f;
        f.kind = kind;
        f.requestSent = anySent;
        f.message = scrubSecrets(request.method + " " + redactUrl(url) + ": " + cause,
                                 request.headers);
        return std::unexpected(std::move(f));
    };

    static constexpr std::array<std::string_view, 5> kMethods = {"GET", "POST", "DELETE", "PUT",
                                                                 "PATCH"};
    if (std::find(kMethods.begin(), kMethods.end(), request.method) == kMethods.end()) {
        return failure(Failure::Kind::InvalidRequest, request.url,
                       "unsupported method \"" + request.method + "\"");
    }
    if (!isHttpUrl(request.url)) {
        return failure(Failure::Kind::InvalidRequest, request.url, "only http and https URLs");
    }
    // A key never crosses the internet in clear text, whatever base URL was configured.
    const bool carriesSecret = std::any_of(request.headers.begin(), request.headers.end(),
                                           [](const Header& h) { return h.secret; });
    if (carriesSecret && startsWithIgnoreCase(request.url, "http://") &&
        !isLocalNetworkHost(urlHost(request.url))) {
        return failure(Failure::Kind::InvalidRequest, request.url,
                       "refusing to send a key over plain HTTP to " + urlHost(request.url) +
                           "; use https (plain http is only for engines on this machine or the "
                           "local network)");
    }
    for (const auto& header : request.headers) {
        if (header.name.empty() || hasControlBytes(header.name) || hasControlBytes(header.value) ||
            header.name.find(':') != std::string::npos) {
            return failure(Failure::Kind::InvalidRequest, request.url,
                           "header \"" + (header.secret ? std::string(kRedacted) : header.name) +
                               "\" has a bad name or value");
        }
    }
    for (const auto& part : request.multipart) {
        std::error_code ec;
        if (part.file && !std::filesystem::is_regular_file(*part.file, ec)) {
            return failure(Failure::Kind::LocalIo, request.url,
                           "multipart file " + part.file->string() + " is not a readable file");
        }
    }
    if (stop.stop_requested()) {
        return failure(Failure::Kind::Cancelled, request.url, "cancelled before sending");
    }

    std::optional<DownloadFile> download;
    if (request.downloadDir) {
        auto created = DownloadFile::create(*request.downloadDir);
        if (!created) {
            return failure(Failure::Kind::LocalIo, request.url, created.error());
        }
        download = std::move(*created);
    }

    Hop hop{request.url, request.method, true, true};
    const std::string firstOrigin = originOf(request.url);
    for (int redirects = 0;; ++redirects) {
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        if (elapsed >= request.deadline) {
            return failure(Failure::Kind::Timeout, hop.url, "deadline passed while redirected");
        }
        if (download && !download->truncate()) {
            return failure(Failure::Kind::LocalIo, hop.url,
                           std::string("cannot reuse the download file: ") + std::strerror(errno));
        }

        Transfer t;
        t.request = &request;
        t.stop = stop;
        t.followRedirects = request.followRedirects;
        t.download = download ? &*download : nullptr;
        if (std::string unrecorded; !SendGate::admit(unrecorded)) {
            return failure(Failure::Kind::LocalIo, hop.url, unrecorded);
        }
        auto ran = runHop(request, hop, t, request.deadline - elapsed);
        anySent = anySent || t.requestSent;
        if (!ran) {
            return failure(Failure::Kind::InvalidRequest, hop.url, ran.error());
        }
        const HopResult& result = *ran;

        switch (t.abort) {
        case Transfer::Abort::Cancelled:
            return failure(Failure::Kind::Cancelled, hop.url, "cancelled");
        case Transfer::Abort::TooLarge:
            return failure(Failure::Kind::TooLarge, hop.url,
                           "the reply passed the limit of " + std::to_string(t.cap()) + " bytes" +
                               (t.declaredLength
                                    ? " (it declared " + std::to_string(*t.declaredLength) + ")"
                                    : std::string()));
        case Transfer::Abort::LocalIo:
            return failure(Failure::Kind::LocalIo, hop.url,
                           std::string("cannot write the download file: ") +
                               std::strerror(t.localErrno));
        case Transfer::Abort::None:
            break;
        }
        if (result.code != CURLE_OK) {
            return failure(kindFor(result.code, result.connected), hop.url, result.curlMessage);
        }

        if (request.followRedirects && isRedirectStatus(t.status) && !result.redirectUrl.empty()) {
            if (redirects >= kMaxRedirects) {
                return failure(Failure::Kind::Network, hop.url, "too many redirects");
            }
            if (!isHttpUrl(result.redirectUrl)) {
                return failure(Failure::Kind::InvalidRequest, hop.url,
                               "redirect to a URL that is not http or https");
            }
            // Keys go to the origin they were meant for only, and never over a downgrade.
            if (originOf(result.redirectUrl) != firstOrigin) {
                hop.sendSecrets = false;
            }
            if (t.status == 303 || ((t.status == 301 || t.status == 302) && hop.method == "POST")) {
                hop.method = "GET";
                hop.sendBody = false;
            }
            hop.url = result.redirectUrl;
            continue;
        }

        if (t.declaredLength && *t.declaredLength != t.received) {
            return failure(Failure::Kind::Network, hop.url,
                           "the reply ended after " + std::to_string(t.received) + " of " +
                               std::to_string(*t.declaredLength) + " bytes");
        }
        Response response;
        response.status = static_cast<int>(t.status);
        response.headers = std::move(t.headers);
        response.bodyBytes = t.received;
        response.effectiveUrl = result.effectiveUrl.empty() ? hop.url : result.effectiveUrl;
        if (t.toFile) {
            auto kept = download->finish();
            if (!kept) {
                return failure(Failure::Kind::LocalIo, hop.url, kept.error());
            }
            response.file = std::move(*kept);
        } else {
            response.body = std::move(t.body);
        }
        return response;
    }
}

std::string HttpClient::redactUrl(const std::string& url) {
    std::string out = url;
    // user:password@ in the authority
    auto schemeEnd = out.find("://");
    if (schemeEnd != std::string::npos) {
        auto authorityStart = schemeEnd + 3;
        auto authorityEnd = out.find_first_of("/?#", authorityStart);
        if (authorityEnd == std::string::npos) {
            authorityEnd = out.size();
        }
        auto at = out.rfind('@', authorityEnd == 0 ? 0 : authorityEnd - 1);
        if (at != std::string::npos && at >= authorityStart && at < authorityEnd) {
            out.replace(authorityStart, at - authorityStart, kRedacted);
        }
    }
    auto query = out.find('?');
    if (query == std::string::npos) {
        return out;
    }
    auto fragment = out.find('#', query);
    auto queryEnd = fragment == std::string::npos ? out.size() : fragment;
    std::string rebuilt;
    std::string_view rest(out.data() + query + 1, queryEnd - query - 1);
    while (true) {
        auto amp = rest.find('&');
        std::string_view param = rest.substr(0, amp);
        auto eq = param.find('=');
        std::string_view name = param.substr(0, eq);
        if (eq != std::string_view::npos && isSecretQueryName(name)) {
            rebuilt.append(name).append("=").append(kRedacted);
        } else {
            rebuilt.append(param);
        }
        if (amp == std::string_view::npos) {
            break;
        }
        rebuilt.push_back('&');
        rest.remove_prefix(amp + 1);
    }
    return out.substr(0, query + 1) + rebuilt + out.substr(queryEnd);
}

} // namespace ripen::http
