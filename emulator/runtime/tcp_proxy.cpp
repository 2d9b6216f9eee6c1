#include "emulator/runtime/tcp_proxy.hpp"

#include <array>
#include <chrono>
#include <list>
#include <mutex>
#include <variant>

#include <boost/asio.hpp>

namespace awsemu {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// How long a connection may wait for a target while the server starts.
constexpr std::chrono::seconds kHoldLimit{60};
constexpr std::size_t kRelayBuffer = 64 * 1024;

struct Held {};
struct Refused {};
using Mode = std::variant<Held, Refused, TcpTarget>;

// One client connection and, once connected, its server side.
struct Relay {
    explicit Relay(tcp::socket socket) : client(std::move(socket)), server(client.get_executor()) {}
    tcp::socket client;
    tcp::socket server;

    void close() {
        error_code ignored;
        client.shutdown(tcp::socket::shutdown_both, ignored);
        client.close(ignored);
        server.shutdown(tcp::socket::shutdown_both, ignored);
        server.close(ignored);
    }
};

// Copies one direction until either side closes. The sockets are non-blocking: a read or write
// is tried at once and the coroutine waits only when the socket is not ready, so a small message
// (a database query and its answer) costs a read and a write, not two trips through the event
// loop.
asio::awaitable<void> pump(std::shared_ptr<Relay> relay, tcp::socket& from, tcp::socket& to) {
    std::array<char, kRelayBuffer> buffer;
    constexpr auto kWait = asio::as_tuple(asio::use_awaitable);
    for (;;) {
        error_code error;
        const std::size_t size = from.read_some(asio::buffer(buffer), error);
        if (error == asio::error::would_block || error == asio::error::try_again) {
            auto [wait_error] = co_await from.async_wait(tcp::socket::wait_read, kWait);
            if (wait_error) {
                break;
            }
            continue;
        }
        if (error) {
            break;
        }
        std::size_t written = 0;
        while (written < size && !error) {
            written += to.write_some(asio::buffer(buffer.data() + written, size - written), error);
            if (error == asio::error::would_block || error == asio::error::try_again) {
                std::tie(error) = co_await to.async_wait(tcp::socket::wait_write, kWait);
            }
        }
        if (error) {
            break;
        }
    }
    relay->close();
}

class AsioTcpProxy final : public TcpProxy, public std::enable_shared_from_this<AsioTcpProxy> {
  public:
    AsioTcpProxy(asio::io_context& io, bool one_thread, tcp::acceptor acceptor, std::uint16_t port)
        : port_(port),
          io_(io),
          one_thread_(one_thread),
          acceptor_(std::move(acceptor)),
          hold_timer_(io) {}

    void start() { asio::co_spawn(io_, accept_loop(shared_from_this()), asio::detached); }

    std::uint16_t port() const override { return port_; }

    void forward_to(TcpTarget target) override {
        std::list<std::shared_ptr<Relay>> waiting;
        {
            std::lock_guard lock(mutex_);
            mode_ = target;
            waiting.swap(held_);
        }
        for (auto& relay : waiting) {
            connect(relay, target);
        }
    }

    void hold() override {
        std::lock_guard lock(mutex_);
        mode_ = Held{};
    }

    void refuse() override {
        std::list<std::shared_ptr<Relay>> waiting;
        {
            std::lock_guard lock(mutex_);
            mode_ = Refused{};
            waiting.swap(held_);
        }
        for (auto& relay : waiting) {
            relay->close();
        }
    }

    void drop_connections() override {
        std::list<std::weak_ptr<Relay>> live;
        {
            std::lock_guard lock(mutex_);
            live.swap(live_);
        }
        for (auto& weak : live) {
            if (auto relay = weak.lock()) {
                asio::post(relay->client.get_executor(), [relay] { relay->close(); });
            }
        }
    }

    void close() override {
        {
            std::lock_guard lock(mutex_);
            mode_ = Refused{};
        }
        asio::post(io_, [self = shared_from_this()] {
            error_code ignored;
            self->acceptor_.close(ignored);
            self->hold_timer_.cancel();
        });
        refuse();
        drop_connections();
    }

  private:
    static asio::awaitable<void> accept_loop(std::shared_ptr<AsioTcpProxy> self) {
        for (;;) {
            // With one event-loop thread, handlers never run at once: no strand is needed.
            const asio::any_io_executor executor =
                self->one_thread_ ? asio::any_io_executor(self->io_.get_executor())
                                  : asio::any_io_executor(asio::make_strand(self->io_));
            auto [error, socket] = co_await self->acceptor_.async_accept(
                executor, asio::as_tuple(asio::use_awaitable));
            if (error == asio::error::operation_aborted || !self->acceptor_.is_open()) {
                co_return;
            }
            if (error) {
                continue;
            }
            error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            self->admit(std::make_shared<Relay>(std::move(socket)));
        }
    }

