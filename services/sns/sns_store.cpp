#include "services/sns/sns_store.hpp"

#include <nlohmann/json.hpp>

namespace awsemu::sns {
namespace {

const std::vector<std::string> kMigrations = {
    R"(
    CREATE TABLE sns_topics (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        sequence INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, region, name)
    ) WITHOUT ROWID;
    CREATE TABLE sns_subscriptions (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        arn TEXT NOT NULL,
        topic_arn TEXT NOT NULL,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        owner TEXT NOT NULL,
        attributes TEXT NOT NULL,
        confirmed INTEGER NOT NULL,
        token TEXT NOT NULL,
        PRIMARY KEY (account_id, region, arn)
    ) WITHOUT ROWID;
    CREATE INDEX sns_subscriptions_by_topic
        ON sns_subscriptions (account_id, region, topic_arn, arn);
    CREATE TABLE sns_deduplication (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        topic_name TEXT NOT NULL,
        dedup_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        expires_ms INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, topic_name, dedup_id)
    ) WITHOUT ROWID;
    CREATE TABLE sns_outbox (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        subscription_arn TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        message_type TEXT NOT NULL,
        message_id TEXT NOT NULL,
        topic_arn TEXT NOT NULL,
        body TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        due_ms INTEGER NOT NULL,
        in_flight INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sns_outbox_by_due ON sns_outbox (in_flight, due_ms);
    CREATE TABLE sns_signing_keys (
        id INTEGER PRIMARY KEY,
        key_pem TEXT NOT NULL,
        certificate_pem TEXT NOT NULL
    );
    )",
    // The outbox is read a subscription at a time. Each delivery's retry window ends at
    // expires_ms; what was queued before gets the longest window a policy allows (3,600 seconds
    // of delays and 101 attempts of 15 seconds).
    R"(
    ALTER TABLE sns_outbox ADD COLUMN expires_ms INTEGER NOT NULL DEFAULT 0;
    UPDATE sns_outbox SET expires_ms = due_ms + 5115000;
    DROP INDEX sns_outbox_by_due;
    CREATE INDEX sns_outbox_by_subscription ON sns_outbox (in_flight, subscription_arn, due_ms);
    CREATE INDEX sns_outbox_by_expiry ON sns_outbox (in_flight, expires_ms);
    )",
    // Deduplication ids are forgotten by topic once expired.
    R"(
    CREATE INDEX sns_deduplication_by_expiry
        ON sns_deduplication (account_id, region, topic_name, expires_ms);
    )"};

#define AWSEMU_SNS_SUBSCRIPTION_COLUMNS \
    "account_id, region, arn, topic_arn, protocol, endpoint, owner, attributes, confirmed, token"

#define AWSEMU_SNS_OUTBOX_COLUMNS                                                               \
    "id, account_id, region, subscription_arn, endpoint, message_type, message_id, topic_arn, " \
    "body, attempts, due_ms, expires_ms"

AttributeMap read_attributes(const std::string& text) {
    return nlohmann::json::parse(text).get<AttributeMap>();
}

std::string attributes_text(const AttributeMap& attributes) {
    return nlohmann::json(attributes).dump();
}

Topic read_topic(const Query& q) {
    Topic topic;
    topic.account_id = q.text(0);
    topic.region = q.text(1);
    topic.name = q.text(2);
    topic.attributes = read_attributes(q.text(3));
    topic.tags = nlohmann::json::parse(q.text(4)).get<Tags>();
    topic.created_ms = q.integer(5);
    return topic;
}

Subscription read_subscription(const Query& q) {
    Subscription s;
    s.account_id = q.text(0);
    s.region = q.text(1);
    s.arn = q.text(2);
    s.topic_arn = q.text(3);
    s.protocol = q.text(4);
    s.endpoint = q.text(5);
    s.owner = q.text(6);
    s.attributes = read_attributes(q.text(7));
    s.confirmed = q.integer(8) != 0;
    s.token = q.text(9);
    return s;
}

PendingDelivery read_delivery(const Query& q) {
    PendingDelivery d;
    d.id = q.integer(0);
    d.account_id = q.text(1);
    d.region = q.text(2);
    d.subscription_arn = q.text(3);
    d.endpoint = q.text(4);
    d.message_type = q.text(5);
    d.message_id = q.text(6);
    d.topic_arn = q.text(7);
    d.body = q.text(8);
    d.attempts = static_cast<int>(q.integer(9));
    d.due_ms = q.integer(10);
    d.expires_ms = q.integer(11);
    return d;
}

