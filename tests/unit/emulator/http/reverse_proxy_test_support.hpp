#pragma once

// Loopback helpers for the reverse proxy's tests: an event loop on a thread, a tiny target
// server whose behaviour a test picks, routes that record what they were asked, and a client
// that blocks (each call runs its own event loop, and gives up after 5 s).
#include <atomic>
#include <future>
#include <mutex>
#include <regex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "emulator/http/reverse_proxy.hpp"

namespace awsemu::proxy_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

inline constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

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

inline std::shared_ptr<TestRoutes> forward_to(std::uint16_t port,
                                              std::shared_ptr<void> lease = {}) {
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

inline http::request<http::string_body> get(std::string target) {
    http::request<http::string_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "app.example.com");
    return request;
}

inline http::request<http::string_body> post(std::string target, std::string body) {
    http::request<http::string_body> request{http::verb::post, target, 11};
    request.set(http::field::host, "app.example.com");
    request.body() = std::move(body);
    request.prepare_payload();
    return request;
}

inline std::uint16_t unused_port() {
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

inline const std::regex kTraceRoot("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$");

}  // namespace awsemu::proxy_test
