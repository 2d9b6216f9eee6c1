#include "services/sqs/sqs_store.hpp"

#include <nlohmann/json.hpp>

#include "services/sqs/standard_messages.hpp"

namespace awsemu::sqs {
namespace {

const std::vector<std::string> kMigrations = {
    R"(
    CREATE TABLE sqs_queues (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        created_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL,
        purged_ms INTEGER,
        -- The attributes the message operations read, so that they need not parse the JSON.
        visibility_timeout INTEGER NOT NULL,
        delay_seconds INTEGER NOT NULL,
        maximum_message_size INTEGER NOT NULL,
        message_retention_period INTEGER NOT NULL,
        receive_wait_time INTEGER NOT NULL,
        fifo INTEGER NOT NULL,
        content_based_deduplication INTEGER NOT NULL,
        deduplication_per_group INTEGER NOT NULL,
        dead_letter_target_arn TEXT,
        max_receive_count INTEGER,
        UNIQUE (account_id, region, name)
    );
    CREATE INDEX sqs_queues_by_dead_letter_target
        ON sqs_queues (account_id, region, dead_letter_target_arn);
    CREATE TABLE sqs_messages (
        seq INTEGER PRIMARY KEY,
        queue_id INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        body TEXT NOT NULL,
        body_md5 TEXT NOT NULL,
        attributes TEXT NOT NULL,
        system_attributes TEXT NOT NULL,
        sent_ms INTEGER NOT NULL,
        visible_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        first_receive_ms INTEGER,
        last_receive_ms INTEGER,
        nonce INTEGER NOT NULL DEFAULT 0,
        group_id TEXT,
        dedup_id TEXT,
        sender_id TEXT NOT NULL,
        dead_letter_source_arn TEXT
    );
    CREATE INDEX sqs_messages_by_visibility ON sqs_messages (queue_id, visible_ms);
    CREATE INDEX sqs_messages_by_group ON sqs_messages (queue_id, group_id, seq)
        WHERE group_id IS NOT NULL;
    CREATE TABLE sqs_deduplication (
        queue_id INTEGER NOT NULL,
        dedup_key TEXT NOT NULL,
        message_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL,
        PRIMARY KEY (queue_id, dedup_key)
    ) WITHOUT ROWID;
    CREATE TABLE sqs_receive_attempts (
        queue_id INTEGER NOT NULL,
        attempt_id TEXT NOT NULL,
        handles TEXT NOT NULL,
        expires_ms INTEGER NOT NULL,
        PRIMARY KEY (queue_id, attempt_id)
    ) WITHOUT ROWID;
    CREATE TABLE sqs_move_tasks (
        task_handle TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        source_arn TEXT NOT NULL,
        destination_arn TEXT,
        max_per_second INTEGER,
        status TEXT NOT NULL,
        moved INTEGER NOT NULL,
        to_move INTEGER NOT NULL,
        started_ms INTEGER NOT NULL,
        failure_reason TEXT
    ) WITHOUT ROWID;
    CREATE INDEX sqs_move_tasks_by_source ON sqs_move_tasks (account_id, region, source_arn);
    )",
    R"(
    -- The last seq of the journal's messages made rows: what is after it in the journal is not
    -- a row yet (see MessageJournal).
    CREATE TABLE sqs_journal (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        rows_through INTEGER NOT NULL
    );
    )",
    R"(
    -- Standard queues' messages live in the message log now (see StandardMessages).
    DROP TABLE sqs_journal;
    )"};

#define AWSEMU_SQS_QUEUE_COLUMNS                                                          \
    "id, account_id, region, name, created_ms, modified_ms, purged_ms, attributes, "      \
    "visibility_timeout, delay_seconds, maximum_message_size, message_retention_period, " \
    "receive_wait_time, fifo, content_based_deduplication, deduplication_per_group, "     \
    "dead_letter_target_arn, max_receive_count"