std::vector<PendingDelivery> read_deliveries(Query& q) {
    std::vector<PendingDelivery> result;
    while (q.next()) {
        result.push_back(read_delivery(q));
    }
    return result;
}

}  // namespace

SnsStore::SnsStore(Database& database) : db_(database) {
    db_.migrate("sns", kMigrations);
}

std::optional<Topic> SnsStore::find_topic(const std::string& account_id, const std::string& region,
                                          const std::string& name) {
    auto q = db_.query(
        "SELECT account_id, region, name, attributes, tags, created_ms FROM sns_topics "
        "WHERE account_id = ? AND region = ? AND name = ?",
        account_id, region, name);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_topic(q);
}

void SnsStore::insert_topic(const Topic& topic) {
    db_.execute(
        "INSERT INTO sns_topics (account_id, region, name, attributes, tags, created_ms) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        topic.account_id, topic.region, topic.name, attributes_text(topic.attributes),
        nlohmann::json(topic.tags).dump(), topic.created_ms);
}

void SnsStore::update_topic(const Topic& topic) {
    db_.execute(
        "UPDATE sns_topics SET attributes = ?, tags = ? "
        "WHERE account_id = ? AND region = ? AND name = ?",
        attributes_text(topic.attributes), nlohmann::json(topic.tags).dump(), topic.account_id,
        topic.region, topic.name);
}

void SnsStore::delete_topic(const Topic& topic) {
    db_.execute("DELETE FROM sns_topics WHERE account_id = ? AND region = ? AND name = ?",
                topic.account_id, topic.region, topic.name);
    db_.execute(
        "DELETE FROM sns_subscriptions WHERE account_id = ? AND region = ? AND topic_arn = ?",
        topic.account_id, topic.region, topic.arn());
    db_.execute(
        "DELETE FROM sns_deduplication WHERE account_id = ? AND region = ? AND topic_name = ?",
        topic.account_id, topic.region, topic.name);
}

std::vector<std::string> SnsStore::topic_names(const Scope& scope, const std::string& after,
                                               int limit) {
    auto q = db_.query(
        "SELECT name FROM sns_topics WHERE account_id = ? AND region = ? AND name > ? "
        "ORDER BY name LIMIT ?",
        scope.account_id, scope.region, after, limit);
    std::vector<std::string> names;
    while (q.next()) {
        names.push_back(q.text(0));
    }
    return names;
}

std::optional<Subscription> SnsStore::find_subscription(const std::string& account_id,
                                                        const std::string& region,
                                                        const std::string& arn) {
    auto q = db_.query("SELECT " AWSEMU_SNS_SUBSCRIPTION_COLUMNS
                       " FROM sns_subscriptions WHERE account_id = ? AND region = ? AND arn = ?",
                       account_id, region, arn);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_subscription(q);
}

std::optional<Subscription> SnsStore::find_subscription(const Topic& topic,
                                                        const std::string& protocol,
                                                        const std::string& endpoint) {
    auto q = db_.query("SELECT " AWSEMU_SNS_SUBSCRIPTION_COLUMNS
                       " FROM sns_subscriptions WHERE account_id = ? AND region = ? AND "
                       "topic_arn = ? AND protocol = ? AND endpoint = ?",
                       topic.account_id, topic.region, topic.arn(), protocol, endpoint);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_subscription(q);
}

std::optional<Subscription> SnsStore::find_pending_by_token(const Topic& topic,
                                                            const std::string& token) {
    auto q = db_.query("SELECT " AWSEMU_SNS_SUBSCRIPTION_COLUMNS
                       " FROM sns_subscriptions WHERE account_id = ? AND region = ? AND "
                       "topic_arn = ? AND token = ?",
                       topic.account_id, topic.region, topic.arn(), token);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_subscription(q);
}

void SnsStore::insert_subscription(const Subscription& s) {
    db_.execute("INSERT INTO sns_subscriptions (" AWSEMU_SNS_SUBSCRIPTION_COLUMNS
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.account_id, s.region, s.arn, s.topic_arn, s.protocol, s.endpoint, s.owner,
                attributes_text(s.attributes), s.confirmed, s.token);
}

