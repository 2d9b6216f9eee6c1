#include "emulator/runtime/asio_scheduler.hpp"

#include <atomic>
#include <unordered_map>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace awsemu {

namespace asio = boost::asio;

class AsioScheduler::Impl : public std::enable_shared_from_this<Impl> {
  public:
    Impl(asio::io_context& io, const Clock& clock) : loop_(io.get_executor()), clock_(clock) {}

    TimerId at(TimePoint when, std::function<void()> work) {
        const TimerId id = next_id_.fetch_add(1) + 1;
        // Timers are touched only on the loop: Asio timers are not safe across threads.
        asio::post(loop_, [self = shared_from_this(), id, when, work = std::move(work)]() mutable {
            auto timer = std::make_unique<asio::steady_timer>(self->loop_);
            const Duration remaining = when - self->clock_.now();
            timer->expires_after(remaining.count() > 0 ? self->clock_.to_real(remaining)
                                                       : Duration::zero());
            timer->async_wait(
                [self, id, work = std::move(work)](const boost::system::error_code& ec) {
                    if (ec || self->timers_.erase(id) == 0) {
                        return;  // cancelled
                    }
                    work();
                });
            self->timers_.emplace(id, std::move(timer));
        });
        return id;
    }

    void cancel(TimerId id) {
        asio::post(loop_, [self = shared_from_this(), id] {
            const auto it = self->timers_.find(id);
            if (it != self->timers_.end()) {
                it->second->cancel();
                self->timers_.erase(it);
            }
        });
    }

    void post(std::function<void()> work) { asio::post(loop_, std::move(work)); }

    void cancel_all() {
        for (auto& [id, timer] : timers_) {
            timer->cancel();
        }
        timers_.clear();
    }

  private:
    asio::io_context::executor_type loop_;
    const Clock& clock_;
    std::atomic<TimerId> next_id_{0};
    std::unordered_map<TimerId, std::unique_ptr<asio::steady_timer>> timers_;
};

AsioScheduler::AsioScheduler(asio::io_context& io, const Clock& clock)
    : impl_(std::make_shared<Impl>(io, clock)) {}

AsioScheduler::~AsioScheduler() {
    // Called once the io_context has stopped: no handler runs concurrently any more.
    impl_->cancel_all();
}

Scheduler::TimerId AsioScheduler::at(TimePoint when, std::function<void()> work) {
    return impl_->at(when, std::move(work));
}

void AsioScheduler::cancel(TimerId id) {
    impl_->cancel(id);
}

void AsioScheduler::post(std::function<void()> work) {
    impl_->post(std::move(work));
}

}  // namespace awsemu
