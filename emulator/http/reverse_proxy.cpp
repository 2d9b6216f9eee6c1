#include "emulator/http/reverse_proxy.hpp"

#include <stdexcept>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include "emulator/http/proxy_listener_state.hpp"
#include "emulator/http/proxy_session.hpp"

namespace awsemu {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using proxy::ListenerState;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// How often idle upstream connections past their age are closed.
constexpr std::chrono::seconds kSweepInterval{2};

asio::ssl::context tls_context(const TlsIdentity& identity) {
    asio::ssl::context context(asio::ssl::context::tls_server);
    context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1);
    beast::error_code ec;
    context.use_certificate_chain(asio::buffer(identity.certificate_pem), ec);
    if (ec) {
        throw std::runtime_error("the listener's certificate is not a PEM certificate chain: " +
                                 ec.message());
    }
    context.use_private_key(asio::buffer(identity.private_key_pem), asio::ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error(
            "the listener's private key is not a PEM key for its certificate: " + ec.message());
    }
    return context;
}

asio::awaitable<void> plain_client(std::shared_ptr<ListenerState> state, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    co_await proxy::serve_client(std::move(state), stream);
}

asio::awaitable<void> tls_client(std::shared_ptr<ListenerState> state, tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *state->tls);
    beast::get_lowest_layer(stream).expires_after(state->routes->idle_timeout());
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kAwait);
    if (ec) {
        co_return;  // not TLS, or a client that gave up: nothing to answer in
    }
    co_await proxy::serve_client(std::move(state), stream);
}

// Nothing may escape a connection's coroutine into the event loop.
void ignore_failure(const std::exception_ptr&) {}

asio::awaitable<void> accept_loop(std::shared_ptr<ListenerState> state,
                                  asio::io_context::executor_type io) {
    for (;;) {
        // A WebSocket tunnel runs two directions at once, but on the one event-loop thread its
        // handlers never run at once: the loop itself serialises them.
        auto [ec, socket] = co_await state->acceptor.async_accept(io, kAwait);
        if (ec == asio::error::operation_aborted || !state->acceptor.is_open() || state->closed) {
            co_return;
        }
        if (ec) {
            continue;  // e.g. too many open files: keep serving the connections we have
        }
        socket.set_option(tcp::no_delay(true), ec);
        auto executor = socket.get_executor();
        if (state->tls) {
            asio::co_spawn(executor, tls_client(state, std::move(socket)), ignore_failure);
        } else {
            asio::co_spawn(executor, plain_client(state, std::move(socket)), ignore_failure);
        }
    }
}

// Closes upstream connections idle too long, while the listener lives and is open.
asio::awaitable<void> sweep_loop(std::weak_ptr<ListenerState> weak_state,
                                 asio::io_context::executor_type io) {
    asio::steady_timer timer(io);
    for (;;) {
        timer.expires_after(kSweepInterval);
        auto [ec] = co_await timer.async_wait(kAwait);
        const auto state = weak_state.lock();
        if (ec || !state || state->closed) {
            co_return;
        }
        state->pool.sweep();
    }
}

class AsioProxyListener final : public ProxyListener {
  public:
    AsioProxyListener(std::shared_ptr<ListenerState> state, std::uint16_t port)
        : state_(std::move(state)), port_(port) {}
    ~AsioProxyListener() override { close(); }

    std::uint16_t port() const override { return port_; }

    void close() override {
        if (state_->closed.exchange(true)) {
            return;
        }
        asio::post(state_->acceptor.get_executor(), [state = state_] {
            beast::error_code ignored;
            state->acceptor.close(ignored);
        });
        state_->sessions.close_idle();
        state_->pool.sweep(true);
    }

  private:
    std::shared_ptr<ListenerState> state_;
    std::uint16_t port_;
};

}  // namespace

namespace proxy {

void SessionRegistry::add(const std::shared_ptr<SessionControl>& session) {
    std::lock_guard lock(mutex_);
    sessions_.emplace(session.get(), session);
}

void SessionRegistry::remove(const SessionControl* session) {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
}

void SessionRegistry::close_idle() {
    std::vector<std::weak_ptr<SessionControl>> sessions;
    {
        std::lock_guard lock(mutex_);
        sessions.reserve(sessions_.size());
        for (const auto& [key, session] : sessions_) {
            sessions.push_back(session);
        }
    }
    for (auto& weak : sessions) {
        const auto session = weak.lock();
        if (!session) {
            continue;
        }
        // On the session's executor, where its state may be read: a session waiting for a
        // request is woken by the cancel and ends; one in an exchange ends after it.
        asio::post(session->strand, [weak = std::move(weak)] {
            const auto session = weak.lock();
            if (session && session->socket && session->idle) {
                beast::error_code ignored;
                session->socket->cancel(ignored);
            }
        });
    }
}

}  // namespace proxy

std::shared_ptr<ProxyListener> AsioReverseProxies::listen(ProxyListenerOptions options,
                                                          std::shared_ptr<ProxyRoutes> routes) {
    auto state = std::make_shared<ListenerState>(asio::make_strand(io_), std::move(options),
                                                 std::move(routes));
    const auto& host = state->options.host;
    const auto port = state->options.port;
    if (state->options.tls) {
        state->tls.emplace(tls_context(*state->options.tls));
    }
    beast::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) {
        throw std::runtime_error("cannot listen on " + host + ": not an IP address");
    }
    const tcp::endpoint endpoint(address, port);
    auto& acceptor = state->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                                 ec.message() + " (is another program using that port?)");
    }
    const std::uint16_t bound = acceptor.local_endpoint().port();
    asio::co_spawn(acceptor.get_executor(), accept_loop(state, io_.get_executor()), ignore_failure);
    asio::co_spawn(io_, sweep_loop(state, io_.get_executor()), ignore_failure);
    return std::make_shared<AsioProxyListener>(std::move(state), bound);
}

}  // namespace awsemu
