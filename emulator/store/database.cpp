#include "emulator/store/database.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <utility>

#include <sqlite3.h>

#include "emulator/store/checkpointer.hpp"
#include "emulator/store/file_lock.hpp"

namespace awsemu {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    throw StoreError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Query::Query(sqlite3* db, sqlite3_stmt* statement, Text text)
    : db_(db), statement_(statement), text_(text) {}

Query::Query(Query&& other) noexcept
    : db_(other.db_), statement_(other.statement_), text_(other.text_) {
    other.statement_ = nullptr;
}

Query::~Query() {
    if (statement_ != nullptr) {
        sqlite3_reset(statement_);
        sqlite3_clear_bindings(statement_);
    }
}

Query& Query::bind(int index, std::string_view value) {
    if (sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                          text_ == Text::borrowed ? SQLITE_STATIC : SQLITE_TRANSIENT) !=
        SQLITE_OK) {
        fail(db_, "bind");
    }
    return *this;
}

Query& Query::bind(int index, Blob value) {
    if (sqlite3_bind_blob64(statement_, index, value.bytes.data(), value.bytes.size(),
                            SQLITE_STATIC) != SQLITE_OK) {
        fail(db_, "bind");
    }
    return *this;
}

Query& Query::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) {
        fail(db_, "bind");
    }
    return *this;
}

Query& Query::bind(int index, double value) {
    if (sqlite3_bind_double(statement_, index, value) != SQLITE_OK) {
        fail(db_, "bind");
    }
    return *this;
}

Query& Query::bind(int index, std::nullopt_t) {
    if (sqlite3_bind_null(statement_, index) != SQLITE_OK) {
        fail(db_, "bind");
    }
    return *this;
}

bool Query::next() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    fail(db_, "step");
}

std::string Query::text(int column) const {
    const auto* data = sqlite3_column_blob(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

std::optional<std::string> Query::optional_text(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return text(column);
}

std::int64_t Query::integer(int column) const {
    return sqlite3_column_int64(statement_, column);
}

std::optional<std::int64_t> Query::optional_integer(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return integer(column);
}

double Query::real(int column) const {
    return sqlite3_column_double(statement_, column);
}

bool Query::is_null(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

namespace {

int on_wal_commit(void* checkpointer, sqlite3*, const char*, int pages) {
    static_cast<Checkpointer*>(checkpointer)->wal_grew(pages);
    return SQLITE_OK;
}

}  // namespace

Database::Database(const std::string& path, Durability durability) {
    // SQLite's memory statistics take a global mutex on every allocation; nothing reads them.
    // (Must precede SQLite's initialisation; later calls are refused harmlessly.)
    static const int kMemoryStatisticsOff = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)kMemoryStatisticsOff;
    const bool in_memory = path == ":memory:";
    if (!in_memory) {
        const auto parent = std::filesystem::path(path).parent_path();
        if (!parent.empty()) {
            std::filesystem::create_directories(parent);
        }
        claim(path);
    }
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string message = "cannot open state database " + path + ": " +
                                    (db_ ? sqlite3_errmsg(db_) : "out of memory");
        sqlite3_close(db_);
        throw StoreError(message);
    }
    try {
        // WAL: a committed transaction survives the process being killed (it is in the WAL
        // file, which the operating system keeps). With synchronous=NORMAL (PowerLoss) a
        // commit that starts the WAL over from its beginning fsyncs it first, and checkpoints
        // (the checkpointer's) fsync; with OFF nothing does.
        exec(in_memory ? "PRAGMA foreign_keys=ON"
             : durability == Durability::PowerLoss
                 ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"
                 : "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON");
        exec(
            "CREATE TABLE IF NOT EXISTS awsemu_migrations (component TEXT PRIMARY KEY, version "
            "INTEGER NOT NULL)");
        if (!in_memory) {
            checkpointer_ = std::make_unique<Checkpointer>(path, durability);
            // Replaces SQLite's automatic checkpoint, which would run inside a commit.
            sqlite3_wal_hook(db_, on_wal_commit, checkpointer_.get());
        }
    } catch (...) {
        close();
        throw;
    }
}

Database::~Database() {
    close();
}

void Database::close() {
    for (auto& [sql, statement] : statements_) {
        sqlite3_finalize(statement);
    }
    statements_.clear();
    if (db_ != nullptr) {
        sqlite3_wal_hook(db_, nullptr, nullptr);
    }
    checkpointer_.reset();
    sqlite3_close(db_);  // the last connection: copies the WAL back and removes it
    db_ = nullptr;
}

void Database::claim(const std::string& path) {
    lock_ = std::make_unique<FileLock>(path);
    if (!lock_->locked()) {
        throw StoreError("cannot use the state database " + path + ": " +
                         (lock_->opened() ? "database is locked (another awsemu is running on "
                                            "this --state-dir: stop it, or choose another "
                                            "--state-dir)"
                                          : std::string(std::strerror(errno))));
    }
}

void Database::exec(const char* sql) {
    if (open_savepoints_ < depth_) {
        open_savepoints();
    }
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = std::string(sql) + ": " + (error ? error : "unknown error");
        sqlite3_free(error);
        throw StoreError(message);
    }
}

