#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/system/error_code.hpp>

namespace boost::asio {
class io_context;
}

// Plain TCP proxies on local ports (an RDS instance's endpoint): bytes relayed both ways to a
// target the owner may change at any time. The data plane: nothing here throws.
namespace awsemu {

struct TcpTarget {
    std::string host;
    std::uint16_t port = 0;
};

class TcpProxy {
  public:
    virtual ~TcpProxy() = default;
    virtual std::uint16_t port() const = 0;
    // New connections go to `target`; connections already relayed stay where they are.
    virtual void forward_to(TcpTarget target) = 0;
    // New connections wait (up to a while) until a target is set: the server is starting.
    virtual void hold() = 0;
    // New connections are closed at once: the server is stopped.
    virtual void refuse() = 0;
    // Closes every relayed connection, as a failed-over or rebooted server drops its clients.
    virtual void drop_connections() = 0;
    // Stops listening and closes every connection.
    virtual void close() = 0;
};

class TcpProxies {
  public:
    virtual ~TcpProxies() = default;
    // Listens on host:port (0: any free port); nullptr and `error` set when it cannot. The
    // proxy starts holding new connections.
    virtual std::shared_ptr<TcpProxy> listen(const std::string& host, std::uint16_t port,
                                             boost::system::error_code& error) = 0;
    // A port on `host` free at this moment (for a server to listen on); 0 when none is.
    virtual std::uint16_t free_port(const std::string& host) = 0;
};

class AsioTcpProxies final : public TcpProxies {
  public:
    // one_thread: `io` is run by one thread only, so a connection needs no strand of its own.
    explicit AsioTcpProxies(boost::asio::io_context& io, bool one_thread = false);
    std::shared_ptr<TcpProxy> listen(const std::string& host, std::uint16_t port,
                                     boost::system::error_code& error) override;
    std::uint16_t free_port(const std::string& host) override;

  private:
    boost::asio::io_context& io_;
    bool one_thread_;
};

}  // namespace awsemu
