#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "services/sqs/sqs_store.hpp"

// Where standard-queue SQS messages live: a file of records, each a message or something that
// happened to one (received, made visible, deleted, moved) or to a queue (purged). Appending a
// record costs a fraction of a row's insert; one write() per event-loop turn, before the turn's
// COMMIT, makes the turn's changes survive a kill -9 as a commit would. StandardMessages keeps
// the index in memory and reads a message's fields back from its record when they are asked for.
//
// A record is its length and then its kind and fields. A record cut short at the end of the
// file (a write that failed half-way) never happened: its sender got an error.
namespace awsemu::sqs {

// What changed for a message (every kind but `message` and `purged`); the fields each kind uses.
struct MessageChange {
    enum class Kind : std::uint8_t {
        message = 1,   // a new message: the whole StoredMessage
        received = 2,  // visible_ms, nonce, receive_count, first/last_receive_ms
        visible = 3,   // visible_ms
        deleted = 4,
        moved = 5,   // queue_id, visible_ms, expires_ms, dead_letter_source_arn; counts reset
        purged = 6,  // queue_id: every message of it
    };
    Kind kind = Kind::deleted;
    StoredMessage message;  // seq (queue_id for purged) and the fields the kind uses
};

class MessageLog {
  public:
    // Opens (or creates) the log at `path`; empty: an anonymous file in memory, for a server
    // without a state directory. Throws StoreError when it cannot.
    explicit MessageLog(std::string path);
    ~MessageLog();
    MessageLog(const MessageLog&) = delete;
    MessageLog& operator=(const MessageLog&) = delete;

    // Calls `visit` with every record the file holds, in order, where it is (for read()) and
    // its size.
    // A record cut short at the end (a kill during a write) is cut off the file, so that what
    // is written next follows the last whole record.
    void replay(const std::function<void(const MessageChange&, std::uint64_t offset,
                                         std::uint32_t size)>& visit);
    // Adds a record to what the next write() writes; answers where it will be and its size.
    std::pair<std::uint64_t, std::uint32_t> append_message(const StoredMessage& message);
    void append_change(const MessageChange& change);
    // The message whose record append_message() put at `offset`, as it was appended.
    StoredMessage read(std::uint64_t offset) const;

    // How much was appended since the last write: a mark for drop_unwritten_from().
    std::size_t unwritten_size() const { return unwritten_.size(); }
    // Drops what was appended after `mark` (a savepoint rolled back), unless written already.
    void drop_unwritten_from(std::size_t mark);
    // Writes what was appended since the last write after what the file holds. Throws
    // StoreError; what was appended is then dropped, and the file keeps only what it held.
    void write();
    // The file's size: a mark for cut_to().
    std::uint64_t size() const { return end_; }
    // Cuts what was written after `mark` off the file (its commit failed). Best effort: its
    // senders got an error, which in SQS means the message may or may not have been sent.
    void cut_to(std::uint64_t mark);
    // Replaces the file's records with `messages` (each as a message record carrying its
    // state), written to a new file that takes the old one's place; answers each one's new
    // offset, in order. Nothing may be unwritten. Throws StoreError and keeps the old file.
    std::vector<std::uint64_t> rewrite(const std::vector<StoredMessage>& messages);

  private:
    std::string path_;
    int fd_ = -1;
    std::uint64_t end_ = 0;  // where the next record goes: the end of the last whole one
    std::string unwritten_;
};

}  // namespace awsemu::sqs
