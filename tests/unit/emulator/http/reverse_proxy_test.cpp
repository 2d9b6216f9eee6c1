#include "emulator/http/reverse_proxy.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <regex>

#include "emulator/http/forwarded_headers.hpp"
#include "tests/unit/emulator/http/reverse_proxy_test_support.hpp"

// These tests open real loopback sockets on port 0 (the proxy is an I/O engine; its logic that
// needs no socket is tested on its own at the end) and keep every wait short.
using namespace awsemu;
using namespace awsemu::proxy_test;

TEST_CASE("Reverse proxy forwards a GET and adds the ALB's headers", "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::echo);
    auto routes = forward_to(target->port());
    ProxyListenerOptions options;
    options.advertised_port = 8080;
    auto listener = AsioReverseProxies(loop.io).listen(options, routes);
    REQUIRE(listener->port() != 0);

    Client client(listener->port());
    auto request = get("/items?x=1");
    request.set("X-Forwarded-For", "203.0.113.7");
    request.set("X-Custom", "kept");
    const auto response = client.send(request);

    CHECK(response.result_int() == 200);
    CHECK(response["X-Target-Port"] == std::to_string(target->port()));
    CHECK(response[http::field::keep_alive].empty());  // hop-by-hop: not passed back
    const auto seen = target->last_request();
    CHECK(seen.target() == "/items?x=1");
    CHECK(seen["X-Forwarded-For"] == "203.0.113.7, 127.0.0.1");
    CHECK(seen["X-Forwarded-Proto"] == "http");
    CHECK(seen["X-Forwarded-Port"] == "8080");
    CHECK(seen["X-Custom"] == "kept");
    CHECK(seen[http::field::host] == "app.example.com");
    CHECK(std::regex_match(std::string(seen["X-Amzn-Trace-Id"]), kTraceRoot));

    const auto asked = routes->last();
    CHECK(asked.method == "GET");
    CHECK(asked.target == "/items?x=1");
    CHECK(asked.source_ip == "127.0.0.1");
    CHECK(asked.headers.get("Host") == "app.example.com");
}

TEST_CASE("Reverse proxy keeps a client's trace id and adds a Self field",
          "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::echo);
    auto listener = AsioReverseProxies(loop.io).listen({}, forward_to(target->port()));
    Client client(listener->port());
    auto request = get("/");
    request.set("X-Amzn-Trace-Id", "Root=1-67891233-abcdef012345678912345678;CalledFrom=app");
    REQUIRE(client.send(request).result_int() == 200);
    const std::string trace(target->last_request()["X-Amzn-Trace-Id"]);
    CHECK(std::regex_match(trace, std::regex("^Self=1-[0-9a-f]{8}-[0-9a-f]{24};Root=1-67891233-"
                                             "abcdef012345678912345678;CalledFrom=app$")));
}

TEST_CASE("Reverse proxy strips hop-by-hop headers", "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::echo);
    auto listener = AsioReverseProxies(loop.io).listen({}, forward_to(target->port()));
    Client client(listener->port());
    auto request = get("/");
    request.set(http::field::connection, "keep-alive, X-Private-Hop");
    request.set("X-Private-Hop", "secret");
    request.set(http::field::keep_alive, "timeout=5");
    request.set("Proxy-Authorization", "Basic eDp5");
    request.set(http::field::te, "trailers");
    request.set(http::field::upgrade, "h2c");
    request.set("X-End-To-End", "yes");
    REQUIRE(client.send(request).result_int() == 200);
    const auto seen = target->last_request();
    CHECK(seen.count(http::field::connection) == 0);
    CHECK(seen.count("X-Private-Hop") == 0);
    CHECK(seen.count(http::field::keep_alive) == 0);
    CHECK(seen.count("Proxy-Authorization") == 0);
    CHECK(seen.count(http::field::te) == 0);
    CHECK(seen.count(http::field::upgrade) == 0);
    CHECK(seen["X-End-To-End"] == "yes");
}

