#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

// Internal to the reverse proxy (emulator/http only): Beast types.
namespace awsemu::proxy {

// A connection to a target and the bytes read from it that no response has used yet.
struct UpstreamConnection {
    explicit UpstreamConnection(const boost::asio::any_io_executor& executor) : stream(executor) {}

    boost::beast::tcp_stream stream;
    boost::beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since;
};

// Idle keep-alive connections per target, shared by a listener's sessions (any thread).
// A connection comes back only after a complete keep-alive response; it is handed out again
// only while younger than kMaxIdle and still open (the target may have closed it meanwhile).
class UpstreamPool {
  public:
    // Node's http server closes a keep-alive connection after 5 s by default; handing out one
    // near that age would race with the target closing it.
    static constexpr std::chrono::seconds kMaxIdle{4};
    static constexpr std::size_t kMaxIdlePerTarget = 32;

    // An idle connection to this target, or null.
    std::unique_ptr<UpstreamConnection> take(const boost::asio::ip::tcp::endpoint& target);
    void give_back(const boost::asio::ip::tcp::endpoint& target,
                   std::unique_ptr<UpstreamConnection> connection);
    // Closes idle connections older than kMaxIdle (all of them when `everything`).
    void sweep(bool everything = false);
    std::size_t idle_count() const;

  private:
    mutable std::mutex mutex_;
    std::map<boost::asio::ip::tcp::endpoint, std::vector<std::unique_ptr<UpstreamConnection>>>
        idle_;
};

}  // namespace awsemu::proxy