Queue read_queue(const Query& q) {
    Queue queue;
    queue.id = q.integer(0);
    queue.account_id = q.text(1);
    queue.region = q.text(2);
    queue.name = q.text(3);
    queue.created_ms = q.integer(4);
    queue.modified_ms = q.integer(5);
    queue.purged_ms = q.optional_integer(6);
    queue.attributes_json = q.text(7);
    QueueSettings& s = queue.settings;
    s.visibility_timeout = static_cast<int>(q.integer(8));
    s.delay_seconds = static_cast<int>(q.integer(9));
    s.maximum_message_size = q.integer(10);
    s.message_retention_period = static_cast<int>(q.integer(11));
    s.receive_wait_time = static_cast<int>(q.integer(12));
    s.fifo = q.integer(13) != 0;
    s.content_based_deduplication = q.integer(14) != 0;
    s.deduplication_per_group = q.integer(15) != 0;
    if (const auto target = q.optional_text(16)) {
        s.redrive = RedrivePolicy{*target, static_cast<int>(q.optional_integer(17).value_or(1))};
    }
    return queue;
}

// Binds the settings columns, in AWSEMU_SQS_QUEUE_COLUMNS order, from `first` on.
void bind_settings(Query& q, int first, const QueueSettings& s) {
    q.bind(first, s.visibility_timeout)
        .bind(first + 1, s.delay_seconds)
        .bind(first + 2, s.maximum_message_size)
        .bind(first + 3, s.message_retention_period)
        .bind(first + 4, s.receive_wait_time)
        .bind(first + 5, s.fifo)
        .bind(first + 6, s.content_based_deduplication)
        .bind(first + 7, s.deduplication_per_group);
    if (s.redrive) {
        q.bind(first + 8, s.redrive->dead_letter_target_arn)
            .bind(first + 9, s.redrive->max_receive_count);
    } else {
        q.bind(first + 8, std::nullopt).bind(first + 9, std::nullopt);
    }
}

#define AWSEMU_SQS_MESSAGE_COLUMNS                                                                \
    "seq, queue_id, message_id, body, body_md5, attributes, system_attributes, sent_ms, "         \
    "visible_ms, expires_ms, receive_count, first_receive_ms, last_receive_ms, nonce, group_id, " \
    "dedup_id, sender_id, dead_letter_source_arn"

StoredMessage read_message(const Query& q) {
    StoredMessage m;
    m.seq = q.integer(0);
    m.queue_id = q.integer(1);
    m.message_id = q.text(2);
    m.body = q.text(3);
    m.body_md5 = q.text(4);
    m.attributes = q.text(5);
    m.system_attributes = q.text(6);
    m.sent_ms = q.integer(7);
    m.visible_ms = q.integer(8);
    m.expires_ms = q.integer(9);
    m.receive_count = q.integer(10);
    m.first_receive_ms = q.optional_integer(11);
    m.last_receive_ms = q.optional_integer(12);
    m.nonce = q.integer(13);
    m.group_id = q.optional_text(14);
    m.dedup_id = q.optional_text(15);
    m.sender_id = q.text(16);
    m.dead_letter_source_arn = q.optional_text(17);
    return m;
}

std::vector<StoredMessage> read_messages(Query q) {
    std::vector<StoredMessage> messages;
    while (q.next()) {
        messages.push_back(read_message(q));
    }
    return messages;
}

MoveTask read_move_task(const Query& q) {
    MoveTask task;
    task.task_handle = q.text(0);
    task.account_id = q.text(1);
    task.region = q.text(2);
    task.source_arn = q.text(3);
    task.destination_arn = q.optional_text(4);
    task.max_per_second = q.optional_integer(5);
    task.status = q.text(6);
    task.moved = q.integer(7);
    task.to_move = q.integer(8);
    task.started_ms = q.integer(9);
    task.failure_reason = q.optional_text(10);
    return task;
}

std::string string_map_json(const std::map<std::string, std::string>& map) {
    return nlohmann::json(map).dump();
}

