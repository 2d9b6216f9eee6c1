#include "emulator/store/group_commit.hpp"

namespace awsemu {

GroupCommit::~GroupCommit() {
    // Only when the event loop stopped with a batch open: nobody waits for those answers any
    // more, and the batch's transaction rolls back, as it would have on a kill.
    waiting_.clear();
}

Database::Transaction GroupCommit::unit() {
    if (enabled_) {
        if (batch_ && !database_.in_transaction()) {
            // SQLite itself rolled the batch back after a storage error in an earlier unit.
            const StoreError lost("the transaction was rolled back after a storage error");
            end_batch(&lost);
        }
        if (!batch_) {
            open_batch();
        }
    }
    return database_.transaction();
}

void GroupCommit::after_commit(Delivery deliver) {
    if (batch_) {
        waiting_.push_back(std::move(deliver));
    } else {
        deliver(nullptr);
    }
}

void GroupCommit::open_batch() {
    batch_.emplace(database_);
    // A commit left over from a batch ended early may commit this one early: harmless, as
    // units never span two handlers of the event loop.
    scheduler_.post([this] { commit_batch(); });
}

void GroupCommit::commit_batch() {
    if (!batch_) {
        return;
    }
    if (!waited_ && arriving_ && arriving_()) {
        waited_ = true;
        scheduler_.post([this] { commit_batch(); });
        return;
    }
    try {
        batch_->commit();
    } catch (const StoreError& failure) {
        end_batch(&failure);
        return;
    }
    end_batch(nullptr);
}

void GroupCommit::end_batch(const StoreError* failure) {
    batch_.reset();  // rolls back unless committed
    waited_ = false;
    std::vector<Delivery> waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& deliver : waiting) {
        deliver(failure);
    }
}

}  // namespace awsemu
