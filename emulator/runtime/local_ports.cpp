#include "emulator/runtime/local_ports.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace awsemu {

namespace {

using boost::system::error_code;

class BoundSocket final : public PortReservation {
  public:
    BoundSocket(int fd, std::uint16_t port) : fd_(fd), port_(port) {}
    ~BoundSocket() override { ::close(fd_); }
    BoundSocket(const BoundSocket&) = delete;
    BoundSocket& operator=(const BoundSocket&) = delete;
    std::uint16_t port() const override { return port_; }

  private:
    int fd_;
    std::uint16_t port_;
};

error_code last_error() {
    return {errno, boost::system::system_category()};
}

// A socket bound to host:port with SO_REUSEADDR, and the port it got; -1 and `error` set when
// it cannot be bound.
int bind_reusable(const std::string& host, std::uint16_t port, std::uint16_t& bound,
                  error_code& error) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        error = boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
        return -1;
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = last_error();
        return -1;
    }
    const int on = 1;
    socklen_t length = sizeof address;
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        error = last_error();
        ::close(fd);
        return -1;
    }
    error.clear();
    bound = ntohs(address.sin_port);
    return fd;
}

}  // namespace

bool port_available(const std::string& host, std::uint16_t port) {
    std::uint16_t bound = 0;
    error_code error;
    const int fd = bind_reusable(host, port, bound, error);
    if (fd < 0) {
        return false;
    }
    ::close(fd);
    return true;
}

std::unique_ptr<PortReservation> SystemLocalPorts::reserve(const std::string& host,
                                                           std::uint16_t port, error_code& error) {
    std::uint16_t bound = 0;
    const int fd = bind_reusable(host, port, bound, error);
    if (fd < 0) {
        return nullptr;
    }
    return std::make_unique<BoundSocket>(fd, bound);
}

std::uint16_t SystemLocalPorts::free_port(const std::string& host) {
    error_code error;
    std::uint16_t bound = 0;
    const int fd = bind_reusable(host, 0, bound, error);
    if (fd < 0) {
        return 0;
    }
    ::close(fd);
    return bound;
}

}  // namespace awsemu