std::map<std::string, std::string> string_map_of(const std::string& text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    std::map<std::string, std::string> map;
    if (json.is_object()) {
        for (const auto& [key, value] : json.items()) {
            map[key] = value.is_string() ? value.get<std::string>() : value.dump();
        }
    }
    return map;
}

}  // namespace

AttributeMap Queue::attributes() const {
    return string_map_of(attributes_json);
}

SqsStore::SqsStore(Database& database, const std::string& message_log_path)
    : db_(database),
      standard_(std::make_unique<StandardMessages>(database, message_log_path)),
      queues_(database) {
    auto transaction = db_.transaction();
    db_.migrate("sqs", kMigrations);
    std::vector<std::int64_t> standard_queues;
    for (auto q = db_.query("SELECT id FROM sqs_queues WHERE fifo = 0"); q.next();) {
        standard_queues.push_back(q.integer(0));
    }
    standard_->keep_queues(standard_queues);
    // Standard queues' messages that an earlier version kept in rows move to the log.
    const auto rows = read_messages(
        db_.query("SELECT " AWSEMU_SQS_MESSAGE_COLUMNS " FROM sqs_messages WHERE queue_id IN "
                  "(SELECT id FROM sqs_queues WHERE fifo = 0) ORDER BY seq"));
    for (const StoredMessage& message : rows) {
        standard_->insert(message);
    }
    if (!rows.empty()) {
        db_.execute(
            "DELETE FROM sqs_messages WHERE queue_id IN (SELECT id FROM sqs_queues WHERE fifo = "
            "0)");
    }
    auto q = db_.query("SELECT coalesce(max(seq), 0) FROM sqs_messages");
    q.next();
    last_seq_ = std::max(q.integer(0), standard_->last_seq());
    transaction.commit();
}

SqsStore::~SqsStore() = default;

std::optional<Queue> SqsStore::find_queue(std::string_view account_id, std::string_view region,
                                          std::string_view name) {
    const std::string cache_key = RowCache<Queue>::key(account_id, region, name);
    if (const Queue* cached = queues_.find(cache_key)) {
        return *cached;
    }
    auto q = db_.query("SELECT " AWSEMU_SQS_QUEUE_COLUMNS
                       " FROM sqs_queues WHERE account_id = ? AND region = ? AND name = ?",
                       account_id, region, name);
    if (!q.next()) {
        return std::nullopt;
    }
    Queue queue = read_queue(q);
    queues_.remember(cache_key, queue);
    return queue;
}

std::optional<Queue> SqsStore::find_queue_by_id(std::int64_t id) {
    auto q = db_.query("SELECT " AWSEMU_SQS_QUEUE_COLUMNS " FROM sqs_queues WHERE id = ?", id);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_queue(q);
}

Queue SqsStore::create_queue(const Scope& scope, const std::string& name,
                             const AttributeMap& attributes,
                             const std::map<std::string, std::string>& tags, std::int64_t now_ms) {
    auto q = db_.query(
        "INSERT INTO sqs_queues (account_id, region, name, attributes, tags, created_ms, "
        "modified_ms, visibility_timeout, delay_seconds, maximum_message_size, "
        "message_retention_period, receive_wait_time, fifo, content_based_deduplication, "
        "deduplication_per_group, dead_letter_target_arn, max_receive_count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        scope.account_id, scope.region, name, string_map_json(attributes), string_map_json(tags),
        now_ms, now_ms);
    const QueueSettings settings = settings_of(attributes);
    bind_settings(q, 8, settings);
    q.next();
    queues_.clear();
    Queue created = *find_queue(scope.account_id, scope.region, name);
    if (!settings.fifo) {
        standard_->add_queue(created.id);
    }
    return created;
}

void SqsStore::update_attributes(std::int64_t queue_id, const AttributeMap& attributes,
                                 std::int64_t now_ms) {
    auto q = db_.query(
        "UPDATE sqs_queues SET attributes = ?, modified_ms = ?, visibility_timeout = ?, "
        "delay_seconds = ?, maximum_message_size = ?, message_retention_period = ?, "
        "receive_wait_time = ?, fifo = ?, content_based_deduplication = ?, "
        "deduplication_per_group = ?, dead_letter_target_arn = ?, max_receive_count = ? "
        "WHERE id = ?",
        string_map_json(attributes), now_ms);
    bind_settings(q, 3, settings_of(attributes));
    q.bind(13, queue_id);
    q.next();
    queues_.clear();
}

