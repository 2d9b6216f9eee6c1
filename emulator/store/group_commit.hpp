#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "emulator/runtime/scheduler.hpp"
#include "emulator/store/database.hpp"

namespace awsemu {

// Group commit: the requests that are ready together (one turn of the event loop) run in one
// transaction, each in its own savepoint, and one COMMIT makes all their writes durable. A
// commit writes every page it touched to the WAL, so one commit for many small requests costs
// about what one request alone did. No answer leaves before the writes it rests on are
// committed: answers wait in after_commit() until then.
//
// The batch's commit is posted to the scheduler when the batch opens, so it runs after the
// requests already waiting on the event loop and, unless it waits for arrivals (see
// wait_for_arrivals), before any work those requests post to the scheduler (e.g. waking long
// polls). Either way, no answer leaves before the commit: an answer given while a batch is open
// waits for it.
class GroupCommit {
  public:
    // enabled=false commits every unit on its own (tests that drive units without an event
    // loop to batch them in).
    GroupCommit(Database& database, Scheduler& scheduler, bool enabled)
        : database_(database), scheduler_(scheduler), enabled_(enabled) {}
    ~GroupCommit();
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    // One request's writes: a savepoint in the open batch (opened when there is none). Its
    // commit() keeps them for the batch; without it they are undone alone.
    Database::Transaction unit();

    // Called with null once everything written so far is committed (at once when no batch is
    // open), or with the storage failure that lost those writes. Called on the event loop's
    // thread.
    bool batch_open() const { return batch_.has_value(); }

    using Delivery = std::function<void(const StoreError* failure)>;
    void after_commit(Delivery deliver);

    // Requests on their way to the batch: while `arriving` answers true when the commit comes
    // due, the commit waits one turn of the loop more (once), for them to join. The server's
    // small uploads are hashed together (Md5Batch) in a turn of their own, after which the
    // commit would otherwise be due with half of them left for the next one.
    void wait_for_arrivals(std::function<bool()> arriving) { arriving_ = std::move(arriving); }

  private:
    void open_batch();
    void commit_batch();
    void end_batch(const StoreError* failure);

    Database& database_;
    Scheduler& scheduler_;
    const bool enabled_;
    std::optional<Database::Transaction> batch_;
    std::vector<Delivery> waiting_;
    std::function<bool()> arriving_;
    bool waited_ = false;  // the open batch's commit waited for arrivals already
};

}  // namespace awsemu
