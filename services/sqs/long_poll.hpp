#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>

#include "emulator/runtime/scheduler.hpp"

namespace awsemu::sqs {

// Receivers waiting on queues (ReceiveMessage with WaitTimeSeconds): woken when a message may
// have become available, answered empty at their deadline; a timer each, no thread held.
class LongPollWaiters {
  public:
    // Tries to answer the waiter; true when it did (it then leaves the queue's list).
    using Attempt = std::function<bool()>;

    explicit LongPollWaiters(Scheduler& scheduler) : scheduler_(scheduler) {}

    void wait(std::int64_t queue_id, TimePoint deadline, Attempt attempt,
              std::function<void()> expire);
    // Lets the queue's waiters try again once the current request is done (its commit made).
    void notify(std::int64_t queue_id);
    // The same at a later moment: a delayed or in-flight message becomes visible then.
    void notify_at(std::int64_t queue_id, TimePoint when);
    bool has_waiters(std::int64_t queue_id) const { return waiting(queue_id) > 0; }
    // How many receives wait on the queue (one trying again is among them).
    std::size_t waiting(std::int64_t queue_id) const;

  private:
    struct Waiter {
        Attempt attempt;
        std::function<void()> expire;
        Scheduler::TimerId deadline_timer = 0;
        bool done = false;
    };
    void run_waiters(std::int64_t queue_id);
    void remove(std::int64_t queue_id, const std::shared_ptr<Waiter>& waiter);

    Scheduler& scheduler_;
    mutable std::mutex mutex_;
    std::map<std::int64_t, std::list<std::shared_ptr<Waiter>>> waiters_;
};

}  // namespace awsemu::sqs