void SqsStore::delete_queue(std::int64_t queue_id) {
    standard_->remove_queue(queue_id);
    db_.execute("DELETE FROM sqs_messages WHERE queue_id = ?", queue_id);
    db_.execute("DELETE FROM sqs_deduplication WHERE queue_id = ?", queue_id);
    db_.execute("DELETE FROM sqs_receive_attempts WHERE queue_id = ?", queue_id);
    db_.execute("DELETE FROM sqs_queues WHERE id = ?", queue_id);
    queues_.clear();
}

std::vector<std::string> SqsStore::list_queue_names(const Scope& scope, const std::string& prefix,
                                                    const std::string& after, int limit) {
    auto q = db_.query(
        "SELECT name FROM sqs_queues WHERE account_id = ? AND region = ? AND name > ? "
        "AND substr(name, 1, length(?)) = ? ORDER BY name LIMIT ?",
        scope.account_id, scope.region, after, prefix, prefix, limit);
    std::vector<std::string> names;
    while (q.next()) {
        names.push_back(q.text(0));
    }
    return names;
}

std::vector<std::string> SqsStore::dead_letter_source_names(const Scope& scope,
                                                            const std::string& dlq_arn,
                                                            const std::string& after, int limit) {
    auto q = db_.query(
        "SELECT name FROM sqs_queues WHERE account_id = ? AND region = ? "
        "AND dead_letter_target_arn = ? AND name > ? ORDER BY name LIMIT ?",
        scope.account_id, scope.region, dlq_arn, after, limit);
    std::vector<std::string> names;
    while (q.next()) {
        names.push_back(q.text(0));
    }
    return names;
}

std::map<std::string, std::string> SqsStore::tags(std::int64_t queue_id) {
    auto q = db_.query("SELECT tags FROM sqs_queues WHERE id = ?", queue_id);
    return q.next() ? string_map_of(q.text(0)) : std::map<std::string, std::string>{};
}

void SqsStore::set_tags(std::int64_t queue_id, const std::map<std::string, std::string>& tags) {
    db_.execute("UPDATE sqs_queues SET tags = ? WHERE id = ?", string_map_json(tags), queue_id);
    queues_.clear();  // tags are not part of Queue, but one rule for every write is simpler
}

void SqsStore::set_purged(std::int64_t queue_id, std::int64_t now_ms) {
    db_.execute("UPDATE sqs_queues SET purged_ms = ? WHERE id = ?", now_ms, queue_id);
    queues_.clear();
}

void SqsStore::insert_row(const StoredMessage& m) {
    db_.execute(
        "INSERT INTO sqs_messages (seq, queue_id, message_id, body, body_md5, attributes, "
        "system_attributes, sent_ms, visible_ms, expires_ms, group_id, dedup_id, sender_id, "
        "dead_letter_source_arn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        m.seq, m.queue_id, m.message_id, m.body, m.body_md5, m.attributes, m.system_attributes,
        m.sent_ms, m.visible_ms, m.expires_ms, m.group_id, m.dedup_id, m.sender_id,
        m.dead_letter_source_arn);
}

std::int64_t SqsStore::insert_message(StoredMessage message) {
    message.seq = ++last_seq_;
    if (standard_->holds(message.queue_id)) {
        standard_->insert(message);
    } else {
        insert_row(message);
    }
    return message.seq;
}

std::vector<StoredMessage> SqsStore::ready_messages(std::int64_t queue_id, std::int64_t now_ms,
                                                    int limit) {
    if (standard_->holds(queue_id)) {
        return standard_->ready(queue_id, now_ms, limit);
    }
    return read_messages(db_.query("SELECT " AWSEMU_SQS_MESSAGE_COLUMNS
                                   " FROM sqs_messages WHERE queue_id = ? AND visible_ms <= ? "
                                   "ORDER BY visible_ms LIMIT ?",
                                   queue_id, now_ms, limit));
}

