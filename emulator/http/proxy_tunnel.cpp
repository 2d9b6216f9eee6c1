#include "emulator/http/proxy_tunnel.hpp"

#include <memory>

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

namespace awsemu::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kTunnelChunk = 16 * 1024;

// What the three branches of a tunnel share (they run on the event loop, one at a time).
template <class Client>
struct TunnelState {
    Client& client;
    beast::tcp_stream& target;
    asio::steady_timer idle_timer;
    Clock::time_point last_activity = Clock::now();
    bool stopped = false;

    // Ends every branch: the first to finish ends the others, whose operations may not all
    // honour the cancellation the parallel group asks for.
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        beast::error_code ignored;
        beast::get_lowest_layer(client).socket().cancel(ignored);
        target.socket().cancel(ignored);
        idle_timer.cancel();
    }
};

template <class Client, class From, class To>
asio::awaitable<void> pump(TunnelState<Client>& state, From& from, To& to) {
    auto buffer = std::make_unique<char[]>(kTunnelChunk);
    while (!state.stopped) {
        auto [read_ec, bytes] =
            co_await from.async_read_some(asio::buffer(buffer.get(), kTunnelChunk), kAwait);
        if (bytes > 0) {
            state.last_activity = Clock::now();
            auto [write_ec, written] =
                co_await asio::async_write(to, asio::buffer(buffer.get(), bytes), kAwait);
            if (write_ec) {
                break;
            }
            state.last_activity = Clock::now();
        }
        if (read_ec) {
            break;
        }
    }
    state.stop();
}

template <class Client>
asio::awaitable<void> watch_idle(TunnelState<Client>& state, std::chrono::milliseconds idle) {
    while (!state.stopped) {
        const auto deadline = state.last_activity + idle;
        if (Clock::now() >= deadline) {
            break;
        }
        state.idle_timer.expires_at(deadline);
        auto [ec] = co_await state.idle_timer.async_wait(kAwait);
        if (ec) {
            break;
        }
    }
    state.stop();
}

}  // namespace

template <class Client>
asio::awaitable<void> tunnel(Client& client, beast::flat_buffer& client_buffer,
                             UpstreamConnection& upstream, std::chrono::milliseconds idle_timeout) {
    beast::get_lowest_layer(client).expires_never();
    upstream.stream.expires_never();
    if (client_buffer.size() > 0) {
        auto [ec, written] =
            co_await asio::async_write(upstream.stream, client_buffer.data(), kAwait);
        if (ec) {
            co_return;
        }
        client_buffer.consume(client_buffer.size());
    }
    if (upstream.buffer.size() > 0) {
        auto [ec, written] = co_await asio::async_write(client, upstream.buffer.data(), kAwait);
        if (ec) {
            co_return;
        }
        upstream.buffer.consume(upstream.buffer.size());
    }
    TunnelState<Client> state{client, upstream.stream, asio::steady_timer(client.get_executor())};
    using namespace asio::experimental::awaitable_operators;
    try {
        co_await (pump(state, client, upstream.stream) || pump(state, upstream.stream, client) ||
                  watch_idle(state, idle_timeout));
    } catch (const std::exception&) {
        // A branch the group cancelled may throw operation_aborted as it resumes: the tunnel
        // is over either way.
        state.stop();
    }
}

template asio::awaitable<void> tunnel(beast::tcp_stream&, beast::flat_buffer&, UpstreamConnection&,
                                      std::chrono::milliseconds);
template asio::awaitable<void> tunnel(beast::ssl_stream<beast::tcp_stream>&, beast::flat_buffer&,
                                      UpstreamConnection&, std::chrono::milliseconds);

}  // namespace awsemu::proxy
