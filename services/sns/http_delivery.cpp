#include "services/sns/http_delivery.hpp"

#include <algorithm>
#include <tuple>

#include "emulator/auth/crypto.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/sns/delivery_policy.hpp"

namespace awsemu::sns {
namespace {

constexpr int kBatchSize = 100;

bool delivered(int status) {
    return status >= 200 && status < 300;
}

// AWS does not retry what the subscriber refused as the client's fault (4xx but 429).
bool refused(int status) {
    return status >= 400 && status < 500 && status != 429;
}

}  // namespace

HttpDeliverer::HttpDeliverer(Database& database, SnsStore& store, const Clock& clock,
                             Scheduler& scheduler, HttpClient* client,
                             std::shared_ptr<sqs::SqsApi> sqs)
    : db_(database),
      store_(store),
      clock_(clock),
      scheduler_(scheduler),
      client_(client),
      sqs_(std::move(sqs)) {}

void HttpDeliverer::resume() {
    auto transaction = db_.transaction();
    store_.release_deliveries();
    transaction.commit();
    wake();
}

void HttpDeliverer::wake() {
    // Not before the commit: a delivery of a Publish that rolls back must never go out (and
    // the commit may come after work posted now; see GroupCommit::wait_for_arrivals).
    db_.once_committed([this] { scheduler_.post([this] { drain(); }); });
}

void HttpDeliverer::drain() {
    if (client_ == nullptr) {
        return;
    }
    bool more = expire();
    std::vector<PendingDelivery> taken;
    {
        std::lock_guard lock(state_mutex_);
        const int room = std::min(kBatchSize, kMaxInFlight - total_in_flight_);
        if (room <= 0) {
            return;  // a finishing request drains again
        }
        auto transaction = db_.transaction();
        taken = due_now(to_epoch_ms(clock_.now()), room);
        if (taken.size() > static_cast<std::size_t>(room)) {
            more = true;
            taken.resize(static_cast<std::size_t>(room));
        }
        for (const auto& delivery : taken) {
            ++in_flight_[delivery.subscription_arn];
            ++total_in_flight_;
            store_.mark_in_flight(delivery.id);
        }
        transaction.commit();
    }
    for (const auto& delivery : taken) {
        send(delivery);
    }
    if (more) {
        wake();
    } else {
        arm_timer();
    }
}

bool HttpDeliverer::expire() {
    auto transaction = db_.transaction();
    const auto expired = store_.expired_deliveries(to_epoch_ms(clock_.now()), kBatchSize);
    for (const auto& delivery : expired) {
        give_up(delivery, store_.find_subscription(delivery.account_id, delivery.region,
                                                   delivery.subscription_arn));
    }
    transaction.commit();
    return expired.size() == static_cast<std::size_t>(kBatchSize);
}

std::vector<PendingDelivery> HttpDeliverer::due_now(std::int64_t now_ms, int room) {
    std::vector<PendingDelivery> due;
    for (const auto& waiting : store_.waiting_subscriptions()) {
        const int slots = std::min(free_slots(waiting.subscription_arn), room);
        if (slots <= 0 || waiting.earliest_due_ms > now_ms) {
            continue;  // a saturated subscription's turn comes when one of its requests finishes
        }
        for (auto& delivery : store_.due_deliveries(waiting.subscription_arn, now_ms, slots)) {
            due.push_back(std::move(delivery));
        }
    }
    std::sort(due.begin(), due.end(), [](const PendingDelivery& a, const PendingDelivery& b) {
        return std::tie(a.due_ms, a.id) < std::tie(b.due_ms, b.id);
    });
    return due;
}

int HttpDeliverer::free_slots(const std::string& subscription_arn) const {
    const auto it = in_flight_.find(subscription_arn);
    return kMaxInFlightPerSubscription - (it == in_flight_.end() ? 0 : it->second);
}

void HttpDeliverer::send(const PendingDelivery& delivery) {
    OutgoingRequest request;
    request.url = delivery.endpoint;
    request.body = delivery.body;
    request.timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.to_real(kRequestTimeout));
    std::string content_type = "text/plain; charset=UTF-8";
    {
        auto transaction = db_.transaction();
        const auto subscription = store_.find_subscription(delivery.account_id, delivery.region,
                                                           delivery.subscription_arn);
        const auto arn = parse_sns_arn(delivery.topic_arn);
        const auto topic =
            arn ? store_.find_topic(arn->account_id, arn->region, arn->topic_name) : std::nullopt;
        if (subscription && topic) {
            content_type = request_content_type(topic->attributes, subscription->attributes);
            if (subscription->raw_message_delivery() && delivery.message_type == "Notification") {
                request.headers.add("x-amz-sns-rawdelivery", "true");
            }
        }
        transaction.commit();
    }
    request.headers.add("Content-Type", content_type);
    request.headers.add("User-Agent", "Amazon Simple Notification Service Agent");
    request.headers.add("x-amz-sns-message-type", delivery.message_type);
    request.headers.add("x-amz-sns-message-id", delivery.message_id);
    request.headers.add("x-amz-sns-topic-arn", delivery.topic_arn);
    if (delivery.message_type == "Notification") {
        request.headers.add("x-amz-sns-subscription-arn", delivery.subscription_arn);
    }
    client_->send(std::move(request), [this, delivery](const OutgoingResult& result) {
        finish(delivery, result);
        {
            std::lock_guard lock(state_mutex_);
            --total_in_flight_;
            if (--in_flight_[delivery.subscription_arn] == 0) {
                in_flight_.erase(delivery.subscription_arn);
            }
        }
        arm_timer();
    });
}

