#pragma once

#include <memory>
#include <mutex>

#include "emulator/http/http_client.hpp"
#include "emulator/runtime/scheduler.hpp"
#include "emulator/store/database.hpp"
#include "services/sns/sns_store.hpp"
#include "services/sqs/sqs_api.hpp"

namespace awsemu::sns {

// Delivers what waits in the outbox to HTTP(S) subscribers, in the background: requests go out
// without blocking (so a slow subscriber holds up no one), a failure is retried on the clock
// as the delivery policy says, and what cannot be delivered goes to the subscription's
// dead-letter queue. The outbox is in the database, so a restart resumes where it stopped.
class HttpDeliverer {
  public:
    HttpDeliverer(Database& database, SnsStore& store, const Clock& clock, Scheduler& scheduler,
                  HttpClient* client, std::shared_ptr<sqs::SqsApi> sqs);

    // Picks up what a previous run left in the outbox.
    void resume();
    // New deliveries were added: send them once the adding transaction has committed.
    void wake();

  private:
    void drain();
    void send(const PendingDelivery& delivery);
    void finish(const PendingDelivery& delivery, const OutgoingResult& result);
    // Gives up on a notification: to the subscription's dead-letter queue, if it has one.
    void dead_letter(const PendingDelivery& delivery, const Subscription* subscription);
    void arm_timer();

    Database& db_;
    SnsStore& store_;
    const Clock& clock_;
    Scheduler& scheduler_;
    HttpClient* client_;
    std::shared_ptr<sqs::SqsApi> sqs_;
    std::mutex timer_mutex_;
    std::optional<Scheduler::TimerId> timer_;
    std::int64_t timer_due_ms_ = 0;
};

}  // namespace awsemu::sns
