#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace awsemu {

class Checkpointer;
class FileLock;

// Thrown for failures of the storage itself (disk full, corrupt file): the dispatcher answers
// them with InternalFailure.
class StoreError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// What a state directory in a file survives. Both settings survive awsemu being killed at any
// moment (kill -9): a commit is in the WAL file, which the operating system keeps.
enum class Durability {
    // Checkpoints do not fsync. An operating-system crash or power loss can leave the database
    // corrupt. Checkpoints then take a fraction of the time, so the WAL is copied back and
    // restarted from its beginning even under constant writes instead of growing into fresh
    // pages: about a third less CPU per small write.
    ProcessCrash,
    // Checkpoints fsync the WAL and the database file (SQLite's default): an operating-system
    // crash loses at most the last commits.
    PowerLoss,
};

// Bytes bound as a BLOB rather than TEXT, without a copy: they must outlive the Query.
struct Blob {
    std::string_view bytes;
};

// One prepared statement in use: bound on creation, reset when it goes out of scope.
class Query {
  public:
    // How bind() takes text. Copied unless every value bound outlives the Query: a row's
    // strings are then not copied once more on their way into SQLite.
    enum class Text { copied, borrowed };

    Query(sqlite3* db, sqlite3_stmt* statement, Text text = Text::copied);
    Query(Query&& other) noexcept;
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    ~Query();

    Query& bind(int index, std::string_view value);
    Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Query& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Query& bind(int index, Blob value);
    Query& bind(int index, std::int64_t value);
    Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Query& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
    Query& bind(int index, double value);
    Query& bind(int index, std::nullopt_t);
    template <class T>
    Query& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, std::nullopt);
    }

    // Steps to the next row; false when there is none.
    bool next();
    std::string text(int column) const;
    std::optional<std::string> optional_text(int column) const;
    std::int64_t integer(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;
    double real(int column) const;
    bool is_null(int column) const;

  private:
    sqlite3* db_;
    sqlite3_stmt* statement_;
    Text text_;
};

// The state database: one SQLite file per state directory in WAL mode (or one in memory),
// versioned migrations per component, and transactions. A transaction holds the database's
// lock, so statements run only inside one.
class Database {
  public:
    // path ":memory:" keeps everything in memory (and `durability` means nothing).
    explicit Database(const std::string& path, Durability durability = Durability::ProcessCrash);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs the migrations of `component` that have not run yet, each once and in order.
    void migrate(std::string_view component, const std::vector<std::string>& migrations);

    class Transaction {
      public:
        explicit Transaction(Database& db);
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        ~Transaction();  // rolls back unless committed
        void commit();

      private:
        std::string savepoint_sql(std::string_view verb) const;
        bool open_in_sqlite() const;

        Database& db_;
        std::unique_lock<std::recursive_mutex> lock_;
        int level_ = 0;  // 0: the outermost transaction
        bool done_ = false;
    };
    Transaction transaction() { return Transaction(*this); }

    // Runs `action` once the writes of the open transaction are committed, when the outermost
    // transaction closes after its COMMIT (at once when none is open); never when the transaction,
    // or the savepoint it was registered in, rolls back. For what must not happen to rows that may
    // still come back: deleting the files or blocks they name. `action` must not throw.
    void once_committed(std::function<void()> action);

    // Runs `action` if the savepoint or transaction open now rolls back, or an enclosing one
    // does after it was released into it; never once the outermost transaction committed. For
    // state outside SQLite that changes with the rows written now (SQS's standard messages).
    // A rollback runs its actions in the reverse of the order they were registered in, as undo
    // steps go. `action` must not throw.
    void once_rolled_back(std::function<void()> action);

    // Runs `hook` just before every outermost COMMIT for as long as the returned handle lives:
    // for writes outside SQLite that the rows about to be committed name (S3's body pack). A
    // hook that throws StoreError fails the commit, which then rolls back.
    [[nodiscard]] std::shared_ptr<void> before_every_commit(std::function<void()> hook);
    // Runs `hook` in every reset(), before the rows go, for as long as the returned handle
    // lives: for what is kept outside SQLite (SQS's standard-queue messages).
    [[nodiscard]] std::shared_ptr<void> before_every_reset(std::function<void()> hook);

    // Prepares (once, then from a cache) and binds; the caller steps the result.
    template <class... Args>
    Query query(std::string_view sql, const Args&... args) {
        return bound(sql, Query::Text::copied, args...);
    }
    // Runs a statement that returns no rows; answers how many rows it changed.
    template <class... Args>
    int execute(std::string_view sql, const Args&... args) {
        bound(sql, Query::Text::borrowed, args...).next();  // args outlive the step
        return changes();
    }

    // False when no transaction is open, e.g. after SQLite rolled one back on a storage error.
    bool in_transaction() const;

    // The row id the last INSERT gave its row.
    std::int64_t last_insert_rowid() const;

    // Deletes every row of every table, keeping the schema.
    void reset();

    // Changes whenever writes are rolled back or all state is reset: a cache of rows compares
    // it to know that what it read may be gone.
    std::uint64_t epoch() const { return epoch_; }

  private:
    template <class... Args>
    Query bound(std::string_view sql, Query::Text text, const Args&... args) {
        if (open_savepoints_ < depth_) {
            open_savepoints();
        }
        Query q(db_, prepare(sql), text);
        [[maybe_unused]] int index = 1;
        (q.bind(index++, args), ...);
        return q;
    }
    sqlite3_stmt* prepare(std::string_view sql);
    // Runs the SAVEPOINTs of the nested transactions opened since the last statement.
    void open_savepoints();
    // Runs a statement that returns no rows as it is: transactions' own statements.
    void step(std::string_view sql);
    void claim(const std::string& path);
    void close();
    void exec(const char* sql);
    int changes() const;
    using Hooks = std::vector<std::weak_ptr<std::function<void()>>>;
    static std::shared_ptr<void> add_hook(Hooks& hooks, std::function<void()> hook);
    static void run_hooks(Hooks& hooks);

    std::unique_ptr<FileLock> lock_;  // keeps a second awsemu off the file
    sqlite3* db_ = nullptr;
    std::unique_ptr<Checkpointer> checkpointer_;
    std::recursive_mutex mutex_;
    int depth_ = 0;  // nesting of transactions on the owning thread
    // How many of those SQLite knows of. A nested transaction's SAVEPOINT runs only before its
    // first statement: most requests' units (one each) run none when their service keeps the
    // work outside SQLite (a cached queue, a standard queue's message), and need no RELEASE either.
    int open_savepoints_ = 0;
    // once_committed()'s and once_rolled_back()'s actions, per open transaction level (index:
    // Transaction::level_).
    struct LevelActions {
        std::vector<std::function<void()>> committed;
        std::vector<std::function<void()>> rolled_back;
    };
    std::vector<LevelActions> level_actions_;
    Hooks commit_hooks_;
    Hooks reset_hooks_;
    std::uint64_t epoch_ = 0;
    // Looked up by the caller's string_view without building a std::string each time.
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const {
            return std::hash<std::string_view>{}(sql);
        }
    };
    using StatementCache = std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>>;
    StatementCache statements_;
    static constexpr std::size_t kMaxRememberedAddresses = 4096;
    std::unordered_map<const char*, const StatementCache::value_type*> by_address_;
};

}  // namespace awsemu