TEST_CASE("Reverse proxy streams request bodies, Content-Length and chunked",
          "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::echo);
    auto listener = AsioReverseProxies(loop.io).listen({}, forward_to(target->port()));
    Client client(listener->port());

    const auto sized = client.send(post("/upload", "hello, target"));
    CHECK(sized.result_int() == 200);
    CHECK(sized.body() == "hello, target");
    CHECK(sized["X-Request-Chunked"] == "no");

    auto chunked = post("/upload", "");
    chunked.body() = "a chunked body";
    chunked.chunked(true);
    chunked.set("X-Chunked-Response", "1");
    const auto response = client.send(chunked);
    CHECK(response.result_int() == 200);
    CHECK(response.body() == "a chunked body");
    CHECK(response["X-Request-Chunked"] == "yes");
    CHECK(response.chunked());
    CHECK(target->last_request().body() == "a chunked body");
}

TEST_CASE("Reverse proxy streams an 8 MiB body both ways unchanged", "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::echo);
    auto listener = AsioReverseProxies(loop.io).listen({}, forward_to(target->port()));
    std::string body(8 * 1024 * 1024, '\0');
    std::mt19937 random(42);
    for (auto& byte : body) {
        byte = static_cast<char>(random());
    }
    Client client(listener->port());
    const auto response = client.send(post("/big", body));
    CHECK(response.result_int() == 200);
    REQUIRE(response.body().size() == body.size());
    CHECK(response.body() == body);
}

TEST_CASE("Reverse proxy relays a body that ends when the target closes", "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::body_until_close);
    auto listener = AsioReverseProxies(loop.io).listen({}, forward_to(target->port()));
    Client client(listener->port());
    const auto response = client.send(get("/"));
    CHECK(response.result_int() == 200);
    CHECK(response.body() == "until the end");
    // The client's parser finished the body only because the proxy closed the connection.
    CHECK_FALSE(response.keep_alive());
    CHECK_FALSE(response.has_content_length());
    CHECK_FALSE(response.chunked());
}

TEST_CASE("Reverse proxy reuses a keep-alive connection to the target", "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::echo);
    auto listener = AsioReverseProxies(loop.io).listen({}, forward_to(target->port()));
    Client client(listener->port());
    CHECK(client.send(get("/one")).result_int() == 200);
    CHECK(client.send(get("/two")).result_int() == 200);
    CHECK(client.send(post("/three", "body")).body() == "body");
    CHECK(target->accepts() == 1);
    CHECK(target->last_request().target() == "/three");

    Client second(listener->port());  // the pool is the listener's, not the connection's
    CHECK(second.send(get("/four")).result_int() == 200);
    CHECK(target->accepts() == 1);
}

