#include "emulator/http/reverse_proxy.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <random>
#include <regex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "emulator/http/forwarded_headers.hpp"

// These tests open real loopback sockets on port 0 (the proxy is an I/O engine; its logic that
// needs no socket is tested on its own below) and keep every wait short.
using namespace awsemu;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// The event loop the proxies and targets run on, on its own thread.
struct Loop {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    std::thread thread{[this] { io.run(); }};
    ~Loop() {
        work.reset();
        io.stop();
        thread.join();
    }
};

// A target behind the proxy: a tiny HTTP server whose behaviour each test picks.
class Target : public std::enable_shared_from_this<Target> {
  public:
    enum class Mode { echo, garbage, silent, websocket, body_until_close };

    static std::shared_ptr<Target> start(asio::io_context& io, Mode mode) {
        auto target = std::shared_ptr<Target>(new Target(io, mode));
        asio::co_spawn(io, target->accept_loop(), asio::detached);
        return target;
    }

    std::uint16_t port() const { return port_; }
    int accepts() const { return accepts_.load(); }
    http::request<http::string_body> last_request() {
        std::lock_guard lock(mutex_);
        return last_;
    }

  private:
    Target(asio::io_context& io, Mode mode)
        : mode_(mode), acceptor_(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
        port_ = acceptor_.local_endpoint().port();
    }

    asio::awaitable<void> accept_loop() {
        auto self = shared_from_this();
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(kAwait);
            if (ec) {
                co_return;
            }
            ++accepts_;
            asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
        }
    }

    asio::awaitable<void> serve(tcp::socket socket) {
        auto self = shared_from_this();
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(boost::none);
            auto [ec, bytes] = co_await http::async_read(stream, buffer, parser, kAwait);
            if (ec) {
                co_return;
            }
            auto request = parser.release();
            {
                std::lock_guard lock(mutex_);
                last_ = request;
            }
            if (mode_ == Mode::silent) {
                asio::steady_timer timer(stream.get_executor(), 5s);
                co_await timer.async_wait(kAwait);
                co_return;
            }
            if (mode_ == Mode::garbage) {
                static constexpr std::string_view kGarbage = "THIS IS NOT HTTP\r\n\r\n";
                co_await asio::async_write(stream, asio::buffer(kGarbage), kAwait);
                co_return;
            }
            if (mode_ == Mode::body_until_close) {
                // No Content-Length, not chunked: the body ends when the connection does.
                static constexpr std::string_view kAnswer =
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
                co_await asio::async_write(stream, asio::buffer(kAnswer), kAwait);
                beast::error_code ignored;
                stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                co_return;
            }
            if (mode_ == Mode::websocket) {
                static constexpr std::string_view kSwitch =
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\n\r\n";
                co_await asio::async_write(stream, asio::buffer(kSwitch), kAwait);
                char data[4096];
                for (;;) {  // an echo of raw bytes, as a WebSocket server's frames would be
                    auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(data), kAwait);
                    if (read_ec) {
                        co_return;
                    }
                    co_await asio::async_write(stream, asio::buffer(data, n), kAwait);
                }
            }
            http::response<http::string_body> response{http::status::ok, request.version()};
            response.set("X-Target-Port", std::to_string(port_));
            response.set("X-Request-Chunked", request.chunked() ? "yes" : "no");
            response.set(http::field::keep_alive, "timeout=5");
            response.body() = request.body();
            if (request["X-Chunked-Response"] == "1") {
                response.chunked(true);
            } else {
                response.prepare_payload();
            }
            response.keep_alive(request.keep_alive());
            auto [write_ec, written] = co_await http::async_write(stream, response, kAwait);
            if (write_ec || !request.keep_alive()) {
                co_return;
            }
        }
    }

    Mode mode_;
    tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::atomic<int> accepts_{0};
    std::mutex mutex_;
    http::request<http::string_body> last_;
};

