#include "emulator/store/checkpointer.hpp"

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "emulator/store/database.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace awsemu;
using awsemu::testing::TempDir;

namespace {

// A VFS over the default one that counts what the tests look at: fsyncs of any file, writes to
// a main database file (which, in WAL mode, only checkpoints make), and writes of a WAL's
// header (a WAL started over from its beginning).
struct FileCounts {
    std::atomic<int> syncs{0};
    std::atomic<int> database_writes{0};
    std::atomic<int> wal_restarts{0};
};
FileCounts counts;

struct CountedFile {
    sqlite3_file base;
    bool main_database;
    bool wal;
    sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

CountedFile* counted(sqlite3_file* file) {
    return reinterpret_cast<CountedFile*>(file);
}
sqlite3_file* real(sqlite3_file* file) {
    return counted(file)->real();
}

const sqlite3_io_methods kCountedMethods = {
    3,
    [](sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); },
    [](sqlite3_file* f, void* buffer, int n, sqlite3_int64 offset) {
        return real(f)->pMethods->xRead(real(f), buffer, n, offset);
    },
    [](sqlite3_file* f, const void* buffer, int n, sqlite3_int64 offset) {
        if (counted(f)->main_database) {
            ++counts.database_writes;
        }
        if (counted(f)->wal && offset == 0) {
            ++counts.wal_restarts;
        }
        return real(f)->pMethods->xWrite(real(f), buffer, n, offset);
    },
    [](sqlite3_file* f, sqlite3_int64 size) { return real(f)->pMethods->xTruncate(real(f), size); },
    [](sqlite3_file* f, int flags) {
        ++counts.syncs;
        return real(f)->pMethods->xSync(real(f), flags);
    },
    [](sqlite3_file* f, sqlite3_int64* size) {
        return real(f)->pMethods->xFileSize(real(f), size);
    },
    [](sqlite3_file* f, int lock) { return real(f)->pMethods->xLock(real(f), lock); },
    [](sqlite3_file* f, int lock) { return real(f)->pMethods->xUnlock(real(f), lock); },
    [](sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); },
    [](sqlite3_file* f, int op, void* arg) {
        return real(f)->pMethods->xFileControl(real(f), op, arg);
    },
    [](sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); },
    [](sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); },
    [](sqlite3_file* f, int page, int size, int extend, void volatile** out) {
        return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
    },
    [](sqlite3_file* f, int offset, int n, int flags) {
        return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
    },
    [](sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); },
    [](sqlite3_file* f, int remove) { return real(f)->pMethods->xShmUnmap(real(f), remove); },
    [](sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
        return real(f)->pMethods->xFetch(real(f), offset, n, out);
    },
    [](sqlite3_file* f, sqlite3_int64 offset, void* page) {
        return real(f)->pMethods->xUnfetch(real(f), offset, page);
    },
};

sqlite3_vfs* default_vfs() {
    static sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
    return vfs;
}

// Made the default VFS for the test's lifetime, so that Database and its Checkpointer use it.
class CountingVfs {
  public:
    CountingVfs() {
        vfs_ = *default_vfs();
        vfs_.zName = "awsemu-counting";
        vfs_.szOsFile = static_cast<int>(sizeof(CountedFile)) + default_vfs()->szOsFile;
        vfs_.xOpen = [](sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
                        int* out_flags) {
            auto* wrapper = counted(file);
            wrapper->base.pMethods = nullptr;
            wrapper->main_database = (flags & SQLITE_OPEN_MAIN_DB) != 0;
            wrapper->wal = (flags & SQLITE_OPEN_WAL) != 0;
            wrapper->real()->pMethods = nullptr;
            const int rc =
                default_vfs()->xOpen(default_vfs(), name, wrapper->real(), flags, out_flags);
            // Even a failed open may leave a file to close.
            if (wrapper->real()->pMethods != nullptr) {
                wrapper->base.pMethods = &kCountedMethods;
            }
            return rc;
        };
        sqlite3_vfs_register(&vfs_, 1);
    }
    ~CountingVfs() {
        sqlite3_vfs_unregister(&vfs_);
        sqlite3_vfs_register(default_vfs(), 1);
    }
    CountingVfs(const CountingVfs&) = delete;
    CountingVfs& operator=(const CountingVfs&) = delete;

  private:
    sqlite3_vfs vfs_;
};

// Writes enough pages to the WAL for a checkpoint, waits until the checkpointer has written to
// the database file, then commits until a commit starts the WAL over; false if either never
// happened.
bool write_until_wal_restarts(Database& db) {
    db.migrate("blobs", {"CREATE TABLE blobs (bytes BLOB NOT NULL)"});
    const int writes_before = counts.database_writes;
    const std::string bytes(64 * 1024, 'x');
    const auto insert = [&](int count) {
        auto tx = db.transaction();
        for (int i = 0; i < count; ++i) {
            db.execute("INSERT INTO blobs (bytes) VALUES (?)", Blob{bytes});
        }
        tx.commit();
    };
    insert(80);  // 5 MiB: over 1,000 pages of 4 KiB
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (counts.database_writes == writes_before) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // Once the checkpoint has copied the whole WAL, the next commit writes it from the start.
    const int restarts_before = counts.wal_restarts;
    while (counts.wal_restarts == restarts_before) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        insert(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace

TEST_CASE("Database and its checkpointer do not fsync unless asked to survive power loss",
          "[store][unit]") {
    CountingVfs vfs;
    TempDir dir;
    const std::string path = (dir.path() / "state.db").string();

    SECTION("ProcessCrash (the default): no fsync, in checkpoints or when the WAL restarts") {
        Database db(path);
        counts.syncs = 0;
        REQUIRE(write_until_wal_restarts(db));
        CHECK(counts.syncs == 0);
    }
    SECTION("PowerLoss: checkpoints and the WAL's restarts fsync") {
        Database db(path, Durability::PowerLoss);
        counts.syncs = 0;
        REQUIRE(write_until_wal_restarts(db));
        CHECK(counts.syncs > 0);
    }
}
