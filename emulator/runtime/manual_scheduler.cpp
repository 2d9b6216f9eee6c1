#include "emulator/runtime/manual_scheduler.hpp"

#include <algorithm>

namespace awsemu {

Scheduler::TimerId ManualScheduler::at(TimePoint when, std::function<void()> work) {
    const TimerId id = ++next_id_;
    timers_.emplace(std::make_pair(when, id), std::move(work));
    return id;
}

void ManualScheduler::cancel(TimerId id) {
    std::erase_if(timers_, [id](const auto& entry) { return entry.first.second == id; });
}

void ManualScheduler::post(std::function<void()> work) {
    posted_.push_back(std::move(work));
}

void ManualScheduler::run_ready() {
    for (;;) {
        if (!posted_.empty()) {
            auto work = std::move(posted_.front());
            posted_.erase(posted_.begin());
            work();
            if (after_each) {
                after_each();
            }
            continue;
        }
        const auto due = timers_.begin();
        if (due == timers_.end() || due->first.first > clock_.now()) {
            return;
        }
        auto work = std::move(due->second);
        timers_.erase(due);
        work();
        if (after_each) {
            after_each();
        }
    }
}

void ManualScheduler::advance(Duration by) {
    const TimePoint target = clock_.now() + by;
    run_ready();
    while (!timers_.empty() && timers_.begin()->first.first <= target) {
        clock_.advance(std::max(Duration::zero(), timers_.begin()->first.first - clock_.now()));
        run_ready();
    }
    clock_.advance(target - clock_.now());
    run_ready();
}

}  // namespace awsemu