std::vector<StoredMessage> SqsStore::ready_fifo_messages(std::int64_t queue_id, std::int64_t now_ms,
                                                         int limit) {
    // A message is ready when no message of its group is in flight (received and still
    // invisible, whatever its place: a message made visible again before a later one of its
    // group was deleted waits for it) and nothing sent before it in its group is invisible
    // (delayed): that keeps each group in order and blocks it while one of its messages is out.
    return read_messages(
        db_.query("SELECT " AWSEMU_SQS_MESSAGE_COLUMNS
                  " FROM sqs_messages AS m WHERE m.queue_id = ?1 AND m.visible_ms <= ?2 "
                  "AND NOT EXISTS (SELECT 1 FROM sqs_messages AS e WHERE e.queue_id = ?1 "
                  "AND e.group_id = m.group_id AND e.visible_ms > ?2 "
                  "AND (e.seq < m.seq OR e.receive_count > 0)) "
                  "ORDER BY m.seq LIMIT ?3",
                  queue_id, now_ms, limit));
}

std::optional<StoredMessage> SqsStore::find_message(std::int64_t queue_id, std::int64_t seq) {
    if (standard_->holds(queue_id)) {
        return standard_->find(queue_id, seq);
    }
    auto q = db_.query("SELECT " AWSEMU_SQS_MESSAGE_COLUMNS
                       " FROM sqs_messages WHERE seq = ? AND queue_id = ?",
                       seq, queue_id);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_message(q);
}

void SqsStore::mark_received(const StoredMessage& message, std::int64_t visible_ms,
                             std::int64_t nonce, std::int64_t now_ms) {
    if (standard_->holds(message.queue_id)) {
        standard_->mark_received(message.queue_id, message.seq, visible_ms, nonce, now_ms);
        return;
    }
    db_.execute(
        "UPDATE sqs_messages SET visible_ms = ?, nonce = ?, receive_count = receive_count + 1, "
        "first_receive_ms = coalesce(first_receive_ms, ?), last_receive_ms = ? WHERE seq = ?",
        visible_ms, nonce, now_ms, now_ms, message.seq);
}

void SqsStore::set_visible_at(std::int64_t queue_id, std::int64_t seq, std::int64_t visible_ms) {
    if (standard_->holds(queue_id)) {
        standard_->set_visible_at(queue_id, seq, visible_ms);
        return;
    }
    db_.execute("UPDATE sqs_messages SET visible_ms = ? WHERE seq = ?", visible_ms, seq);
}

bool SqsStore::delete_message(std::int64_t queue_id, std::int64_t seq) {
    if (standard_->holds(queue_id)) {
        return standard_->erase(queue_id, seq);
    }
    return db_.execute("DELETE FROM sqs_messages WHERE seq = ? AND queue_id = ?", seq, queue_id) >
           0;
}

bool SqsStore::delete_received(std::int64_t queue_id, std::int64_t seq, std::int64_t nonce) {
    if (standard_->holds(queue_id)) {
        return standard_->erase(queue_id, seq, nonce);
    }
    return db_.execute("DELETE FROM sqs_messages WHERE seq = ? AND queue_id = ? AND nonce = ?", seq,
                       queue_id, nonce) > 0;
}

