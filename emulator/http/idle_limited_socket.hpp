#pragma once

#include <chrono>
#include <memory>
#include <utility>

#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace awsemu {

// A TCP socket whose reads and writes must finish by a deadline, else it is shut down (and the
// operation under way fails): what beast::tcp_stream does, at a fraction of the cost. Beast
// starts and cancels a timer for every read and write, which costs a small request a fifth of
// all it costs; here one timer per connection is armed when it is not, and when it fires early
// (the deadline moved on since) it is armed again for the rest. It is an AsyncReadStream and
// AsyncWriteStream, for Asio's and Beast's free functions. Used on the event loop's thread only.
// A passed deadline shuts the socket down rather than closing it: every operation under way
// fails, and the socket stays the session's to close once it is done with it.
class IdleLimitedSocket {
  public:
    using executor_type = boost::asio::ip::tcp::socket::executor_type;
    using Clock = std::chrono::steady_clock;

    explicit IdleLimitedSocket(boost::asio::ip::tcp::socket socket)
        : state_(std::make_shared<State>(std::move(socket))) {}
    IdleLimitedSocket(const IdleLimitedSocket&) = delete;
    IdleLimitedSocket& operator=(const IdleLimitedSocket&) = delete;
    IdleLimitedSocket(IdleLimitedSocket&&) = default;
    IdleLimitedSocket& operator=(IdleLimitedSocket&&) = default;

    boost::asio::ip::tcp::socket& socket() { return state_->socket; }
    executor_type get_executor() { return state_->socket.get_executor(); }

    // What runs from now on (until the next call) must be done within `limit`.
    void expires_after(Clock::duration limit) {
        State& state = *state_;
        state.deadline = Clock::now() + limit;
        if (!state.armed || state.deadline < state.timer.expiry()) {
            arm(state_);
        }
    }
    // No deadline, e.g. while the answer is being worked out.
    void expires_never() { state_->deadline = Clock::time_point::max(); }
    // The deadline passed and the socket was shut down.
    bool timed_out() const { return state_->timed_out; }

    template <typename Buffers, typename Token>
    auto async_read_some(const Buffers& buffers, Token&& token) {
        return state_->socket.async_read_some(buffers, std::forward<Token>(token));
    }
    template <typename Buffers, typename Token>
    auto async_write_some(const Buffers& buffers, Token&& token) {
        return state_->socket.async_write_some(buffers, std::forward<Token>(token));
    }

  private:
    struct State {
        explicit State(boost::asio::ip::tcp::socket s)
            : socket(std::move(s)), timer(socket.get_executor()) {}
        boost::asio::ip::tcp::socket socket;
        boost::asio::steady_timer timer;
        Clock::time_point deadline = Clock::time_point::max();
        bool armed = false;
        bool timed_out = false;
    };

    // The timer's wait holds the state weakly: a connection that ended takes its timer along.
    static void arm(const std::shared_ptr<State>& state) {
        state->armed = true;
        state->timer.expires_at(state->deadline);
        state->timer.async_wait(
            [weak = std::weak_ptr<State>(state)](const boost::system::error_code& ec) {
                if (ec == boost::asio::error::operation_aborted) {
                    return;  // re-armed for an earlier deadline, or the connection is gone
                }
                const auto state = weak.lock();
                if (!state) {
                    return;
                }
                state->armed = false;
                if (Clock::now() >= state->deadline) {
                    state->timed_out = true;
                    ::shutdown(state->socket.native_handle(), SHUT_RDWR);
                } else if (state->deadline != Clock::time_point::max()) {
                    arm(state);
                }
            });
    }

    std::shared_ptr<State> state_;
};

}  // namespace awsemu
