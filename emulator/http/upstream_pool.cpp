#include "emulator/http/upstream_pool.hpp"

#include <algorithm>

#include <sys/socket.h>

namespace awsemu::proxy {
namespace {

using Clock = std::chrono::steady_clock;

// True when the target has not closed the connection nor sent anything unasked: a peek that
// would block. One system call, far cheaper than a request lost on a dead connection.
bool still_open(UpstreamConnection& connection) {
    auto& socket = connection.stream.socket();
    if (!socket.is_open()) {
        return false;
    }
    char byte = 0;
    const auto received = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

std::unique_ptr<UpstreamConnection> UpstreamPool::take(
    const boost::asio::ip::tcp::endpoint& target) {
    const auto now = Clock::now();
    std::vector<std::unique_ptr<UpstreamConnection>> stale;  // closed outside the lock
    std::unique_ptr<UpstreamConnection> found;
    {
        std::lock_guard lock(mutex_);
        const auto it = idle_.find(target);
        if (it == idle_.end()) {
            return nullptr;
        }
        auto& idle = it->second;
        // The newest is last: it is the likeliest to be alive.
        while (!idle.empty()) {
            std::unique_ptr<UpstreamConnection> candidate = std::move(idle.back());
            idle.pop_back();
            if (now - candidate->idle_since < kMaxIdle && still_open(*candidate)) {
                found = std::move(candidate);
                break;
            }
            stale.push_back(std::move(candidate));
        }
    }
    return found;
}

void UpstreamPool::give_back(const boost::asio::ip::tcp::endpoint& target,
                             std::unique_ptr<UpstreamConnection> connection) {
    const auto now = Clock::now();
    connection->idle_since = now;
    connection->stream.expires_never();
    std::unique_ptr<UpstreamConnection> dropped;
    std::lock_guard lock(mutex_);
    auto& idle = idle_[target];
    // The oldest is first: drop it when it is too old or the target has too many idle.
    if (!idle.empty() &&
        (idle.size() >= kMaxIdlePerTarget || now - idle.front()->idle_since >= kMaxIdle)) {
        dropped = std::move(idle.front());
        idle.erase(idle.begin());
    }
    idle.push_back(std::move(connection));
}

void UpstreamPool::sweep(bool everything) {
    const auto now = Clock::now();
    std::vector<std::unique_ptr<UpstreamConnection>> closing;
    std::lock_guard lock(mutex_);
    for (auto it = idle_.begin(); it != idle_.end();) {
        auto& idle = it->second;
        const auto fresh = std::find_if(idle.begin(), idle.end(), [&](const auto& connection) {
            return !everything && now - connection->idle_since < kMaxIdle;
        });
        std::move(idle.begin(), fresh, std::back_inserter(closing));
        idle.erase(idle.begin(), fresh);
        it = idle.empty() ? idle_.erase(it) : std::next(it);
    }
}

std::size_t UpstreamPool::idle_count() const {
    std::lock_guard lock(mutex_);
    std::size_t count = 0;
    for (const auto& [target, idle] : idle_) {
        count += idle.size();
    }
    return count;
}

}  // namespace awsemu::proxy
