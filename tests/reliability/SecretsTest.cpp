// RELIABILITY.md S2 and S3: canary keys go through generation, a server that echoes the
// key back in its errors, the queue, exports and backups; afterwards nothing on disk and
// nothing Ripen printed holds them. TLS verification has no off switch in the source.
#include "support/FakeHttpServer.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/TestImages.h"
#include "support/fakes/UniqueImageReplies.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>

using namespace ripen;
using namespace ripen::test;

namespace {

// Shaped like real keys so that shape-based scrubbing is exercised too.
constexpr const char* kOpenAiCanary = "sk-proj-RIPENTESTCANARY0openai0a1b2c3d4e5f6g7h8i9j0";
constexpr const char* kCanaryMark = "RIPENTESTCANARY";

// Files under `root` whose bytes contain `needle` (the catalog, its -wal, backups,
// exports, logs, job work folders: everything).
std::vector<std::string> filesContaining(const std::filesystem::path& root,
                                         const std::string& needle) {
    std::vector<std::string> hits;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (entry.is_regular_file() && readBytes(entry.path()).find(needle) != std::string::npos) {
            hits.push_back(entry.path().string());
        }
    }
    return hits;
}

std::string sourceTree() {
    return RIPEN_CHECKOUT_DIR;
}

} // namespace

TEST_CASE("canary keys appear nowhere on disk or in output after generation, errors, "
          "exports and backups",
          "[reliability][secrets]") {
    TempDir dir;
    FakeHttpServer server;
    UniqueImageReplies replies(server);
    ::setenv("RIPEN_OPENAI_BASE_URL", server.baseUrl().c_str(), 1);
    ::setenv("OPENAI_API_KEY", kOpenAiCanary, 1);
    const auto library = dir / "library";
    std::string printed;
    const auto cli = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {ripenCli(), "--library", library.string()});
        const auto run = runProcess(args);
        printed += run.out + run.err;
        return run;
    };
    const std::vector<std::string> generate{"generate",    "--provider", "openai",    "--model",
                                            "gpt-image-1", "--prompt",   "a lantern", "--wait"};
    REQUIRE(cli(generate).exitCode == 0);
    // A hostile or careless server quotes the key in its error replies, as OpenAI's 401
    // quotes part of it; Ripen keeps the message but not the key.
    server.on("POST", "/v1/images/generations", [](const RecordedRequest& request) {
        const std::string auth = request.header("Authorization").value_or("");
        return FakeReply::json(401, {{"error",
                                      {{"message", "Incorrect API key provided: " + auth},
                                       {"type", "invalid_request_error"},
                                       {"code", "invalid_api_key"}}}});
    });
    const auto refused = cli(generate);
    INFO(refused.out << refused.err);
    CHECK(refused.exitCode != 0);
    server.on("POST", "/v1/images/generations", [](const RecordedRequest& request) {
        return FakeReply::json(
            400, {{"error",
                   {{"message", "bad request from " + request.header("Authorization").value_or("")},
                    {"type", "invalid_request_error"}}}});
    });
    CHECK(cli(generate).exitCode != 0);
    cli({"queue", "run"});
    cli({"queue", "list", "--json"});
    cli({"list", "--json"});
    cli({"export", "1", (dir / "exports").string()});
    cli({"catalog", "backup"});
    REQUIRE(server.totalCount() >= 3);
    for (const auto& request : server.requests()) {
        // Sent only as a header, never in a URL or a body.
        CHECK(request.header("Authorization") == std::string("Bearer ") + kOpenAiCanary);
        CHECK(request.path.find(kCanaryMark) == std::string::npos);
        CHECK(request.body.find(kCanaryMark) == std::string::npos);
        for (const auto& [name, value] : request.params) {
            CHECK(value.find(kCanaryMark) == std::string::npos);
        }
    }
    INFO(printed);
    CHECK(printed.find("Incorrect API key provided") != std::string::npos); // scrubbed, kept
    CHECK(printed.find(kCanaryMark) == std::string::npos);
    CHECK(filesContaining(dir.path(), kCanaryMark).empty());
}

TEST_CASE("TLS certificate checks cannot be switched off anywhere in Ripen's source",
          "[reliability][secrets]") {
    const std::regex switchedOff(R"(SSL_VERIFY(PEER|HOST|STATUS)\s*,\s*0)");
    int sources = 0;
    for (const char* part : {"core", "app", "ui"}) {
        for (const auto& entry :
             std::filesystem::recursive_directory_iterator(sourceTree() + "/" + part)) {
            const auto ext = entry.path().extension();
            if (ext != ".cpp" && ext != ".h") {
                continue;
            }
            ++sources;
            INFO(entry.path());
            CHECK_FALSE(std::regex_search(readBytes(entry.path()), switchedOff));
        }
    }
    CHECK(sources > 100);
    const std::string client = readBytes(sourceTree() + "/core/providers/http/HttpClient.cpp");
    CHECK(client.find("CURLOPT_SSL_VERIFYPEER, 1L") != std::string::npos);
    CHECK(client.find("CURLOPT_SSL_VERIFYHOST, 2L") != std::string::npos);
}
