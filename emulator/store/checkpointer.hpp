#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "emulator/store/database.hpp"

struct sqlite3;

namespace awsemu {

// Copies the WAL back into the database file on a thread of its own, through a connection of
// its own. SQLite would otherwise checkpoint inside whichever commit crosses its threshold, on
// the event loop: a checkpoint ends with two fsyncs, several milliseconds each on a VM's disk,
// during which no request is served. A passive checkpoint takes no lock writers need, so
// commits go on meanwhile; SQLite restarts the WAL from its beginning at the first commit after
// a checkpoint that copied all of it.
class Checkpointer {
  public:
    // Opens `path` (a database in WAL mode) and starts the thread. Its checkpoints fsync only
    // for Durability::PowerLoss.
    Checkpointer(const std::string& path, Durability durability);
    ~Checkpointer();  // finishes a running checkpoint, then stops
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    // Called after each commit with the WAL's length in pages: wakes the thread once it is long
    // enough to be worth copying.
    void wal_grew(int pages);

  private:
    // SQLite's own default threshold for its automatic checkpoint.
    static constexpr int kPagesPerCheckpoint = 1000;

    void run();

    sqlite3* db_ = nullptr;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool wanted_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace awsemu
