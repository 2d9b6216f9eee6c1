#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "emulator/http/reverse_proxy.hpp"
#include "emulator/http/upstream_pool.hpp"

// Internal to the reverse proxy (emulator/http only): Beast and Asio types.
namespace awsemu::proxy {

// One client connection as close() sees it. Only touched on the session's executor.
struct SessionControl {
    boost::asio::any_io_executor strand;
    boost::asio::ip::tcp::socket* socket = nullptr;  // null once the session is over
    bool idle = false;                               // waiting for the next request's head
};

// The client connections of a listener, so that close() can end the idle ones.
class SessionRegistry {
  public:
    void add(const std::shared_ptr<SessionControl>& session);
    void remove(const SessionControl* session);
    // Ends the sessions waiting for a request; the others end after their exchange (they see
    // ListenerState::closed).
    void close_idle();

  private:
    std::mutex mutex_;
    std::unordered_map<const SessionControl*, std::weak_ptr<SessionControl>> sessions_;
};

// What a listener's coroutines share. The ProxyListener handed out may be destroyed before
// they end: each coroutine holds this state.
struct ListenerState {
    ListenerState(boost::asio::any_io_executor executor, ProxyListenerOptions listener_options,
                  std::shared_ptr<ProxyRoutes> listener_routes)
        : options(std::move(listener_options)),
          routes(std::move(listener_routes)),
          acceptor(std::move(executor)),
          forwarded_proto(options.tls ? "https" : "http"),
          forwarded_port(std::to_string(options.advertised_port)) {}

    ProxyListenerOptions options;
    std::shared_ptr<ProxyRoutes> routes;
    std::optional<boost::asio::ssl::context> tls;
    UpstreamPool pool;
    boost::asio::ip::tcp::acceptor acceptor;  // used on its own strand (acceptor's executor)
    const std::string forwarded_proto;
    const std::string forwarded_port;
    std::atomic<bool> closed{false};
    SessionRegistry sessions;
};

}  // namespace awsemu::proxy
