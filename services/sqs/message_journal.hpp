#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "services/sqs/sqs_store.hpp"

// SQS messages acknowledged but not yet rows: SendMessage on a standard queue appends its
// message here instead of inserting a row, and SqsStore inserts the rows in bulk later (see
// SqsStore's pending messages). One write() per event-loop turn makes a turn's messages survive
// a kill -9, as a commit would, at a fraction of a commit's cost.
//
// The file is a sequence of records, one per message, each its length and then its fields.
// A record cut short at the end of the file (a write that failed half-way) is not a message:
// its sender got an error.
namespace awsemu::sqs {

class MessageJournal {
  public:
    // Opens (or creates) the journal at `path`. Throws StoreError when it cannot.
    explicit MessageJournal(std::string path);
    ~MessageJournal();
    MessageJournal(const MessageJournal&) = delete;
    MessageJournal& operator=(const MessageJournal&) = delete;

    // Every message the file holds, in the order they were written. A record cut short at the
    // end (a kill during a write) is cut off the file, so that what is written next follows
    // the last whole record.
    std::vector<StoredMessage> recover();
    // Adds `message` to what the next write() writes.
    void append(const StoredMessage& message);
    // How much append() added since the last write: a mark for drop_unwritten_from().
    std::size_t unwritten_size() const { return unwritten_.size(); }
    // Drops what append() added after `mark` (a savepoint rolled back), unless written already.
    void drop_unwritten_from(std::size_t mark);
    // Writes what append() added since the last write, after what the file holds. Throws
    // StoreError; what was added is then dropped, and the file keeps only what it held.
    void write();
    // The file's size: a mark for cut_to().
    std::uint64_t size() const { return end_; }
    // Cuts what was written after `mark` off the file (its commit failed). Best effort: what is
    // left is after the rows' sqs_journal.rows_through, and its senders got an error, which in
    // SQS means the message may or may not have been sent.
    void cut_to(std::uint64_t mark);
    // Empties the file (and drops what was not written yet).
    void clear();

  private:
    std::string path_;
    int fd_ = -1;
    std::uint64_t end_ = 0;  // where the next record goes: the end of the last whole one
    std::string unwritten_;
};

}  // namespace awsemu::sqs