sqlite3_stmt* Database::prepare(std::string_view sql) {
    // Most SQL is a literal or a static string, so its address finds it without hashing the
    // text; the text is still compared, so a reused address never yields another statement.
    if (const auto known = by_address_.find(sql.data()); known != by_address_.end()) {
        if (known->second->first == sql) {
            return known->second->second;
        }
    }
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
            fail(db_, "prepare " + std::string(sql));
        }
        it = statements_.emplace(std::string(sql), statement).first;
    }
    if (by_address_.size() >= kMaxRememberedAddresses) {
        by_address_.clear();  // SQL built at run time leaves addresses that never come back
    }
    by_address_[sql.data()] = &*it;
    return it->second;
}

std::int64_t Database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_);
}

bool Database::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

int Database::changes() const {
    return sqlite3_changes(db_);
}

void Database::migrate(std::string_view component, const std::vector<std::string>& migrations) {
    auto tx = transaction();
    std::int64_t applied = 0;
    {
        auto q = query("SELECT version FROM awsemu_migrations WHERE component = ?", component);
        if (q.next()) {
            applied = q.integer(0);
        }
    }
    if (applied > static_cast<std::int64_t>(migrations.size())) {
        throw StoreError("the state of " + std::string(component) +
                         " was written by a newer awsemu (schema version " +
                         std::to_string(applied) + ", this one knows " +
                         std::to_string(migrations.size()) +
                         "); use that version or another --state-dir");
    }
    for (std::size_t i = static_cast<std::size_t>(applied); i < migrations.size(); ++i) {
        exec(migrations[i].c_str());
    }
    execute(
        "INSERT INTO awsemu_migrations (component, version) VALUES (?, ?) "
        "ON CONFLICT (component) DO UPDATE SET version = excluded.version",
        component, static_cast<std::int64_t>(migrations.size()));
    tx.commit();
}

void Database::reset() {
    auto tx = transaction();
    run_hooks(reset_hooks_);
    std::vector<std::string> tables;
    {
        auto q = query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name <> 'awsemu_migrations'");
        while (q.next()) {
            tables.push_back(q.text(0));
        }
    }
    exec("PRAGMA defer_foreign_keys=ON");
    for (const auto& table : tables) {
        exec(("DELETE FROM \"" + table + "\"").c_str());
    }
    tx.commit();
    ++epoch_;
}

// The outermost transaction is BEGIN/COMMIT; nested ones are savepoints, so a nested unit of
// work that fails undoes only its own writes.
Database::Transaction::Transaction(Database& db) : db_(db), lock_(db.mutex_) {
    level_ = db_.depth_;
    if (level_ == 0) {
        db_.step(std::string_view("BEGIN"));
        db_.open_savepoints_ = 1;
    }
    ++db_.depth_;
    db_.level_actions_.resize(static_cast<std::size_t>(db_.depth_));
}

