#include "emulator/http/http_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "emulator/http/stream_buffer.hpp"

// These tests open real loopback sockets on port 0: what they check is the server's I/O (which
// thread reads a body while the loop serves others). The waits only bound a failure.
namespace awsemu {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;

// A body of several chunks and a short last one, whose second read waits until the test opens
// the gate, as a read from a slow disk would; the bytes are their offsets modulo 251. With
// `ends_after`, reads give nothing from there on, as a file that shrank.
class GatedBody final : public ResponseBodySource {
  public:
    static constexpr std::uint64_t kSize = 7 * kStreamChunk + 123;

    explicit GatedBody(std::uint64_t ends_after = kSize) : ends_after_(ends_after) {}

    std::uint64_t size() const override { return kSize; }
    std::size_t read(char* buffer, std::size_t capacity) override {
        if (reads_++ == 1) {
            at_gate.set_value();
            gate_.wait_for(20s);  // a loop this blocks is freed in the end all the same
        }
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(capacity, ends_after_ - at_));
        for (std::size_t i = 0; i < n; ++i) {
            buffer[i] = static_cast<char>((at_ + i) % 251);
        }
        at_ += n;
        return n;
    }

    std::promise<void> at_gate;
    void open_gate() { open_.set_value(); }

  private:
    const std::uint64_t ends_after_;
    std::promise<void> open_;
    std::shared_future<void> gate_ = open_.get_future().share();
    int reads_ = 0;
    std::uint64_t at_ = 0;
};

class Handler final : public RequestHandler {
  public:
    std::shared_ptr<GatedBody> large = std::make_shared<GatedBody>();
    std::shared_ptr<GatedBody> shrunk = std::make_shared<GatedBody>(3 * kStreamChunk + 5);

    std::optional<HttpResponse> handle(const HttpRequest& request, ResponseDeferral&) override {
        HttpResponse response;
        if (request.path == "/large") {
            response.body_source = large;
        } else if (request.path == "/shrunk") {
            response.body_source = shrunk;
        } else {
            response.body = "small";
        }
        return response;
    }
    HttpResponse reject_oversized(const HttpRequest&, std::size_t) override {
        return HttpResponse{413, {}, "", nullptr};
    }
    HttpResponse reject_malformed(std::string_view) override {
        return HttpResponse{400, {}, "", nullptr};
    }
};

// GET `path` on a connection of its own; the answer's body.
std::string get(std::uint16_t port, const std::string& path) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port));
    http::request<http::empty_body> request(http::verb::get, path, 11);
    request.set(http::field::host, "localhost");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(4 * GatedBody::kSize);
    http::read(stream, buffer, parser);
    return parser.get().body();
}

}  // namespace

// The server on an event loop of its own thread, stopped and joined however a test ends.
struct RunningServer {
    asio::io_context io;
    Handler handler;
    HttpServer server{io, HttpServerOptions{"127.0.0.1", 0}, handler};
    const std::uint16_t port = server.start();
    std::thread loop{[this] { io.run(); }};

    ~RunningServer() {
        server.stop();
        io.stop();
        loop.join();
    }
};

TEST_CASE("a large answer's body is read off the loop: other connections are answered meanwhile",
          "[http][unit][http_server]") {
    RunningServer running;
    GatedBody& large = *running.handler.large;
    auto answer = std::async(std::launch::async, [&] { return get(running.port, "/large"); });
    REQUIRE(large.at_gate.get_future().wait_for(10s) == std::future_status::ready);
    // The body's second read waits at the gate; a loop that made it would answer nothing.
    auto small = std::async(std::launch::async, [&] { return get(running.port, "/small"); });
    const bool answered_while_reading = small.wait_for(10s) == std::future_status::ready;
    large.open_gate();
    CHECK(answered_while_reading);
    CHECK(small.get() == "small");

    // Every chunk buffer was read into again, in order, and the short last chunk came whole.
    const std::string body = answer.get();
    REQUIRE(body.size() == GatedBody::kSize);
    std::size_t first_wrong = body.size();
    for (std::size_t i = 0; i < body.size() && first_wrong == body.size(); ++i) {
        if (body[i] != static_cast<char>(i % 251)) {
            first_wrong = i;
        }
    }
    CHECK(first_wrong == body.size());
}

TEST_CASE("a large body that ends before its length closes the connection; the server goes on",
          "[http][unit][http_server]") {
    RunningServer running;
    running.handler.shrunk->open_gate();
    // The client sees the body cut short (Content-Length promised more).
    CHECK_THROWS_AS(get(running.port, "/shrunk"), boost::system::system_error);
    CHECK(get(running.port, "/small") == "small");
}

}  // namespace awsemu
