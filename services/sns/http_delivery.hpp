#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "emulator/http/http_client.hpp"
#include "emulator/runtime/scheduler.hpp"
#include "emulator/store/database.hpp"
#include "services/sns/sns_store.hpp"
#include "services/sqs/sqs_api.hpp"

namespace awsemu::sns {

// Delivers what waits in the outbox to HTTP(S) subscribers, in the background: requests go out
// without blocking, a failure is retried on the clock as the delivery policy says, and what
// cannot be delivered within its retry window goes to the subscription's dead-letter queue (or
// is dropped). The outbox is in the database, so a restart resumes where it stopped. A
// subscription has at most kMaxInFlightPerSubscription requests out at once (and the server
// kMaxInFlight), so that a slow or dead subscriber with a backlog holds up no one else.
class HttpDeliverer {
  public:
    static constexpr int kMaxInFlightPerSubscription = 16;
    static constexpr int kMaxInFlight = 512;

    HttpDeliverer(Database& database, SnsStore& store, const Clock& clock, Scheduler& scheduler,
                  HttpClient* client, std::shared_ptr<sqs::SqsApi> sqs);

    // Picks up what a previous run left in the outbox.
    void resume();
    // New deliveries were added: send them once the adding transaction has committed.
    void wake();

  private:
    void drain();
    // Gives up on the deliveries whose retry window has passed; true if there may be more.
    bool expire();
    // What may be sent now, earliest due first: of each subscription with requests to spare, as
    // many as it may add (and at most `room`). Needs state_mutex_.
    std::vector<PendingDelivery> due_now(std::int64_t now_ms, int room);
    void send(const PendingDelivery& delivery);
    void finish(const PendingDelivery& delivery, const OutgoingResult& result);
    // Takes the delivery out of the outbox; a notification goes to the subscription's
    // dead-letter queue, if it has one.
    void give_up(const PendingDelivery& delivery, const std::optional<Subscription>& subscription);
    void arm_timer();
    // How many more requests the subscription may have out. Needs state_mutex_.
    int free_slots(const std::string& subscription_arn) const;

    Database& db_;
    SnsStore& store_;
    const Clock& clock_;
    Scheduler& scheduler_;
    HttpClient* client_;
    std::shared_ptr<sqs::SqsApi> sqs_;
    std::mutex state_mutex_;                // the in-flight counts and the timer
    std::map<std::string, int> in_flight_;  // by subscription ARN
    int total_in_flight_ = 0;
    std::optional<Scheduler::TimerId> timer_;
    std::int64_t timer_due_ms_ = 0;
};

}  // namespace awsemu::sns
