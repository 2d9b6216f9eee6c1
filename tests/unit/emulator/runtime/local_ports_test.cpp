#include "emulator/runtime/local_ports.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <catch2/catch.hpp>

using namespace awsemu;

namespace {

// A TCP socket on 127.0.0.1, closed with the object.
struct Socket {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ~Socket() { ::close(fd); }

    static sockaddr_in local(std::uint16_t port) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
        return address;
    }
    // 0 or the errno of bind().
    int bind(std::uint16_t port, bool reuse_address) {
        const int on = 1;
        if (reuse_address) {
            ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        }
        const auto address = local(port);
        return ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 ? 0
                                                                                            : errno;
    }
    int connect(std::uint16_t port) {
        const auto address = local(port);
        return ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0
                   ? 0
                   : errno;
    }
};

}  // namespace

TEST_CASE("LocalPorts: a reserved port refuses connections and keeps other programs off",
          "[runtime][unit]") {
    SystemLocalPorts ports;
    boost::system::error_code error;
    auto reservation = ports.reserve("127.0.0.1", 0, error);
    REQUIRE(reservation);
    CHECK_FALSE(error);
    const auto port = reservation->port();
    REQUIRE(port != 0);

    CHECK(Socket().connect(port) == ECONNREFUSED);
    CHECK(Socket().bind(port, false) == EADDRINUSE);

    SECTION("a server setting SO_REUSEADDR listens beside the reservation, and after it") {
        {
            Socket server;
            REQUIRE(server.bind(port, true) == 0);
            REQUIRE(::listen(server.fd, 4) == 0);
            CHECK(Socket().connect(port) == 0);
            // While the server listens the port cannot be reserved again.
            CHECK(ports.reserve("127.0.0.1", port, error) == nullptr);
            CHECK(error);
        }
        // The server gone, connections are refused again and the port is still kept.
        CHECK(Socket().connect(port) == ECONNREFUSED);
        CHECK(Socket().bind(port, false) == EADDRINUSE);
    }

    SECTION("released, the port is free") {
        reservation.reset();
        CHECK(Socket().bind(port, false) == 0);
    }

    SECTION("the port is reserved again while a closed connection of its server lingers") {
        // The server closes first, so its side of the connection stays in TIME_WAIT, which
        // refuses a bind without SO_REUSEADDR (as awsemu started again right after its server
        // stopped would meet).
        {
            Socket server;
            REQUIRE(server.bind(port, true) == 0);
            REQUIRE(::listen(server.fd, 4) == 0);
            Socket client;
            REQUIRE(client.connect(port) == 0);
            const int accepted = ::accept(server.fd, nullptr, nullptr);
            REQUIRE(accepted >= 0);
            ::close(accepted);
        }
        reservation.reset();
        CHECK(Socket().bind(port, false) == EADDRINUSE);
        auto again = ports.reserve("127.0.0.1", port, error);
        REQUIRE(again);
        CHECK(again->port() == port);
    }
}

TEST_CASE("LocalPorts: an address that is not IPv4 is an error", "[runtime][unit]") {
    SystemLocalPorts ports;
    boost::system::error_code error;
    CHECK(ports.reserve("not-an-address", 0, error) == nullptr);
    CHECK(error);
    CHECK(ports.free_port("not-an-address") == 0);
    CHECK(ports.free_port("127.0.0.1") != 0);
}