    void admit(const std::shared_ptr<Relay>& relay) {
        Mode mode;
        {
            std::lock_guard lock(mutex_);
            mode = mode_;
            if (std::holds_alternative<Held>(mode)) {
                held_.push_back(relay);
                arm_hold_timer();
                return;
            }
        }
        if (const auto* target = std::get_if<TcpTarget>(&mode)) {
            connect(relay, *target);
        } else {
            relay->close();
        }
    }

    // Called with mutex_ held: closes whatever has waited longer than kHoldLimit.
    void arm_hold_timer() {
        if (hold_armed_) {
            return;
        }
        hold_armed_ = true;
        hold_timer_.expires_after(kHoldLimit);
        hold_timer_.async_wait([self = shared_from_this()](const error_code&) {
            std::list<std::shared_ptr<Relay>> expired;
            {
                std::lock_guard lock(self->mutex_);
                self->hold_armed_ = false;
                expired.swap(self->held_);
            }
            for (auto& relay : expired) {
                relay->close();
            }
        });
    }

    void connect(const std::shared_ptr<Relay>& relay, const TcpTarget& target) {
        {
            std::lock_guard lock(mutex_);
            live_.remove_if([](const std::weak_ptr<Relay>& weak) { return weak.expired(); });
            live_.push_back(relay);
        }
        asio::co_spawn(relay->client.get_executor(), run(relay, target), asio::detached);
    }

    static asio::awaitable<void> run(std::shared_ptr<Relay> relay, TcpTarget target) {
        error_code error;
        const auto address = asio::ip::make_address(target.host, error);
        if (error) {
            relay->close();
            co_return;
        }
        auto [connect_error] = co_await relay->server.async_connect(
            tcp::endpoint(address, target.port), asio::as_tuple(asio::use_awaitable));
        if (connect_error) {
            relay->close();
            co_return;
        }
        relay->server.set_option(tcp::no_delay(true), error);
        relay->client.non_blocking(true, error);
        relay->server.non_blocking(true, error);
        const auto executor = relay->client.get_executor();
        asio::co_spawn(executor, pump(relay, relay->client, relay->server), asio::detached);
        asio::co_spawn(executor, pump(relay, relay->server, relay->client), asio::detached);
    }

    const std::uint16_t port_;
    asio::io_context& io_;
    const bool one_thread_;
    tcp::acceptor acceptor_;
    asio::steady_timer hold_timer_;
    std::mutex mutex_;
    Mode mode_ = Held{};
    bool hold_armed_ = false;
    std::list<std::shared_ptr<Relay>> held_;
    std::list<std::weak_ptr<Relay>> live_;
};

}  // namespace

AsioTcpProxies::AsioTcpProxies(asio::io_context& io, bool one_thread)
    : io_(io), one_thread_(one_thread) {}

std::shared_ptr<TcpProxy> AsioTcpProxies::listen(const std::string& host, std::uint16_t port,
                                                 error_code& error) {
    error.clear();
    const auto address = asio::ip::make_address(host, error);
    if (error) {
        return nullptr;
    }
    tcp::acceptor acceptor(io_);
    const tcp::endpoint endpoint(address, port);
    acceptor.open(endpoint.protocol(), error);
    if (!error) {
        acceptor.set_option(tcp::acceptor::reuse_address(true), error);
    }
    if (!error) {
        acceptor.bind(endpoint, error);
    }
    if (!error) {
        acceptor.listen(asio::socket_base::max_listen_connections, error);
    }
    if (error) {
        return nullptr;
    }
    const auto bound = acceptor.local_endpoint(error).port();
    if (error) {
        return nullptr;
    }
    auto proxy = std::make_shared<AsioTcpProxy>(io_, one_thread_, std::move(acceptor), bound);
    proxy->start();
    return proxy;
}

std::uint16_t AsioTcpProxies::free_port(const std::string& host) {
    error_code error;
    const auto address = asio::ip::make_address(host, error);
    if (error) {
        return 0;
    }
    tcp::acceptor probe(io_);
    const tcp::endpoint endpoint(address, 0);
    probe.open(endpoint.protocol(), error);
    if (!error) {
        probe.bind(endpoint, error);
    }
    if (error) {
        return 0;
    }
    const auto port = probe.local_endpoint(error).port();
    return error ? 0 : port;
}

}  // namespace awsemu
