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

// An upload's body, taken through one lane on a worker, as S3 takes a large one.
class CollectingSink final : public RequestBodySink {
  public:
    std::string bytes;
    bool finished = false;

    void write(std::string_view piece) override { bytes.append(piece); }
    void finish() override { finished = true; }
    int off_loop_lanes() const override { return 1; }
};

// What an upload answers: how many bytes its sink took, and a sum of them.
std::string receipt_of(std::string_view bytes) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        sum += static_cast<unsigned char>(bytes[i]) * (i % 1009 + 1);
    }
    return std::to_string(bytes.size()) + " " + std::to_string(sum);
}

class Handler final : public RequestHandler {
  public:
    std::atomic<int> uploads_answered = 0;

    std::shared_ptr<GatedBody> large = std::make_shared<GatedBody>();
    std::shared_ptr<GatedBody> shrunk = std::make_shared<GatedBody>(3 * kStreamChunk + 5);

    std::shared_ptr<RequestBodySink> body_sink_for(const HttpRequest& head) override {
        return head.path == "/upload" ? std::make_shared<CollectingSink>() : nullptr;
    }

    std::optional<HttpResponse> handle(const HttpRequest& request, ResponseDeferral&) override {
        HttpResponse response;
        if (request.body_sink) {
            const auto& sink = static_cast<const CollectingSink&>(*request.body_sink);
            response.body = sink.finished ? receipt_of(sink.bytes) : "unfinished";
            ++uploads_answered;
        } else if (request.path == "/large") {
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

std::string pattern(std::size_t size, unsigned seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        bytes[i] = static_cast<char>((i * 131 + seed) % 256);
    }
    return bytes;
}

std::string upload_head(std::size_t length) {
    return "PUT /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + std::to_string(length) +
           "\r\n\r\n";
}

}  // namespace

// The server on an event loop of its own thread, stopped and joined however a test ends.
struct RunningServer {
    explicit RunningServer(std::chrono::seconds idle_timeout = 60s)
        : server(io, HttpServerOptions{"127.0.0.1", 0, 64 * 1024 * 1024, idle_timeout}, handler) {}

    asio::io_context io;
    Handler handler;
    HttpServer server;
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

TEST_CASE("large uploads sent back to back on one connection each get their own bytes",
          "[http][unit][http_server]") {
    RunningServer running;
    // Bodies of several chunks, read past the parser, with the next request's bytes right
    // behind them: neither may take the other's.
    const std::string first = pattern(3 * kStreamChunk + 5, 1);
    const std::string second = pattern(kStreamChunk + 1, 2);
    const std::string requests = upload_head(first.size()) + first + upload_head(second.size()) +
                                 second + "GET /small HTTP/1.1\r\nHost: localhost\r\n\r\n";
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), running.port));
    asio::write(stream.socket(), asio::buffer(requests));
    beast::flat_buffer buffer;
    std::vector<std::string> answers;
    for (int i = 0; i < 3; ++i) {
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        answers.push_back(response.body());
    }
    CHECK(answers == std::vector<std::string>{receipt_of(first), receipt_of(second), "small"});
}

TEST_CASE("a large upload cut short is never handled; the server goes on",
          "[http][unit][http_server]") {
    RunningServer running;
    const std::string body = pattern(3 * kStreamChunk, 3);
    {
        asio::io_context io;
        asio::ip::tcp::socket socket(io);
        socket.connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), running.port));
        asio::write(socket,
                    asio::buffer(upload_head(body.size()) + body.substr(0, body.size() / 2)));
        socket.shutdown(asio::ip::tcp::socket::shutdown_send);
        char byte;
        boost::system::error_code ec;
        CHECK(asio::read(socket, asio::buffer(&byte, 1), ec) == 0);  // closed, no answer
    }
    CHECK(get(running.port, "/small") == "small");
    CHECK(running.handler.uploads_answered == 0);
}

// The answers of a keep-alive connection, as raw bytes, until `count` answers have come.
std::string read_answers(asio::ip::tcp::socket& socket, int count) {
    std::string bytes;
    beast::flat_buffer buffer;
    for (int i = 0; i < count; ++i) {
        http::response<http::string_body> answer;
        http::read(socket, buffer, answer);
        bytes += answer.body();
    }
    return bytes;
}

TEST_CASE("a head that arrives a byte at a time, and requests written together, are answered",
          "[http][unit][http_server]") {
    RunningServer running;
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), running.port));
    socket.set_option(asio::ip::tcp::no_delay(true));
    // Each byte in a read of its own: the head is parsed again as it grows.
    for (const char byte : std::string("GET /small HTTP/1.1\r\nHost: x\r\n\r\n")) {
        asio::write(socket, asio::buffer(&byte, 1));
        std::this_thread::sleep_for(1ms);
    }
    CHECK(read_answers(socket, 1) == "small");
    // Three requests in one write: the second and third are in the buffer already when the
    // first is answered.
    const std::string request = "GET /small HTTP/1.1\r\nHost: x\r\n\r\n";
    asio::write(socket, asio::buffer(request + request + request));
    CHECK(read_answers(socket, 3) == "smallsmallsmall");
}

TEST_CASE("a kept-alive connection left idle is closed after the idle timeout",
          "[http][unit][http_server]") {
    RunningServer running(1s);
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), running.port));
    asio::write(socket, asio::buffer(std::string("GET /small HTTP/1.1\r\nHost: x\r\n\r\n")));
    CHECK(read_answers(socket, 1) == "small");
    const auto answered = std::chrono::steady_clock::now();
    // The server waits for the next request's bytes; after a second of none it closes. (A
    // failure shows as this read blocking: ctest's time limit ends it.)
    char byte;
    boost::system::error_code ec;
    CHECK(asio::read(socket, asio::buffer(&byte, 1), ec) == 0);
    CHECK(ec == asio::error::eof);
    CHECK(std::chrono::steady_clock::now() - answered >= 900ms);
}

}  // namespace awsemu