void SqsStore::move_message(std::int64_t queue_id, std::int64_t seq, std::int64_t to_queue_id,
                            std::int64_t now_ms, std::int64_t expires_ms,
                            const std::optional<std::string>& dead_letter_source_arn) {
    const bool from_standard = standard_->holds(queue_id);
    const bool to_standard = standard_->holds(to_queue_id);
    if (from_standard && to_standard) {
        standard_->move(queue_id, seq, to_queue_id, now_ms, expires_ms, dead_letter_source_arn);
        return;
    }
    if (!from_standard && !to_standard) {
        db_.execute(
            "UPDATE sqs_messages SET queue_id = ?, visible_ms = ?, expires_ms = ?, "
            "receive_count = 0, first_receive_ms = NULL, last_receive_ms = NULL, nonce = 0, "
            "dead_letter_source_arn = ? WHERE seq = ?",
            to_queue_id, now_ms, expires_ms, dead_letter_source_arn, seq);
        return;
    }
    // Between a standard and a FIFO queue (AWS refuses such a dead-letter queue; we move it).
    auto message = find_message(queue_id, seq);
    if (!message || !delete_message(queue_id, seq)) {
        return;
    }
    StoredMessage moved = std::move(*message);
    moved.queue_id = to_queue_id;
    moved.visible_ms = now_ms;
    moved.expires_ms = expires_ms;
    moved.receive_count = 0;
    moved.first_receive_ms.reset();
    moved.last_receive_ms.reset();
    moved.nonce = 0;
    moved.dead_letter_source_arn = dead_letter_source_arn;
    if (to_standard) {
        standard_->insert(moved);
    } else {
        insert_row(moved);
    }
}

int SqsStore::delete_expired(std::int64_t queue_id, std::int64_t now_ms) {
    if (standard_->holds(queue_id)) {
        return standard_->erase_expired(queue_id, now_ms);
    }
    return db_.execute("DELETE FROM sqs_messages WHERE queue_id = ? AND expires_ms <= ?", queue_id,
                       now_ms);
}

void SqsStore::purge_messages(std::int64_t queue_id) {
    if (standard_->holds(queue_id)) {
        standard_->purge(queue_id);
        return;
    }
    db_.execute("DELETE FROM sqs_messages WHERE queue_id = ?", queue_id);
}

MessageCounts SqsStore::counts(std::int64_t queue_id, std::int64_t now_ms) {
    if (standard_->holds(queue_id)) {
        return standard_->counts(queue_id, now_ms);
    }
    auto q = db_.query(
        "SELECT "
        "(SELECT COUNT(*) FROM sqs_messages WHERE queue_id = ?1 AND visible_ms <= ?2), "
        "(SELECT COUNT(*) FROM sqs_messages WHERE queue_id = ?1 AND visible_ms > ?2 "
        "AND receive_count > 0), "
        "(SELECT COUNT(*) FROM sqs_messages WHERE queue_id = ?1 AND visible_ms > ?2 "
        "AND receive_count = 0)",
        queue_id, now_ms);
    q.next();
    return {q.integer(0), q.integer(1), q.integer(2)};
}

std::optional<std::int64_t> SqsStore::next_visible_after(std::int64_t queue_id,
                                                         std::int64_t now_ms) {
    if (standard_->holds(queue_id)) {
        return standard_->next_visible_after(queue_id, now_ms);
    }
    auto q =
        db_.query("SELECT min(visible_ms) FROM sqs_messages WHERE queue_id = ? AND visible_ms > ?",
                  queue_id, now_ms);
    q.next();
    return q.optional_integer(0);
}

std::int64_t SqsStore::count_messages(std::int64_t queue_id) {
    if (standard_->holds(queue_id)) {
        return standard_->count(queue_id);
    }
    auto q = db_.query("SELECT COUNT(*) FROM sqs_messages WHERE queue_id = ?", queue_id);
    q.next();
    return q.integer(0);
}

std::optional<SqsStore::Deduplicated> SqsStore::find_duplicate(std::int64_t queue_id,
                                                               const std::string& key,
                                                               std::int64_t now_ms) {
    auto q = db_.query(
        "SELECT message_id, seq FROM sqs_deduplication WHERE queue_id = ? AND dedup_key = ? "
        "AND expires_ms > ?",
        queue_id, key, now_ms);
    if (!q.next()) {
        return std::nullopt;
    }
    return Deduplicated{q.text(0), q.integer(1)};
}

