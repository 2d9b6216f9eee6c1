#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "services/sns/sns_model.hpp"

namespace awsemu::sns {

struct SubscriptionCounts {
    int confirmed = 0;
    int pending = 0;
};

// One HTTP(S) request waiting in the outbox: a subscription confirmation or a notification.
struct PendingDelivery {
    std::int64_t id = 0;
    std::string account_id;
    std::string region;
    std::string subscription_arn;
    std::string endpoint;
    std::string message_type;  // "SubscriptionConfirmation", "Notification"
    std::string message_id;
    std::string topic_arn;
    std::string body;
    int attempts = 0;
    std::int64_t due_ms = 0;
    std::int64_t expires_ms = 0;  // the end of its retry window: given up if not done by then
};

// A subscription with deliveries in the outbox that are not being sent.
struct WaitingSubscription {
    std::string subscription_arn;
    std::int64_t earliest_due_ms = 0;
};

// All of SNS's SQL: topics, subscriptions, FIFO deduplication, the HTTP delivery outbox and the
// key that signs messages.
class SnsStore {
  public:
    explicit SnsStore(Database& database);

    // Topics
    std::optional<Topic> find_topic(const std::string& account_id, const std::string& region,
                                    const std::string& name);
    void insert_topic(const Topic& topic);
    void update_topic(const Topic& topic);  // attributes and tags
    void delete_topic(const Topic& topic);  // with its subscriptions
    // Names after `after` in order, at most `limit`.
    std::vector<std::string> topic_names(const Scope& scope, const std::string& after, int limit);

    // Subscriptions (the ARN's account and region are the topic's)
    std::optional<Subscription> find_subscription(const std::string& account_id,
                                                  const std::string& region,
                                                  const std::string& arn);
    std::optional<Subscription> find_subscription(const Topic& topic, const std::string& protocol,
                                                  const std::string& endpoint);
    std::optional<Subscription> find_pending_by_token(const Topic& topic, const std::string& token);
    void insert_subscription(const Subscription& subscription);
    void update_subscription(const Subscription& subscription);
    void delete_subscription(const Subscription& subscription);
    // Subscriptions in ARN order after `after_arn`, at most `limit`; of one topic when given.
    std::vector<Subscription> subscriptions(const Scope& scope, const std::string* topic_arn,
                                            const std::string& after_arn, int limit);
    // Every confirmed subscription of the topic, for delivery.
    std::vector<Subscription> confirmed_subscriptions(const Topic& topic);
    SubscriptionCounts subscription_counts(const Topic& topic);

    // FIFO topics: the message id a deduplication id published within the window, and the
    // topic's next sequence number. Remembering an id forgets the topic's ids that have expired.
    std::optional<std::string> duplicate_of(const Topic& topic, const std::string& dedup_id,
                                            std::int64_t now_ms);
    void remember_deduplication(const Topic& topic, const std::string& dedup_id,
                                const std::string& message_id, std::int64_t now_ms);
    std::int64_t next_sequence_number(const Topic& topic);

    // The HTTP delivery outbox, drained in the background across all accounts and regions. Each
    // lookup costs the same however long other subscriptions' backlogs are.
    void enqueue_delivery(const PendingDelivery& delivery);
    // The subscriptions with deliveries that are not being sent, in ARN order.
    std::vector<WaitingSubscription> waiting_subscriptions();
    // The subscription's deliveries due by `now_ms` that are not being sent, in due order.
    std::vector<PendingDelivery> due_deliveries(const std::string& subscription_arn,
                                                std::int64_t now_ms, int limit);
    // Marks a delivery as being sent, so that no one takes it twice.
    void mark_in_flight(std::int64_t id);
    // After a restart: what was being sent when the previous run stopped is due again.
    void release_deliveries();
    // The deliveries not being sent whose retry window ended by `now_ms`.
    std::vector<PendingDelivery> expired_deliveries(std::int64_t now_ms, int limit);
    // The earliest end of a retry window among the deliveries not being sent.
    std::optional<std::int64_t> earliest_expiry_ms();
    void reschedule_delivery(std::int64_t id, int attempts, std::int64_t due_ms);
    void delete_delivery(std::int64_t id);

    // The key and certificate that sign messages, PEM: one for the whole state directory, as
    // one process stands for every region's SNS endpoint.
    std::optional<std::pair<std::string, std::string>> signing_key();
    void save_signing_key(const std::string& key_pem, const std::string& certificate_pem);

  private:
    Database& db_;
};

}  // namespace awsemu::sns
