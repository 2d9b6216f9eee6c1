#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "emulator/store/row_cache.hpp"
#include "services/sqs/sqs_model.hpp"

namespace awsemu::sqs {

class StandardMessages;

struct Queue {
    std::int64_t id = 0;
    std::string account_id;
    std::string region;
    std::string name;
    std::int64_t created_ms = 0;
    std::int64_t modified_ms = 0;
    std::optional<std::int64_t> purged_ms;
    std::string attributes_json;  // the stored attribute map, as set
    QueueSettings settings;

    std::string arn() const { return queue_arn(region, account_id, name); }
    AttributeMap attributes() const;
};

struct StoredMessage {
    std::int64_t seq = 0;
    std::int64_t queue_id = 0;
    std::string message_id;
    std::string body;
    std::string body_md5;
    std::string attributes;  // JSON as ReceiveMessage returns it; empty when none
    std::string system_attributes;
    std::int64_t sent_ms = 0;
    std::int64_t visible_ms = 0;
    std::int64_t expires_ms = 0;
    std::int64_t receive_count = 0;
    std::optional<std::int64_t> first_receive_ms;
    std::optional<std::int64_t> last_receive_ms;
    std::int64_t nonce = 0;
    std::optional<std::string> group_id;
    std::optional<std::string> dedup_id;
    std::string sender_id;
    std::optional<std::string> dead_letter_source_arn;
};

struct MessageCounts {
    std::int64_t visible = 0;
    std::int64_t not_visible = 0;  // in flight
    std::int64_t delayed = 0;
};

struct MoveTask {
    std::string task_handle;
    std::string account_id;
    std::string region;
    std::string source_arn;
    std::optional<std::string> destination_arn;
    std::optional<std::int64_t> max_per_second;
    std::string status;  // RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED
    std::int64_t moved = 0;
    std::int64_t to_move = 0;
    std::int64_t started_ms = 0;
    std::optional<std::string> failure_reason;
};

// All of SQS's SQL. Queues are keyed by (account, region, name); messages and the rest by the
// queue's row id, which that key owns, so that the hot paths bind one integer.
class SqsStore {
  public:
    // `message_log_path`: where standard queues' messages live (see StandardMessages); empty:
    // in memory (no state directory). FIFO queues' messages are rows.
    explicit SqsStore(Database& database, const std::string& message_log_path = {});
    ~SqsStore();
    SqsStore(const SqsStore&) = delete;
    SqsStore& operator=(const SqsStore&) = delete;

    std::optional<Queue> find_queue(std::string_view account_id, std::string_view region,
                                    std::string_view name);
    std::optional<Queue> find_queue_by_id(std::int64_t id);
    Queue create_queue(const Scope& scope, const std::string& name, const AttributeMap& attributes,
                       const std::map<std::string, std::string>& tags, std::int64_t now_ms);
    void update_attributes(std::int64_t queue_id, const AttributeMap& attributes,
                           std::int64_t now_ms);
    void delete_queue(std::int64_t queue_id);
    // Names in the scope that start with `prefix`, in name order, after `after`.
    std::vector<std::string> list_queue_names(const Scope& scope, const std::string& prefix,
                                              const std::string& after, int limit);
    std::vector<std::string> dead_letter_source_names(const Scope& scope,
                                                      const std::string& dlq_arn,
                                                      const std::string& after, int limit);
    std::map<std::string, std::string> tags(std::int64_t queue_id);
    void set_tags(std::int64_t queue_id, const std::map<std::string, std::string>& tags);
    void set_purged(std::int64_t queue_id, std::int64_t now_ms);

    // --- messages
    // A new message (its seq is given here, and answered), committed with the rest of the
    // transaction.
    std::int64_t insert_message(StoredMessage message);
    // Messages that may be received now, oldest first, not yet checked for retention or DLQ.
    std::vector<StoredMessage> ready_messages(std::int64_t queue_id, std::int64_t now_ms,
                                              int limit);
    // FIFO: the ready messages at the head of groups that have nothing in flight, in order.
    std::vector<StoredMessage> ready_fifo_messages(std::int64_t queue_id, std::int64_t now_ms,
                                                   int limit);
    std::optional<StoredMessage> find_message(std::int64_t queue_id, std::int64_t seq);
    void mark_received(const StoredMessage& message, std::int64_t visible_ms, std::int64_t nonce,
                       std::int64_t now_ms);
    void set_visible_at(std::int64_t queue_id, std::int64_t seq, std::int64_t visible_ms);
    bool delete_message(std::int64_t queue_id, std::int64_t seq);
    // Deletes the message only while `nonce` is its latest receive's.
    bool delete_received(std::int64_t queue_id, std::int64_t seq, std::int64_t nonce);
    // Moves a message to another queue as a new arrival there (DLQ redrive and move tasks).
    void move_message(std::int64_t queue_id, std::int64_t seq, std::int64_t to_queue_id,
                      std::int64_t now_ms, std::int64_t expires_ms,
                      const std::optional<std::string>& dead_letter_source_arn);
    int delete_expired(std::int64_t queue_id, std::int64_t now_ms);
    void purge_messages(std::int64_t queue_id);
    MessageCounts counts(std::int64_t queue_id, std::int64_t now_ms);
    std::optional<std::int64_t> next_visible_after(std::int64_t queue_id, std::int64_t now_ms);
    // The oldest messages of a queue regardless of visibility (move tasks take visible ones).
    std::int64_t count_messages(std::int64_t queue_id);

    // --- FIFO deduplication and receive attempts
    struct Deduplicated {
        std::string message_id;
        std::int64_t seq = 0;
    };
    std::optional<Deduplicated> find_duplicate(std::int64_t queue_id, const std::string& key,
                                               std::int64_t now_ms);
    void remember_deduplication(std::int64_t queue_id, const std::string& key,
                                const Deduplicated& message, std::int64_t expires_ms);
    std::optional<std::string> find_receive_attempt(std::int64_t queue_id,
                                                    const std::string& attempt_id,
                                                    std::int64_t now_ms);
    void remember_receive_attempt(std::int64_t queue_id, const std::string& attempt_id,
                                  const std::string& handles, std::int64_t expires_ms);

    // --- message move tasks
    void insert_move_task(const MoveTask& task);
    void update_move_task(const MoveTask& task);
    std::optional<MoveTask> find_move_task(const std::string& task_handle);
    std::vector<MoveTask> move_tasks_of(const Scope& scope, const std::string& source_arn,
                                        int limit);
    std::vector<MoveTask> running_move_tasks();

  private:
    void insert_row(const StoredMessage& message);

    Database& db_;
    std::int64_t last_seq_ = 0;
    std::unique_ptr<StandardMessages> standard_;
    // Queues by (account, region, name): every message operation names its queue by URL, and
    // reading the queue's row costs about as much as the rest of a SendMessage's SQL.
    RowCache<Queue> queues_;
};

}  // namespace awsemu::sqs