void SqsStore::remember_deduplication(std::int64_t queue_id, const std::string& key,
                                      const Deduplicated& message, std::int64_t expires_ms) {
    db_.execute("DELETE FROM sqs_deduplication WHERE queue_id = ? AND expires_ms <= ?", queue_id,
                expires_ms - kDeduplicationWindowMs);
    db_.execute(
        "INSERT OR REPLACE INTO sqs_deduplication (queue_id, dedup_key, message_id, seq, "
        "expires_ms) VALUES (?, ?, ?, ?, ?)",
        queue_id, key, message.message_id, message.seq, expires_ms);
}

std::optional<std::string> SqsStore::find_receive_attempt(std::int64_t queue_id,
                                                          const std::string& attempt_id,
                                                          std::int64_t now_ms) {
    auto q = db_.query(
        "SELECT handles FROM sqs_receive_attempts WHERE queue_id = ? AND attempt_id = ? "
        "AND expires_ms > ?",
        queue_id, attempt_id, now_ms);
    if (!q.next()) {
        return std::nullopt;
    }
    return q.text(0);
}

void SqsStore::remember_receive_attempt(std::int64_t queue_id, const std::string& attempt_id,
                                        const std::string& handles, std::int64_t expires_ms) {
    db_.execute("DELETE FROM sqs_receive_attempts WHERE queue_id = ? AND expires_ms <= ?", queue_id,
                expires_ms - kDeduplicationWindowMs);
    db_.execute(
        "INSERT OR REPLACE INTO sqs_receive_attempts (queue_id, attempt_id, handles, expires_ms) "
        "VALUES (?, ?, ?, ?)",
        queue_id, attempt_id, handles, expires_ms);
}

void SqsStore::insert_move_task(const MoveTask& t) {
    db_.execute(
        "INSERT INTO sqs_move_tasks (task_handle, account_id, region, source_arn, "
        "destination_arn, max_per_second, status, moved, to_move, started_ms, failure_reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.task_handle, t.account_id, t.region, t.source_arn, t.destination_arn, t.max_per_second,
        t.status, t.moved, t.to_move, t.started_ms, t.failure_reason);
}

void SqsStore::update_move_task(const MoveTask& t) {
    db_.execute(
        "UPDATE sqs_move_tasks SET status = ?, moved = ?, to_move = ?, failure_reason = ? "
        "WHERE task_handle = ?",
        t.status, t.moved, t.to_move, t.failure_reason, t.task_handle);
}

std::optional<MoveTask> SqsStore::find_move_task(const std::string& task_handle) {
    auto q = db_.query(
        "SELECT task_handle, account_id, region, source_arn, destination_arn, "
        "max_per_second, status, moved, to_move, started_ms, failure_reason "
        "FROM sqs_move_tasks WHERE task_handle = ?",
        task_handle);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_move_task(q);
}

std::vector<MoveTask> SqsStore::move_tasks_of(const Scope& scope, const std::string& source_arn,
                                              int limit) {
    auto q = db_.query(
        "SELECT task_handle, account_id, region, source_arn, destination_arn, "
        "max_per_second, status, moved, to_move, started_ms, failure_reason "
        "FROM sqs_move_tasks WHERE account_id = ? AND region = ? "
        "AND source_arn = ? ORDER BY started_ms DESC LIMIT ?",
        scope.account_id, scope.region, source_arn, limit);
    std::vector<MoveTask> tasks;
    while (q.next()) {
        tasks.push_back(read_move_task(q));
    }
    return tasks;
}

std::vector<MoveTask> SqsStore::running_move_tasks() {
    auto q = db_.query(
        "SELECT task_handle, account_id, region, source_arn, destination_arn, "
        "max_per_second, status, moved, to_move, started_ms, failure_reason "
        "FROM sqs_move_tasks WHERE status IN ('RUNNING', 'CANCELLING')");
    std::vector<MoveTask> tasks;
    while (q.next()) {
        tasks.push_back(read_move_task(q));
    }
    return tasks;
}

}  // namespace awsemu::sqs