TEST_CASE("Reverse proxy answers LocalAnswer itself", "[reverse_proxy][http]") {
    Loop loop;
    auto routes = std::make_shared<TestRoutes>();
    routes->decide = [](const ProxiedRequest& request) -> RouteDecision {
        LocalAnswer answer;
        answer.status = request.target == "/moved" ? 301 : 200;
        answer.headers.add("Content-Type", "text/plain");
        if (answer.status == 301) {
            answer.headers.add("Location", "https://app.example.com:443/moved");
        }
        answer.body = "fixed";
        return answer;
    };
    auto listener = AsioReverseProxies(loop.io).listen({}, routes);
    Client client(listener->port());
    // A body sent to a fixed response is read and dropped: the next request still parses.
    const auto first = client.send(post("/anything", std::string(100'000, 'x')));
    CHECK(first.result_int() == 200);
    CHECK(first[http::field::server] == "awselb/2.0");
    CHECK(first[http::field::content_type] == "text/plain");
    CHECK(first.body() == "fixed");
    const auto second = client.send(get("/moved"));
    CHECK(second.result_int() == 301);
    CHECK(second[http::field::location] == "https://app.example.com:443/moved");
    CHECK(routes->calls() == 2);
}

TEST_CASE("Reverse proxy answers 502 when the target refuses or talks garbage",
          "[reverse_proxy][http]") {
    Loop loop;
    SECTION("refused") {
        auto listener = AsioReverseProxies(loop.io).listen({}, forward_to(unused_port()));
        Client client(listener->port());
        const auto response = client.send(get("/"));
        CHECK(response.result_int() == 502);
        CHECK(response.reason() == "Bad Gateway");
        CHECK(response[http::field::server] == "awselb/2.0");
        CHECK(response[http::field::content_type] == "text/html");
        CHECK(response.body() == load_balancer_error(502).body);
        CHECK(client.send(get("/again")).result_int() == 502);  // the connection stays usable
    }
    SECTION("garbage") {
        auto target = Target::start(loop.io, Target::Mode::garbage);
        auto listener = AsioReverseProxies(loop.io).listen({}, forward_to(target->port()));
        Client client(listener->port());
        CHECK(client.send(get("/")).result_int() == 502);
    }
}

TEST_CASE("Reverse proxy answers 504 when the target does not answer in time",
          "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::silent);
    auto routes = forward_to(target->port());
    routes->idle = 200ms;
    auto listener = AsioReverseProxies(loop.io).listen({}, routes);
    Client client(listener->port());
    const auto started = std::chrono::steady_clock::now();
    const auto response = client.send(get("/slow"));
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(response.result_int() == 504);
    CHECK(response.reason() == "Gateway Time-out");
    CHECK(response.body().find("<title>504 Gateway Time-out</title>") != std::string::npos);
    CHECK(took >= 190ms);
    CHECK(took < 2s);
}

TEST_CASE("Reverse proxy answers 400 to a request that is not HTTP", "[reverse_proxy][http]") {
    Loop loop;
    auto listener = AsioReverseProxies(loop.io).listen({}, forward_to(unused_port()));
    Client client(listener->port());
    const auto response = client.send_raw("GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(response.result_int() == 400);
    CHECK(response[http::field::server] == "awselb/2.0");
    CHECK(client.closed_by_peer());
}

TEST_CASE("Reverse proxy closes a client connection idle past the timeout",
          "[reverse_proxy][http]") {
    Loop loop;
    auto routes = forward_to(unused_port());
    routes->idle = 150ms;
    auto listener = AsioReverseProxies(loop.io).listen({}, routes);
    Client client(listener->port());
    CHECK(client.closed_by_peer());
}

TEST_CASE("Reverse proxy holds the lease until the exchange is over", "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::echo);
    auto lease = std::make_shared<int>(1);
    const std::weak_ptr<int> watched = lease;
    auto routes = std::make_shared<TestRoutes>();
    routes->decide = [&, port = target->port()](const ProxiedRequest&) -> RouteDecision {
        return ForwardTo{"127.0.0.1", port, std::exchange(lease, nullptr)};
    };
    auto listener = AsioReverseProxies(loop.io).listen({}, routes);
    Client client(listener->port());
    CHECK(client.send(get("/")).result_int() == 200);
    CHECK(eventually([&] { return watched.expired(); }));
}

TEST_CASE("Reverse proxy passes a WebSocket upgrade through and relays bytes",
          "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::websocket);
    auto lease = std::make_shared<int>(1);
    const std::weak_ptr<int> watched = lease;
    auto listener =
        AsioReverseProxies(loop.io).listen({}, forward_to(target->port(), std::move(lease)));
    {
        Client client(listener->port());
        auto request = get("/socket");
        request.set(http::field::connection, "Upgrade");
        request.set(http::field::upgrade, "websocket");
        request.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
        request.set(http::field::sec_websocket_version, "13");
        const auto response = client.send(request);
        CHECK(response.result_int() == 101);
        CHECK(beast::iequals(response[http::field::upgrade], "websocket"));
        const auto seen = target->last_request();
        CHECK(seen[http::field::upgrade] == "websocket");
        CHECK(beast::iequals(seen[http::field::connection], "upgrade"));
        CHECK(seen[http::field::sec_websocket_key] == "dGhlIHNhbXBsZSBub25jZQ==");

        client.write_raw("\x81\x05hello");
        CHECK(client.read_raw(7) == "\x81\x05hello");
        client.write_raw(std::string(50'000, 'w'));
        CHECK(client.read_raw(50'000) == std::string(50'000, 'w'));
        CHECK_FALSE(watched.expired());  // the upgraded connection is still the exchange
    }
    CHECK(eventually([&] { return watched.expired(); }));
}

TEST_CASE("Reverse proxy terminates TLS with a self-signed identity", "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::echo);
    ProxyListenerOptions options;
    options.tls = self_signed_identity({"app.example.com", "localhost"});
    options.advertised_port = 443;
    CHECK(options.tls->certificate_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    CHECK(options.tls->private_key_pem.find("PRIVATE KEY-----") != std::string::npos);
    auto listener = AsioReverseProxies(loop.io).listen(options, forward_to(target->port()));

    asio::ssl::context context(asio::ssl::context::tls_client);
    context.set_verify_mode(asio::ssl::verify_none);
    Client<beast::ssl_stream<beast::tcp_stream>> client(listener->port(), context);
    const auto response = client.send(post("/secure", "over tls"));
    CHECK(response.result_int() == 200);
    CHECK(response.body() == "over tls");
    CHECK(client.send(get("/again")).result_int() == 200);
    const auto seen = target->last_request();
    CHECK(seen["X-Forwarded-Proto"] == "https");
    CHECK(seen["X-Forwarded-Port"] == "443");
}

TEST_CASE("Reverse proxy stops accepting on close and ends idle connections",
          "[reverse_proxy][http]") {
    Loop loop;
    auto target = Target::start(loop.io, Target::Mode::echo);
    auto listener = AsioReverseProxies(loop.io).listen({}, forward_to(target->port()));
    const auto port = listener->port();
    Client idle(port);
    CHECK(idle.send(get("/")).result_int() == 200);
    listener->close();
    CHECK(idle.closed_by_peer());
    CHECK(eventually([&] {
        asio::io_context io;
        tcp::socket socket(io);
        beast::error_code ec;
        socket.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), ec);
        return ec == asio::error::connection_refused;
    }));
}

TEST_CASE("Reverse proxy reports a port already taken", "[reverse_proxy][http]") {
    Loop loop;
    AsioReverseProxies proxies(loop.io);
    auto first = proxies.listen({}, forward_to(unused_port()));
    ProxyListenerOptions options;
    options.port = first->port();
    CHECK_THROWS_WITH(
        proxies.listen(options, forward_to(unused_port())),
        Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(first->port())));
}

TEST_CASE("Load balancer error pages are the ALB's", "[reverse_proxy][http]") {
    const auto page = load_balancer_error(503);
    CHECK(page.status == 503);
    CHECK(page.headers.get("Content-Type") == "text/html");
    CHECK(
        page.body ==
        "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
        "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n");
    CHECK(page.body.size() == 162);  // as an ALB's Content-Length says
    CHECK(load_balancer_error(502).body.size() == 122);
}

TEST_CASE("Forwarded headers follow the ALB's rules", "[reverse_proxy][http]") {
    CHECK(proxy::appended_forwarded_for("", "10.0.0.1") == "10.0.0.1");
    CHECK(proxy::appended_forwarded_for("1.2.3.4, 5.6.7.8", "10.0.0.1") ==
          "1.2.3.4, 5.6.7.8, 10.0.0.1");
    const std::string id = proxy::new_trace_id(0x5F5E1000);
    CHECK(std::regex_match(id, std::regex("^1-5f5e1000-[0-9a-f]{24}$")));
    CHECK(proxy::new_trace_id(0x5F5E1000) != id);
    CHECK(proxy::updated_trace_header("", "1-a-b") == "Root=1-a-b");
    CHECK(proxy::updated_trace_header("Root=1-x-y", "1-a-b") == "Self=1-a-b;Root=1-x-y");
    CHECK(proxy::updated_trace_header("Self=1-o-o;Root=1-x-y;CalledFrom=app", "1-a-b") ==
          "Self=1-a-b;Root=1-x-y;CalledFrom=app");
    CHECK(proxy::updated_trace_header("CalledFrom=app", "1-a-b") == "Root=1-a-b;CalledFrom=app");
    CHECK(proxy::is_hop_by_hop("connection"));
    CHECK(proxy::is_hop_by_hop("Proxy-Authorization"));
    CHECK_FALSE(proxy::is_hop_by_hop("Content-Type"));
    CHECK_FALSE(proxy::is_hop_by_hop("Transfer-Encoding"));
}