void HttpDeliverer::finish(const PendingDelivery& delivery, const OutgoingResult& result) {
    auto transaction = db_.transaction();
    const auto subscription =
        store_.find_subscription(delivery.account_id, delivery.region, delivery.subscription_arn);
    if (delivered(result.status) || !subscription) {
        store_.delete_delivery(delivery.id);
        transaction.commit();
        return;
    }
    const bool notification = delivery.message_type == "Notification";
    std::optional<std::int64_t> retry_ms;
    if (!notification || !refused(result.status)) {
        const auto arn = parse_sns_arn(delivery.topic_arn);
        const auto topic =
            arn ? store_.find_topic(arn->account_id, arn->region, arn->topic_name) : std::nullopt;
        const RetryPolicy policy = notification && topic
                                       ? retry_policy(topic->attributes, subscription->attributes)
                                       : RetryPolicy{};  // confirmations: AWS's default
        if (const auto delay = retry_delay_seconds(policy, delivery.attempts + 1)) {
            retry_ms = to_epoch_ms(clock_.now() + std::chrono::duration_cast<Duration>(
                                                      std::chrono::duration<double>(*delay)));
        }
    }
    // A retry due when the window closes would be given up before it is sent.
    if (retry_ms && *retry_ms < delivery.expires_ms) {
        store_.reschedule_delivery(delivery.id, delivery.attempts + 1, *retry_ms);
    } else {
        give_up(delivery, subscription);
    }
    transaction.commit();
}

void HttpDeliverer::give_up(const PendingDelivery& delivery,
                            const std::optional<Subscription>& subscription) {
    store_.delete_delivery(delivery.id);
    const auto queue = subscription && delivery.message_type == "Notification"
                           ? subscription->dead_letter_queue_arn()
                           : std::nullopt;
    if (!queue || !sqs_) {
        return;
    }
    const RequestContext ctx{
        Scope{delivery.account_id, delivery.region}, auth::fast_uuid_v4(), "", "", "", &clock_};
    // A savepoint: a delivery that fails half-way leaves nothing behind.
    auto transaction = db_.transaction();
    try {
        sqs_->deliver(ctx, sqs::Delivery{*queue, delivery.body});
        transaction.commit();
    } catch (const AwsError&) {
        // The dead-letter queue is gone: the message is lost, as on AWS.
    }
}

void HttpDeliverer::arm_timer() {
    std::lock_guard lock(state_mutex_);
    std::optional<std::int64_t> due;
    {
        auto transaction = db_.transaction();
        due = store_.earliest_expiry_ms();
        for (const auto& waiting : store_.waiting_subscriptions()) {
            if (free_slots(waiting.subscription_arn) > 0 &&
                (!due || waiting.earliest_due_ms < *due)) {
                due = waiting.earliest_due_ms;
            }
        }
        transaction.commit();
    }
    if (!due || (timer_ && timer_due_ms_ <= *due)) {
        return;
    }
    if (timer_) {
        scheduler_.cancel(*timer_);
    }
    timer_due_ms_ = *due;
    timer_ = scheduler_.at(from_epoch_ms(*due), [this] {
        {
            std::lock_guard inner(state_mutex_);
            timer_.reset();
        }
        drain();
    });
}

}  // namespace awsemu::sns