std::string Database::Transaction::savepoint_sql(std::string_view verb) const {
    return std::string(verb) + " awsemu_sp" + std::to_string(level_);
}

// Whether SQLite knows of this transaction; when it does not, nothing ran in it to undo or keep.
bool Database::Transaction::open_in_sqlite() const {
    return db_.open_savepoints_ > level_;
}

void Database::open_savepoints() {
    while (open_savepoints_ < depth_) {
        step("SAVEPOINT awsemu_sp" + std::to_string(open_savepoints_));
        ++open_savepoints_;
    }
}

void Database::step(std::string_view sql) {
    Query(db_, prepare(sql)).next();
}

void Database::Transaction::commit() {
    if (level_ == 0) {
        run_hooks(db_.commit_hooks_);
        db_.step(std::string_view("COMMIT"));
    } else if (open_in_sqlite()) {
        db_.step(savepoint_sql("RELEASE"));
    }
    // Statements after this commit, while this object lives, run outside it, as they always
    // did: nothing is to be opened for it any more.
    db_.open_savepoints_ = level_ + 1;
    done_ = true;
    if (level_ > 0) {  // committed with the enclosing transaction, or not at all
        auto& actions = db_.level_actions_[static_cast<std::size_t>(level_)];
        auto& outer = db_.level_actions_[static_cast<std::size_t>(level_ - 1)];
        const auto move_to = [](auto& from, auto& to) {
            to.insert(to.end(), std::make_move_iterator(from.begin()),
                      std::make_move_iterator(from.end()));
            from.clear();
        };
        move_to(actions.committed, outer.committed);
        move_to(actions.rolled_back, outer.rolled_back);
    }
}

Database::Transaction::~Transaction() {
    if (!done_) {
        ++db_.epoch_;
        try {
            if (level_ == 0) {
                db_.step(std::string_view("ROLLBACK"));
            } else if (open_in_sqlite()) {
                db_.step(savepoint_sql("ROLLBACK TO"));
                db_.step(savepoint_sql("RELEASE"));
            }
        } catch (const StoreError&) {
            // Already rolled back by SQLite itself (e.g. after a disk I/O error).
        }
    }
    db_.open_savepoints_ = std::min(db_.open_savepoints_, level_);
    // Committed at the outermost level: the once_committed actions run once the transaction is
    // closed, so that one may use the database. Rolled back: the once_rolled_back ones.
    LevelActions actions = std::move(db_.level_actions_[static_cast<std::size_t>(level_)]);
    db_.level_actions_[static_cast<std::size_t>(level_)] = {};
    --db_.depth_;
    if (done_ && level_ == 0) {
        for (const auto& action : actions.committed) {
            action();
        }
    } else if (!done_) {
        for (auto action = actions.rolled_back.rbegin(); action != actions.rolled_back.rend();
             ++action) {
            (*action)();
        }
    }
}

std::shared_ptr<void> Database::before_every_commit(std::function<void()> hook) {
    return add_hook(commit_hooks_, std::move(hook));
}

std::shared_ptr<void> Database::before_every_reset(std::function<void()> hook) {
    return add_hook(reset_hooks_, std::move(hook));
}

std::shared_ptr<void> Database::add_hook(Hooks& hooks, std::function<void()> hook) {
    auto registered = std::make_shared<std::function<void()>>(std::move(hook));
    hooks.push_back(registered);
    return registered;
}

void Database::run_hooks(Hooks& hooks) {
    std::erase_if(hooks, [](const auto& hook) { return hook.expired(); });
    for (const auto& hook : hooks) {
        if (const auto live = hook.lock()) {
            (*live)();
        }
    }
}

void Database::once_committed(std::function<void()> action) {
    if (depth_ == 0) {
        action();
        return;
    }
    level_actions_[static_cast<std::size_t>(depth_ - 1)].committed.push_back(std::move(action));
}

void Database::once_rolled_back(std::function<void()> action) {
    if (depth_ > 0) {
        level_actions_[static_cast<std::size_t>(depth_ - 1)].rolled_back.push_back(
            std::move(action));
    }
}

}  // namespace awsemu
