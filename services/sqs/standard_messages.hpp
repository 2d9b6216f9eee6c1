#pragma once

#include <climits>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "services/sqs/message_log.hpp"
#include "services/sqs/sqs_store.hpp"

// The messages of standard queues, kept out of SQLite: a SendMessage on a standard queue is
// the hot path of most SQS users, and a row's insert (two B-trees, fourteen columns) cost as
// much as the rest of the request. Here a message is a record appended to the MessageLog and an
// entry in an index in memory (about 200 bytes a message); what happens to it later (a
// receive, a visibility change, a delete, a move) is a record too, and a restart replays them.
// FIFO queues keep their messages in rows: their reads need SQL (groups, deduplication).
//
// Every change is undone when the transaction (or savepoint) it was made in rolls back, as a
// row would be, and written to the log just before the transaction's COMMIT, so that what a
// request was answered survives a kill. Once most of the log is dead records, it is rewritten
// with the live messages alone.
namespace awsemu::sqs {

class StandardMessages {
  public:
    // `log_path`: the MessageLog's file; empty: in memory (no state directory).
    StandardMessages(Database& database, const std::string& log_path);
    ~StandardMessages();
    StandardMessages(const StandardMessages&) = delete;
    StandardMessages& operator=(const StandardMessages&) = delete;

    // The highest seq the log holds (0: none), for the store's next seq.
    std::int64_t last_seq() const { return last_seq_; }
    // Makes `queue_ids` the queues whose messages live here, dropping the messages of any
    // other (a queue deleted while its log records were not yet written).
    void keep_queues(const std::vector<std::int64_t>& queue_ids);
    // A standard queue created (or deleted, with its messages) in the open transaction.
    void add_queue(std::int64_t queue_id);
    void remove_queue(std::int64_t queue_id);
    bool holds(std::int64_t queue_id) const { return queues_.contains(queue_id); }

    void insert(const StoredMessage& message);  // its seq given
    // Oldest visible first, as SqsStore's methods of the same names.
    std::vector<StoredMessage> ready(std::int64_t queue_id, std::int64_t now_ms, int limit);
    std::optional<StoredMessage> find(std::int64_t queue_id, std::int64_t seq);
    void mark_received(std::int64_t queue_id, std::int64_t seq, std::int64_t visible_ms,
                       std::int64_t nonce, std::int64_t now_ms);
    void set_visible_at(std::int64_t queue_id, std::int64_t seq, std::int64_t visible_ms);
    // Deletes the message (only while `nonce` is its latest receive's, when given).
    bool erase(std::int64_t queue_id, std::int64_t seq, std::optional<std::int64_t> nonce = {});
    // Moves a message to another queue held here, as a new arrival there.
    void move(std::int64_t queue_id, std::int64_t seq, std::int64_t to_queue_id,
              std::int64_t visible_ms, std::int64_t expires_ms,
              const std::optional<std::string>& dead_letter_source_arn);
    int erase_expired(std::int64_t queue_id, std::int64_t now_ms);
    void purge(std::int64_t queue_id);
    MessageCounts counts(std::int64_t queue_id, std::int64_t now_ms) const;
    std::optional<std::int64_t> next_visible_after(std::int64_t queue_id,
                                                   std::int64_t now_ms) const;
    std::int64_t count(std::int64_t queue_id) const;

  private:
    // What the index keeps of a message, in 64 bytes; the rest is read from its record.
    static constexpr std::int64_t kNever = INT64_MIN;  // first/last receive of an unreceived one
    struct Entry {
        std::uint64_t offset = 0;
        std::uint32_t record_size = 0;
        std::int32_t receive_count = 0;
        std::int64_t visible_ms = 0;
        std::int64_t expires_ms = 0;
        std::int64_t first_receive_ms = kNever;
        std::int64_t last_receive_ms = kNever;
        std::int64_t nonce = 0;
        std::uint32_t dead_letter_source = 0;  // 1 + its index in dead_letter_sources_; 0: none
    };
    struct Queue {
        std::unordered_map<std::int64_t, Entry> by_seq;
        std::set<std::pair<std::int64_t, std::int64_t>> by_visibility;  // (visible_ms, seq)
    };

    Queue& queue(std::int64_t queue_id);
    const Queue* find_queue(std::int64_t queue_id) const;
    const Entry* entry_of(std::int64_t queue_id, std::int64_t seq) const;
    StoredMessage message_of(std::int64_t queue_id, std::int64_t seq, const Entry& entry) const;
    // The entry of a message whose state is `m`'s, and whose record is at `offset`.
    Entry make_entry(const StoredMessage& m, std::uint64_t offset, std::uint32_t record_size);
    std::uint32_t dead_letter_source_id(const std::optional<std::string>& arn);
    // Index changes, without records or undo: replay and undo use these too.
    void put(std::int64_t queue_id, std::int64_t seq, Entry entry);
    void drop(std::int64_t queue_id, std::int64_t seq);
    // Replays one record; `queue_of` tells the queue of each message replayed so far.
    void apply(const MessageChange& change, std::uint64_t offset, std::uint32_t size,
               std::unordered_map<std::int64_t, std::int64_t>& queue_of);
    // Appends `change` to the log, and sets the message's entry to `after` (nullopt: gone),
    // each undone with the open savepoint.
    void record(const MessageChange& change);
    void change(std::int64_t queue_id, std::int64_t seq, std::optional<Entry> after);
    void before_commit();
    void rewrite_if_mostly_dead();
    void reset();

    Database& db_;
    MessageLog log_;
    std::unordered_map<std::int64_t, Queue> queues_;
    // The source queues' ARNs of moved messages (a few), kept once each.
    std::vector<std::string> dead_letter_sources_;
    std::int64_t last_seq_ = 0;
    std::uint64_t live_bytes_ = 0;        // the size of the live messages' records
    std::uint64_t retry_rewrite_at_ = 0;  // after a failed rewrite: the log's size to try again at
    std::shared_ptr<void> before_commits_;
    std::shared_ptr<void> before_resets_;
};

}  // namespace awsemu::sqs
