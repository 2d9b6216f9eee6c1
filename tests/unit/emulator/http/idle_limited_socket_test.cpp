#include "emulator/http/idle_limited_socket.hpp"

#include <catch2/catch.hpp>

#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

// Real loopback sockets and real (short) deadlines: the point is what Asio's timer and socket
// do together. The io_context runs until the read under test completes, never a fixed time,
// except where a read must still be pending after its old deadline passed.
using namespace awsemu;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

// A connected pair: `server` wrapped, `client` plain.
struct SocketPair {
    asio::io_context io;
    tcp::socket client{io};
    std::optional<IdleLimitedSocket> server;

    SocketPair() {
        tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
        client.connect(acceptor.local_endpoint());
        server.emplace(acceptor.accept());
    }
};

// Starts a read of one byte on `socket`; `result` holds its outcome once it completes.
struct PendingRead {
    char byte = 0;
    std::optional<boost::system::error_code> result;
    std::chrono::steady_clock::time_point completed;

    void start(IdleLimitedSocket& socket) {
        socket.async_read_some(asio::buffer(&byte, 1),
                               [this](const boost::system::error_code& ec, std::size_t) {
                                   result = ec;
                                   completed = std::chrono::steady_clock::now();
                               });
    }
};

void run_until_done(asio::io_context& io, const PendingRead& read) {
    io.restart();
    while (!read.result && io.run_one_for(5s) > 0) {
    }
}

// Reads on the pair's server until the read ends, which must be by its deadline; answers how
// long after `started` it ended.
std::chrono::steady_clock::duration read_until_timed_out(
    SocketPair& pair, std::chrono::steady_clock::time_point started) {
    PendingRead read;
    read.start(*pair.server);
    run_until_done(pair.io, read);
    REQUIRE(read.result.has_value());
    CHECK(*read.result == asio::error::eof);
    CHECK(pair.server->timed_out());
    return read.completed - started;
}

}  // namespace

TEST_CASE("A read that gets nothing by its deadline fails: the socket is shut down",
          "[http][unit][idle_limited_socket]") {
    SocketPair pair;
    const auto started = std::chrono::steady_clock::now();
    pair.server->expires_after(50ms);
    CHECK(read_until_timed_out(pair, started) >= 50ms);
    // The peer sees the connection end.
    char byte = 0;
    boost::system::error_code ec;
    pair.client.read_some(asio::buffer(&byte, 1), ec);
    CHECK(ec == asio::error::eof);
}

TEST_CASE("Data before the deadline completes the read, and the connection is not closed later",
          "[http][unit][idle_limited_socket]") {
    SocketPair pair;
    pair.server->expires_after(50ms);
    PendingRead read;
    read.start(*pair.server);
    asio::write(pair.client, asio::buffer("x", 1));
    run_until_done(pair.io, read);
    REQUIRE(read.result.has_value());
    CHECK_FALSE(*read.result);
    CHECK(read.byte == 'x');

    // Waiting for an answer: no deadline, though the old one passes meanwhile.
    pair.server->expires_never();
    pair.io.restart();
    pair.io.run_for(150ms);
    CHECK_FALSE(pair.server->timed_out());
    asio::write(pair.client, asio::buffer("y", 1));
    PendingRead next;
    next.start(*pair.server);
    run_until_done(pair.io, next);
    REQUIRE(next.result.has_value());
    CHECK_FALSE(*next.result);
    CHECK(next.byte == 'y');
}

TEST_CASE("A deadline moved later is kept: the timer armed for the earlier one does not close",
          "[http][unit][idle_limited_socket]") {
    SocketPair pair;
    const auto started = std::chrono::steady_clock::now();
    pair.server->expires_after(30ms);
    pair.server->expires_after(200ms);
    CHECK(read_until_timed_out(pair, started) >= 200ms);
}

TEST_CASE("A deadline moved earlier takes effect at once", "[http][unit][idle_limited_socket]") {
    SocketPair pair;
    const auto started = std::chrono::steady_clock::now();
    pair.server->expires_after(60s);
    pair.server->expires_after(50ms);
    const auto waited = read_until_timed_out(pair, started);
    CHECK(waited >= 50ms);
    CHECK(waited < 3s);
}

TEST_CASE("A deadline set after a spell without one is armed again",
          "[http][unit][idle_limited_socket]") {
    SocketPair pair;
    pair.server->expires_after(20ms);
    pair.server->expires_never();
    pair.io.restart();
    CHECK(pair.io.run_for(100ms) == 1);  // the timer fired, found no deadline, and stopped
    CHECK_FALSE(pair.server->timed_out());

    const auto started = std::chrono::steady_clock::now();
    pair.server->expires_after(50ms);
    CHECK(read_until_timed_out(pair, started) >= 50ms);
}

TEST_CASE("A socket that goes away with its timer armed leaves nothing behind",
          "[http][unit][idle_limited_socket]") {
    SocketPair pair;
    pair.server->expires_after(10s);
    pair.server.reset();
    // The timer went with the connection: its wait completes at once, cancelled, and touches
    // nothing (ASan would see a use after free); nothing waits the 10 s.
    const auto started = std::chrono::steady_clock::now();
    pair.io.restart();
    CHECK(pair.io.run() == 1);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
}
