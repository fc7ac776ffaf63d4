#include "support/FakeHttpServer.h"

#include <catch2/catch.hpp>
#include <httplib.h>

#include <chrono>
#include <thread>

using namespace ripen::test;
using namespace std::chrono_literals;

// The fake server is test infrastructure: these checks use cpp-httplib's own client so
// that a fault in Ripen's HttpClient cannot hide a fault in the fake.

TEST_CASE("FakeHttpServer routes, records and counts requests", "[fakehttp]") {
    FakeHttpServer server;
    server.reply("GET", "/v1/items/[0-9]+", FakeReply::json(200, {{"ok", true}}));
    server.on("POST", "/v1/echo", [](const RecordedRequest& r) {
        return FakeReply::json(201, {{"got", r.body}}).withHeader("X-Trace", "abc");
    });

    httplib::Client client(server.baseUrl());
    auto get = client.Get("/v1/items/42?key=secret&n=1", {{"x-goog-api-key", "k1"}});
    REQUIRE(get);
    CHECK(get->status == 200);
    CHECK(nlohmann::json::parse(get->body)["ok"] == true);

    auto post = client.Post("/v1/echo", R"({"a":1})", "application/json");
    REQUIRE(post);
    CHECK(post->status == 201);
    CHECK(post->get_header_value("X-Trace") == "abc");

    auto missing = client.Get("/nowhere");
    REQUIRE(missing);
    CHECK(missing->status == 404);

    REQUIRE(server.totalCount() == 3);
    CHECK(server.count("/v1/items/42") == 1);
    CHECK(server.count("/v1/echo") == 1);
    auto first = server.requests().at(0);
    CHECK(first.method == "GET");
    CHECK(first.param("key") == "secret");
    CHECK(first.param("n") == "1");
    CHECK(first.header("X-GOOG-API-KEY") == "k1");
    CHECK(server.lastRequest()->path == "/nowhere");
    CHECK(server.requestsTo("/v1/echo").at(0).body == R"({"a":1})");

    server.clearRecords();
    CHECK(server.totalCount() == 0);
}

TEST_CASE("FakeHttpServer parses multipart fields and files", "[fakehttp]") {
    FakeHttpServer server;
    server.reply("POST", "/upload", FakeReply::json(200, nlohmann::json::object()));
    httplib::Client client(server.baseUrl());
    httplib::MultipartFormDataItems items = {
        {"prompt", "a red fox", "", ""},
        {"image", std::string("\x89PNG\0\1", 6), "fox.png", "image/png"},
    };
    auto res = client.Post("/upload", items);
    REQUIRE(res);
    auto r = server.lastRequest().value();
    CHECK(r.formFields.at("prompt") == "a red fox");
    REQUIRE(r.file("image") != nullptr);
    CHECK(r.file("image")->fileName == "fox.png");
    CHECK(r.file("image")->contentType == "image/png");
    CHECK(r.file("image")->content == std::string("\x89PNG\0\1", 6));
}

TEST_CASE("FakeHttpServer reply sequences and rate limits", "[fakehttp]") {
    FakeHttpServer server;
    server.replySequence("GET", "/r429",
                         {FakeReply::rateLimited("1"), FakeReply::json(200, {{"n", 2}})});
    httplib::Client client(server.baseUrl());
    auto a = client.Get("/r429");
    auto b = client.Get("/r429");
    auto c = client.Get("/r429");
    REQUIRE((a && b && c));
    CHECK(a->status == 429);
    CHECK(a->get_header_value("Retry-After") == "1");
    CHECK(b->status == 200);
    CHECK(c->status == 200);
    CHECK(server.count("/r429") == 3);
}

TEST_CASE("FakeHttpServer fault modes", "[fakehttp]") {
    FakeHttpServer server;
    httplib::Client client(server.baseUrl());

    SECTION("cut body closes before the declared length") {
        server.reply("GET", "/cut", FakeReply::cutBody(std::string(1000, 'a'), 5000));
        auto res = client.Get("/cut");
        CHECK_FALSE(res); // cpp-httplib's client reports a read error
    }
    SECTION("chunked body of a given size") {
        server.reply("GET", "/chunks", FakeReply::chunked(300'000));
        auto res = client.Get("/chunks");
        REQUIRE(res);
        CHECK(res->body.size() == 300'000);
    }
    SECTION("trickle sends everything, slowly") {
        server.reply("GET", "/slow", FakeReply::trickle("abcdef", 2, 50ms));
        auto start = std::chrono::steady_clock::now();
        auto res = client.Get("/slow");
        REQUIRE(res);
        CHECK(res->body == "abcdef");
        CHECK(std::chrono::steady_clock::now() - start >= 100ms);
    }
    SECTION("malformed JSON") {
        server.reply("GET", "/bad", FakeReply::malformedJson());
        auto res = client.Get("/bad");
        REQUIRE(res);
        CHECK_FALSE(nlohmann::json::accept(res->body));
    }
    SECTION("a stall ends when the server stops") {
        server.reply("GET", "/stall", FakeReply::stall(60s));
        std::thread caller([&] {
            httplib::Client c(server.baseUrl());
            c.set_read_timeout(30s);
            (void)c.Get("/stall");
        });
        REQUIRE(server.waitForRequests(1, 5s));
        auto start = std::chrono::steady_clock::now();
        server.stop();
        caller.join();
        CHECK(std::chrono::steady_clock::now() - start < 3s);
    }
}
