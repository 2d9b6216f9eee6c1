#include "services/sqs/long_poll.hpp"

#include <algorithm>
#include <vector>

namespace awsemu::sqs {

void LongPollWaiters::wait(std::int64_t queue_id, TimePoint deadline, Attempt attempt,
                           std::function<void()> expire) {
    auto waiter = std::make_shared<Waiter>();
    waiter->attempt = std::move(attempt);
    waiter->expire = std::move(expire);
    {
        std::lock_guard lock(mutex_);
        waiters_[queue_id].push_back(waiter);
    }
    waiter->deadline_timer = scheduler_.at(deadline, [this, queue_id, waiter] {
        if (waiter->done) {
            return;
        }
        waiter->done = true;
        remove(queue_id, waiter);
        waiter->expire();
    });
}

void LongPollWaiters::notify(std::int64_t queue_id) {
    if (has_waiters(queue_id)) {
        scheduler_.post([this, queue_id] { run_waiters(queue_id); });
    }
}

void LongPollWaiters::notify_at(std::int64_t queue_id, TimePoint when) {
    scheduler_.at(when, [this, queue_id] { run_waiters(queue_id); });
}

std::size_t LongPollWaiters::waiting(std::int64_t queue_id) const {
    std::lock_guard lock(mutex_);
    const auto it = waiters_.find(queue_id);
    return it == waiters_.end() ? 0 : it->second.size();
}

// Runs on the scheduler (one at a time). The first waiter that finds nothing ends the round:
// the ones behind it would find nothing either.
void LongPollWaiters::run_waiters(std::int64_t queue_id) {
    std::vector<std::shared_ptr<Waiter>> waiting;
    {
        std::lock_guard lock(mutex_);
        const auto it = waiters_.find(queue_id);
        if (it == waiters_.end()) {
            return;
        }
        waiting.assign(it->second.begin(), it->second.end());
    }
    for (const auto& waiter : waiting) {
        if (waiter->done) {
            continue;
        }
        if (!waiter->attempt()) {
            return;
        }
        waiter->done = true;
        scheduler_.cancel(waiter->deadline_timer);
        remove(queue_id, waiter);
    }
}

void LongPollWaiters::remove(std::int64_t queue_id, const std::shared_ptr<Waiter>& waiter) {
    std::lock_guard lock(mutex_);
    const auto it = waiters_.find(queue_id);
    if (it == waiters_.end()) {
        return;
    }
    it->second.remove(waiter);
    if (it->second.empty()) {
        waiters_.erase(it);
    }
}

}  // namespace awsemu::sqs
