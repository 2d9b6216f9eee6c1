#include "emulator/store/checkpointer.hpp"

#include <stdexcept>

#include <sqlite3.h>

namespace awsemu {

Checkpointer::Checkpointer(const std::string& path, Durability durability) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        const std::string reason = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error("cannot open " + path + " to checkpoint it: " + reason);
    }
    // The connection that checkpoints is the one whose `synchronous` decides the fsyncs. A
    // connection learns that the file is in WAL mode when it first reads it; until then its
    // checkpoints do nothing.
    const char* setup = durability == Durability::PowerLoss
                            ? "PRAGMA synchronous=FULL; SELECT count(*) FROM sqlite_master"
                            : "PRAGMA synchronous=OFF; SELECT count(*) FROM sqlite_master";
    if (sqlite3_exec(db_, setup, nullptr, nullptr, nullptr) != SQLITE_OK) {
        const std::string reason = sqlite3_errmsg(db_);
        sqlite3_close(db_);
        throw std::runtime_error("cannot read " + path + " to checkpoint it: " + reason);
    }
    thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    sqlite3_close(db_);
}

void Checkpointer::wal_grew(int pages) {
    if (pages < kPagesPerCheckpoint) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        wanted_ = true;
    }
    wake_.notify_one();
}

void Checkpointer::run() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return wanted_ || stopping_; });
            if (stopping_) {
                return;
            }
            wanted_ = false;
        }
        // A failure (e.g. SQLITE_BUSY while the database is being closed) leaves the WAL as it
        // is; the next commit asks again.
        sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
}

}  // namespace awsemu