void SnsStore::update_subscription(const Subscription& s) {
    db_.execute(
        "UPDATE sns_subscriptions SET attributes = ?, confirmed = ?, token = ? "
        "WHERE account_id = ? AND region = ? AND arn = ?",
        attributes_text(s.attributes), s.confirmed, s.token, s.account_id, s.region, s.arn);
}

void SnsStore::delete_subscription(const Subscription& s) {
    db_.execute("DELETE FROM sns_subscriptions WHERE account_id = ? AND region = ? AND arn = ?",
                s.account_id, s.region, s.arn);
}

std::vector<Subscription> SnsStore::subscriptions(const Scope& scope, const std::string* topic_arn,
                                                  const std::string& after_arn, int limit) {
    auto q = topic_arn != nullptr
                 ? db_.query("SELECT " AWSEMU_SNS_SUBSCRIPTION_COLUMNS
                             " FROM sns_subscriptions WHERE account_id = ? AND region = ? AND "
                             "topic_arn = ? AND arn > ? ORDER BY arn LIMIT ?",
                             scope.account_id, scope.region, *topic_arn, after_arn, limit)
                 : db_.query("SELECT " AWSEMU_SNS_SUBSCRIPTION_COLUMNS
                             " FROM sns_subscriptions WHERE account_id = ? AND region = ? AND "
                             "arn > ? ORDER BY arn LIMIT ?",
                             scope.account_id, scope.region, after_arn, limit);
    std::vector<Subscription> result;
    while (q.next()) {
        result.push_back(read_subscription(q));
    }
    return result;
}

std::vector<Subscription> SnsStore::confirmed_subscriptions(const Topic& topic) {
    auto q = db_.query("SELECT " AWSEMU_SNS_SUBSCRIPTION_COLUMNS
                       " FROM sns_subscriptions WHERE account_id = ? AND region = ? AND "
                       "topic_arn = ? AND confirmed = 1 ORDER BY arn",
                       topic.account_id, topic.region, topic.arn());
    std::vector<Subscription> result;
    while (q.next()) {
        result.push_back(read_subscription(q));
    }
    return result;
}

SubscriptionCounts SnsStore::subscription_counts(const Topic& topic) {
    auto q = db_.query(
        "SELECT COALESCE(SUM(confirmed), 0), COALESCE(SUM(1 - confirmed), 0) "
        "FROM sns_subscriptions WHERE account_id = ? AND region = ? AND topic_arn = ?",
        topic.account_id, topic.region, topic.arn());
    q.next();
    return {static_cast<int>(q.integer(0)), static_cast<int>(q.integer(1))};
}

std::optional<std::string> SnsStore::duplicate_of(const Topic& topic, const std::string& dedup_id,
                                                  std::int64_t now_ms) {
    auto q = db_.query(
        "SELECT message_id FROM sns_deduplication WHERE account_id = ? AND region = ? AND "
        "topic_name = ? AND dedup_id = ? AND expires_ms > ?",
        topic.account_id, topic.region, topic.name, dedup_id, now_ms);
    if (!q.next()) {
        return std::nullopt;
    }
    return q.text(0);
}

void SnsStore::remember_deduplication(const Topic& topic, const std::string& dedup_id,
                                      const std::string& message_id, std::int64_t now_ms) {
    db_.execute(
        "DELETE FROM sns_deduplication WHERE account_id = ? AND region = ? AND topic_name = ? "
        "AND expires_ms <= ?",
        topic.account_id, topic.region, topic.name, now_ms);
    db_.execute(
        "INSERT OR REPLACE INTO sns_deduplication "
        "(account_id, region, topic_name, dedup_id, message_id, expires_ms) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        topic.account_id, topic.region, topic.name, dedup_id, message_id,
        now_ms + kDeduplicationWindowMs);
}

std::int64_t SnsStore::next_sequence_number(const Topic& topic) {
    db_.execute(
        "UPDATE sns_topics SET sequence = sequence + 1 "
        "WHERE account_id = ? AND region = ? AND name = ?",
        topic.account_id, topic.region, topic.name);
    auto q = db_.query(
        "SELECT sequence FROM sns_topics WHERE account_id = ? AND region = ? AND name = ?",
        topic.account_id, topic.region, topic.name);
    q.next();
    return q.integer(0);
}