// Routes every request the way the test says and remembers what it was asked.
class TestRoutes final : public ProxyRoutes {
  public:
    std::function<RouteDecision(const ProxiedRequest&)> decide;
    std::chrono::milliseconds idle{5'000};

    RouteDecision route(const ProxiedRequest& request) override {
        {
            std::lock_guard lock(mutex_);
            last_ = request;
            ++calls_;
        }
        return decide(request);
    }
    std::chrono::milliseconds idle_timeout() const override { return idle; }

    ProxiedRequest last() {
        std::lock_guard lock(mutex_);
        return last_;
    }
    int calls() {
        std::lock_guard lock(mutex_);
        return calls_;
    }

  private:
    std::mutex mutex_;
    ProxiedRequest last_;
    int calls_ = 0;
};

std::shared_ptr<TestRoutes> forward_to(std::uint16_t port, std::shared_ptr<void> lease = {}) {
    auto routes = std::make_shared<TestRoutes>();
    // The lease goes with the first request only: the routes keep no copy of it.
    routes->decide = [port, lease](const ProxiedRequest&) mutable -> RouteDecision {
        return ForwardTo{"127.0.0.1", port, std::exchange(lease, nullptr)};
    };
    return routes;
}

// A blocking client: each call runs its own event loop until the exchange is over (or 5 s).
template <class Stream = beast::tcp_stream>
class Client {
  public:
    template <class... Args>
    explicit Client(std::uint16_t port, Args&&... args)
        : stream_(io_, std::forward<Args>(args)...) {
        run([&]() -> asio::awaitable<void> {
            auto& socket = beast::get_lowest_layer(stream_);
            socket.expires_after(5s);
            auto [ec] = co_await socket.async_connect(
                tcp::endpoint(asio::ip::address_v4::loopback(), port), kAwait);
            if (ec) {
                throw beast::system_error(ec);
            }
            if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
                auto [handshake_ec] =
                    co_await stream_.async_handshake(asio::ssl::stream_base::client, kAwait);
                if (handshake_ec) {
                    throw beast::system_error(handshake_ec);
                }
            }
        });
    }

    http::response<http::string_body> send(http::request<http::string_body> request) {
        http::response<http::string_body> response;
        run([&]() -> asio::awaitable<void> {
            beast::get_lowest_layer(stream_).expires_after(5s);
            auto [write_ec, written] = co_await http::async_write(stream_, request, kAwait);
            if (write_ec) {
                throw beast::system_error(write_ec);
            }
            response = co_await read_response();
        });
        return response;
    }

    // Sends bytes as they are and reads one response.
    http::response<http::string_body> send_raw(std::string bytes) {
        http::response<http::string_body> response;
        run([&]() -> asio::awaitable<void> {
            beast::get_lowest_layer(stream_).expires_after(5s);
            co_await asio::async_write(stream_, asio::buffer(bytes), kAwait);
            response = co_await read_response();
        });
        return response;
    }

    void write_raw(std::string bytes) {
        run([&]() -> asio::awaitable<void> {
            beast::get_lowest_layer(stream_).expires_after(5s);
            auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(bytes), kAwait);
            if (ec) {
                throw beast::system_error(ec);
            }
        });
    }

    // Reads exactly `size` bytes (those the response parser read ahead first).
    std::string read_raw(std::size_t size) {
        std::string data;
        run([&]() -> asio::awaitable<void> {
            beast::get_lowest_layer(stream_).expires_after(5s);
            while (buffer_.size() < size) {
                auto [ec, n] = co_await asio::async_read(
                    stream_, buffer_.prepare(size - buffer_.size()), kAwait);
                buffer_.commit(n);
                if (ec) {
                    break;
                }
            }
        });
        data = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        return data;
    }

    // True when the proxy closed the connection (a read ends without data) within 2 s.
    bool closed_by_peer() {
        bool closed = false;
        run([&]() -> asio::awaitable<void> {
            beast::get_lowest_layer(stream_).expires_after(2s);
            char byte = 0;
            auto [ec, n] = co_await stream_.async_read_some(asio::buffer(&byte, 1), kAwait);
            closed = ec && ec != beast::error::timeout;
        });
        return closed;
    }

  private:
    asio::awaitable<http::response<http::string_body>> read_response() {
        http::response_parser<http::string_body> parser;
        parser.body_limit(boost::none);
        auto [read_ec, read] = co_await http::async_read(stream_, buffer_, parser, kAwait);
        if (read_ec) {
            throw beast::system_error(read_ec);
        }
        co_return parser.release();
    }

    template <class F>
    void run(F&& make) {
        io_.restart();
        auto done = asio::co_spawn(io_, make(), asio::use_future);
        io_.run();
        done.get();
    }

    asio::io_context io_;
    Stream stream_;
    beast::flat_buffer buffer_;
};

http::request<http::string_body> get(std::string target) {
    http::request<http::string_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "app.example.com");
    return request;
}

http::request<http::string_body> post(std::string target, std::string body) {
    http::request<http::string_body> request{http::verb::post, target, 11};
    request.set(http::field::host, "app.example.com");
    request.body() = std::move(body);
    request.prepare_payload();
    return request;
}

std::uint16_t unused_port() {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    return acceptor.local_endpoint().port();  // closed on return: nothing listens there
}

template <class Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds within = 2s) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (!predicate()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

const std::regex kTraceRoot("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$");

}  // namespace

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
