#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "emulator/http/http_message.hpp"

namespace boost::asio {
class io_context;
}

// A reverse proxy on a local port, as an ALB listener is one: the data plane (services/elbv2)
// decides per request where it goes; this engine does the wire (Beast): keep-alive on both
// sides, bodies streamed both ways, WebSocket upgrades passed through, TLS termination, idle
// timeouts, and the load balancer's own 502/504 answers when the target fails.
namespace awsemu {

// The head of one request, before the proxy decides where it goes.
struct ProxiedRequest {
    std::string method;
    std::string target;  // path and query, as on the request line
    Headers headers;     // as received (Host among them)
    std::string source_ip;
};

// Send the request to this target.
struct ForwardTo {
    std::string ip;
    std::uint16_t port = 0;
    // Held until the exchange with the target is over (the response's last byte, or the end of
    // an upgraded connection): the data plane counts in-flight requests per target with it.
    std::shared_ptr<void> lease;
};

// An answer the load balancer gives itself (fixed-response, redirect, 503 without targets).
struct LocalAnswer {
    int status = 200;
    Headers headers;  // Content-Type, Location ...
    std::string body;
};

using RouteDecision = std::variant<ForwardTo, LocalAnswer>;

// The load balancer's own error page for this status, as an ALB sends it (Content-Type
// text/html, an nginx-style HTML body; 503 is "Service Temporarily Unavailable", 504 "Gateway
// Time-out"). The proxy adds Server: awselb/2.0 when it writes any LocalAnswer.
LocalAnswer load_balancer_error(int status);

// The data plane's side; called on the event loop, so it must not block.
class ProxyRoutes {
  public:
    virtual ~ProxyRoutes() = default;
    virtual RouteDecision route(const ProxiedRequest& request) = 0;
    // How long a connection may sit idle, and how long a target may take to answer before the
    // client gets a 504 (an ALB's idle_timeout.timeout_seconds). Read each time it is armed.
    virtual std::chrono::milliseconds idle_timeout() const = 0;
};

// A certificate and its key, PEM.
struct TlsIdentity {
    std::string certificate_pem;
    std::string private_key_pem;
};

// A self-signed certificate for these names (the first is the subject), valid a year from now.
TlsIdentity self_signed_identity(const std::vector<std::string>& dns_names);

struct ProxyListenerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;                             // 0: any free port
    std::uint16_t advertised_port = 80;                 // the listener's own port: X-Forwarded-Port
    std::optional<TlsIdentity> tls;                     // set: HTTPS (X-Forwarded-Proto https)
    std::chrono::milliseconds connect_timeout{10'000};  // to a target, then 504
};

class ProxyListener {
  public:
    virtual ~ProxyListener() = default;
    virtual std::uint16_t port() const = 0;
    // Stops accepting and closes idle connections; exchanges in flight finish. Safe from any
    // thread; destroying the listener closes it too (destroy it before the event loop).
    virtual void close() = 0;
};

// Starts proxies on the server's event loop.
class ReverseProxies {
  public:
    virtual ~ReverseProxies() = default;
    // Binds and starts accepting. Throws std::runtime_error, for people, when the port is taken.
    virtual std::shared_ptr<ProxyListener> listen(ProxyListenerOptions options,
                                                  std::shared_ptr<ProxyRoutes> routes) = 0;
};

class AsioReverseProxies final : public ReverseProxies {
  public:
    // `io` is run by one thread only, so a connection needs no strand of its own (every handler
    // already runs one at a time); a strand would cost a lock and an executor copy per
    // completion.
    explicit AsioReverseProxies(boost::asio::io_context& io) : io_(io) {}
    std::shared_ptr<ProxyListener> listen(ProxyListenerOptions options,
                                          std::shared_ptr<ProxyRoutes> routes) override;

  private:
    boost::asio::io_context& io_;
};

}  // namespace awsemu