void SnsStore::enqueue_delivery(const PendingDelivery& d) {
    db_.execute(
        "INSERT INTO sns_outbox (account_id, region, subscription_arn, endpoint, message_type, "
        "message_id, topic_arn, body, attempts, due_ms, expires_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        d.account_id, d.region, d.subscription_arn, d.endpoint, d.message_type, d.message_id,
        d.topic_arn, d.body, d.attempts, d.due_ms, d.expires_ms);
}

std::vector<WaitingSubscription> SnsStore::waiting_subscriptions() {
    // A skip scan of sns_outbox_by_subscription: from one subscription to the next and to its
    // earliest due delivery, each an index seek, however long each one's backlog.
    auto q = db_.query(
        "WITH RECURSIVE waiting (arn) AS ("
        " SELECT MIN(subscription_arn) FROM sns_outbox WHERE in_flight = 0"
        " UNION ALL"
        " SELECT (SELECT MIN(subscription_arn) FROM sns_outbox"
        "         WHERE in_flight = 0 AND subscription_arn > waiting.arn)"
        " FROM waiting WHERE waiting.arn IS NOT NULL) "
        "SELECT arn, (SELECT MIN(due_ms) FROM sns_outbox"
        "             WHERE in_flight = 0 AND subscription_arn = waiting.arn) "
        "FROM waiting WHERE arn IS NOT NULL");
    std::vector<WaitingSubscription> result;
    while (q.next()) {
        result.push_back({q.text(0), q.integer(1)});
    }
    return result;
}

std::vector<PendingDelivery> SnsStore::due_deliveries(const std::string& subscription_arn,
                                                      std::int64_t now_ms, int limit) {
    auto q = db_.query("SELECT " AWSEMU_SNS_OUTBOX_COLUMNS
                       " FROM sns_outbox WHERE in_flight = 0 AND subscription_arn = ? "
                       "AND due_ms <= ? ORDER BY due_ms, id LIMIT ?",
                       subscription_arn, now_ms, limit);
    return read_deliveries(q);
}

void SnsStore::mark_in_flight(std::int64_t id) {
    db_.execute("UPDATE sns_outbox SET in_flight = 1 WHERE id = ?", id);
}

void SnsStore::release_deliveries() {
    db_.execute("UPDATE sns_outbox SET in_flight = 0 WHERE in_flight = 1");
}

std::vector<PendingDelivery> SnsStore::expired_deliveries(std::int64_t now_ms, int limit) {
    auto q = db_.query("SELECT " AWSEMU_SNS_OUTBOX_COLUMNS
                       " FROM sns_outbox WHERE in_flight = 0 AND expires_ms <= ? "
                       "ORDER BY expires_ms LIMIT ?",
                       now_ms, limit);
    return read_deliveries(q);
}

std::optional<std::int64_t> SnsStore::earliest_expiry_ms() {
    auto q = db_.query("SELECT MIN(expires_ms) FROM sns_outbox WHERE in_flight = 0");
    q.next();
    return q.optional_integer(0);
}

void SnsStore::reschedule_delivery(std::int64_t id, int attempts, std::int64_t due_ms) {
    db_.execute("UPDATE sns_outbox SET attempts = ?, due_ms = ?, in_flight = 0 WHERE id = ?",
                attempts, due_ms, id);
}

void SnsStore::delete_delivery(std::int64_t id) {
    db_.execute("DELETE FROM sns_outbox WHERE id = ?", id);
}

std::optional<std::pair<std::string, std::string>> SnsStore::signing_key() {
    auto q = db_.query("SELECT key_pem, certificate_pem FROM sns_signing_keys ORDER BY id LIMIT 1");
    if (!q.next()) {
        return std::nullopt;
    }
    return std::make_pair(q.text(0), q.text(1));
}

void SnsStore::save_signing_key(const std::string& key_pem, const std::string& certificate_pem) {
    db_.execute("INSERT INTO sns_signing_keys (key_pem, certificate_pem) VALUES (?, ?)", key_pem,
                certificate_pem);
}

}  // namespace awsemu::sns
