#include "emulator/store/database.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/unit/temp_dir.hpp"

using namespace awsemu;
using awsemu::testing::TempDir;

namespace {

std::vector<std::int64_t> column_values(Database& db, const std::string& sql) {
    auto tx = db.transaction();
    std::vector<std::int64_t> values;
    auto q = db.query(sql);
    while (q.next()) {
        values.push_back(q.integer(0));
    }
    return values;
}

std::int64_t count_rows(Database& db, const std::string& table) {
    auto tx = db.transaction();
    auto q = db.query("SELECT COUNT(*) FROM " + table);
    REQUIRE(q.next());
    return q.integer(0);
}

bool table_exists(Database& db, const std::string& table) {
    auto tx = db.transaction();
    auto q =
        db.query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table);
    REQUIRE(q.next());
    return q.integer(0) == 1;
}

void insert(Database& db, std::int64_t value) {
    db.execute("INSERT INTO items (value) VALUES (?)", value);
}

const std::vector<std::string> kItemsMigration = {"CREATE TABLE items (value INTEGER NOT NULL)"};

}  // namespace

TEST_CASE("Database migrations run once each", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)",
                         "INSERT INTO items (value) VALUES (1)"});
    // The same list again runs nothing: a second CREATE TABLE would throw, a second INSERT would
    // add a row.
    db.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)",
                         "INSERT INTO items (value) VALUES (1)"});
    CHECK(column_values(db, "SELECT value FROM items") == std::vector<std::int64_t>{1});
}

TEST_CASE("Database migrations added later run after the earlier ones, in order", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)"});
    db.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)",
                         "ALTER TABLE items ADD COLUMN label TEXT",
                         "INSERT INTO items (value, label) VALUES (2, 'two')",
                         "INSERT INTO items (value, label) VALUES (3, 'three')"});
    CHECK(column_values(db, "SELECT value FROM items ORDER BY rowid") ==
          std::vector<std::int64_t>{2, 3});
    auto tx = db.transaction();
    auto q = db.query("SELECT label FROM items WHERE value = 2");
    REQUIRE(q.next());
    CHECK(q.text(0) == "two");
}

TEST_CASE("Database migrations are counted per component", "[store][unit]") {
    Database db(":memory:");
    db.migrate("first", {"CREATE TABLE a (x INTEGER)", "CREATE TABLE b (x INTEGER)"});
    db.migrate("second", {"CREATE TABLE c (x INTEGER)"});
    CHECK(table_exists(db, "a"));
    CHECK(table_exists(db, "b"));
    CHECK(table_exists(db, "c"));
    db.migrate("second", {"CREATE TABLE c (x INTEGER)", "CREATE TABLE d (x INTEGER)"});
    CHECK(table_exists(db, "d"));
}

TEST_CASE("Database migration that fails leaves nothing behind and can be retried",
          "[store][unit]") {
    Database db(":memory:");
    CHECK_THROWS_AS(db.migrate("broken", {"CREATE TABLE half (x INTEGER)", "THIS IS NOT SQL"}),
                    StoreError);
    CHECK_FALSE(table_exists(db, "half"));
    db.migrate("broken", {"CREATE TABLE half (x INTEGER)", "CREATE TABLE whole (x INTEGER)"});
    CHECK(table_exists(db, "half"));
    CHECK(table_exists(db, "whole"));
}

TEST_CASE("Database migration may hold several statements", "[store][unit]") {
    Database db(":memory:");
    db.migrate("multi", {"CREATE TABLE m1 (x INTEGER); CREATE TABLE m2 (x INTEGER);"});
    CHECK(table_exists(db, "m1"));
    CHECK(table_exists(db, "m2"));
}

TEST_CASE("Database migrate never forgets migrations that already ran", "[store][unit]") {
    // An older awsemu (knowing fewer migrations) on a newer state directory must not lower the
    // recorded version, or the next newer awsemu runs the later migrations a second time.
    Database db(":memory:");
    db.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)",
                         "ALTER TABLE items ADD COLUMN label TEXT"});
    try {
        db.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)"});
    } catch (const StoreError&) {
        // Refusing the older list outright is as good as ignoring it.
    }
    CHECK_NOTHROW(db.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)",
                                       "ALTER TABLE items ADD COLUMN label TEXT"}));
}

TEST_CASE("Database transaction commit keeps the writes", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", kItemsMigration);
    {
        auto tx = db.transaction();
        insert(db, 1);
        insert(db, 2);
        tx.commit();
    }
    CHECK(count_rows(db, "items") == 2);
}

TEST_CASE("Database transaction not committed rolls back", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", kItemsMigration);
    {
        auto tx = db.transaction();
        insert(db, 1);
    }
    CHECK(count_rows(db, "items") == 0);
}

TEST_CASE("Database transaction rolls back when an exception leaves it", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", kItemsMigration);
    CHECK_THROWS_AS(
        [&] {
            auto tx = db.transaction();
            insert(db, 1);
            throw std::runtime_error("handler failed");
        }(),
        std::runtime_error);
    CHECK(count_rows(db, "items") == 0);
    // The database is usable afterwards.
    auto tx = db.transaction();
    insert(db, 5);
    tx.commit();
    CHECK(column_values(db, "SELECT value FROM items") == std::vector<std::int64_t>{5});
}

TEST_CASE("Database nested transactions commit with the outermost one", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", kItemsMigration);
    {
        auto outer = db.transaction();
        insert(db, 1);
        {
            auto inner = db.transaction();
            insert(db, 2);
            inner.commit();
        }
        outer.commit();
    }
    CHECK(count_rows(db, "items") == 2);
}

TEST_CASE("Database nested transaction's commit is undone by the outer rollback", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", kItemsMigration);
    {
        auto outer = db.transaction();
        insert(db, 1);
        {
            auto inner = db.transaction();
            insert(db, 2);
            inner.commit();
        }
    }
    CHECK(count_rows(db, "items") == 0);
}

TEST_CASE("Database nested transaction that is not committed rolls back its own writes",
          "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", kItemsMigration);
    {
        auto outer = db.transaction();
        insert(db, 1);
        try {
            auto inner = db.transaction();
            insert(db, 2);
            throw std::runtime_error("store method failed half way");
        } catch (const std::runtime_error&) {
            // The caller handles the failure and goes on.
        }
        outer.commit();
    }
    CHECK(column_values(db, "SELECT value FROM items") == std::vector<std::int64_t>{1});
}

TEST_CASE("Database execute answers the number of rows changed", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", kItemsMigration);
    auto tx = db.transaction();
    CHECK(db.execute("INSERT INTO items (value) VALUES (?), (?), (?)", 1, 2, 3) == 3);
    CHECK(db.execute("UPDATE items SET value = value + 10 WHERE value >= ?", 2) == 2);
    CHECK(db.execute("DELETE FROM items WHERE value = ?", 99) == 0);
    tx.commit();
}

TEST_CASE("Database query binds and reads every column type", "[store][unit]") {
    Database db(":memory:");
    db.migrate("types", {"CREATE TABLE types (t TEXT, i INTEGER, r REAL, n TEXT, b BLOB)"});
    auto tx = db.transaction();
    const std::string binary("a\0b\xFF", 4);
    const std::optional<std::string> none;
    db.execute("INSERT INTO types (t, i, r, n, b) VALUES (?, ?, ?, ?, ?)",
               std::string("caf\xC3\xA9"), std::int64_t{9007199254740993}, 2.5, none, binary);
    auto q = db.query("SELECT t, i, r, n, b FROM types");
    REQUIRE(q.next());
    CHECK(q.text(0) == "caf\xC3\xA9");
    CHECK(q.integer(1) == 9007199254740993);
    CHECK(q.real(2) == 2.5);
    CHECK(q.is_null(3));
    CHECK_FALSE(q.optional_text(3).has_value());
    CHECK_FALSE(q.optional_integer(3).has_value());
    CHECK(q.text(3).empty());
    CHECK(q.text(4) == binary);
    CHECK(q.optional_text(0) == std::optional<std::string>("caf\xC3\xA9"));
    CHECK(q.optional_integer(1) == std::optional<std::int64_t>(9007199254740993));
    CHECK_FALSE(q.next());
}

TEST_CASE("Database query binds booleans, ints and optionals with values", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", kItemsMigration);
    auto tx = db.transaction();
    db.execute("INSERT INTO items (value) VALUES (?), (?), (?)", true, 7,
               std::optional<std::int64_t>(8));
    CHECK(column_values(db, "SELECT value FROM items ORDER BY value") ==
          std::vector<std::int64_t>{1, 7, 8});
}

TEST_CASE("Database runs the same statement again once the last use is done", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", kItemsMigration);
    auto tx = db.transaction();
    for (int i = 1; i <= 3; ++i) {
        insert(db, i);
        auto q = db.query("SELECT COUNT(*) FROM items WHERE value <= ?", i);
        REQUIRE(q.next());
        CHECK(q.integer(0) == i);
    }
}

TEST_CASE("Database bad SQL is a StoreError", "[store][unit]") {
    Database db(":memory:");
    auto tx = db.transaction();
    CHECK_THROWS_AS(db.query("SELEC nothing"), StoreError);
    CHECK_THROWS_AS(db.execute("INSERT INTO missing_table VALUES (1)"), StoreError);
}

TEST_CASE("Database constraint violation is a StoreError", "[store][unit]") {
    Database db(":memory:");
    db.migrate("u", {"CREATE TABLE u (k TEXT PRIMARY KEY)"});
    auto tx = db.transaction();
    db.execute("INSERT INTO u (k) VALUES (?)", "a");
    CHECK_THROWS_AS(db.execute("INSERT INTO u (k) VALUES (?)", "a"), StoreError);
}

TEST_CASE("Database reset empties every table and keeps the schema", "[store][unit]") {
    Database db(":memory:");
    db.migrate("items", kItemsMigration);
    db.migrate("more", {"CREATE TABLE parents (id INTEGER PRIMARY KEY)",
                        "CREATE TABLE children (parent INTEGER NOT NULL REFERENCES parents(id))"});
    {
        auto tx = db.transaction();
        insert(db, 1);
        db.execute("INSERT INTO parents (id) VALUES (1)");
        db.execute("INSERT INTO children (parent) VALUES (1)");
        tx.commit();
    }
    db.reset();
    CHECK(count_rows(db, "items") == 0);
    CHECK(count_rows(db, "parents") == 0);
    CHECK(count_rows(db, "children") == 0);
    // The schema and the record of migrations stay: migrating again runs nothing.
    CHECK_NOTHROW(db.migrate("items", kItemsMigration));
    auto tx = db.transaction();
    insert(db, 2);
    tx.commit();
    CHECK(count_rows(db, "items") == 1);
}

TEST_CASE("Database in a file keeps committed rows when reopened", "[store][unit]") {
    TempDir dir;
    const std::string path = (dir.path() / "nested" / "state.db").string();
    {
        Database db(path);
        db.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)",
                             "INSERT INTO items (value) VALUES (1)"});
        {
            auto tx = db.transaction();
            insert(db, 2);
            tx.commit();
        }
        auto uncommitted = db.transaction();
        insert(db, 3);
    }
    CHECK(std::filesystem::exists(path));
    Database reopened(path);
    reopened.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)",
                               "INSERT INTO items (value) VALUES (1)"});
    CHECK(column_values(reopened, "SELECT value FROM items ORDER BY value") ==
          std::vector<std::int64_t>{1, 2});
}

TEST_CASE("Database that cannot be opened is a StoreError", "[store][unit]") {
    TempDir dir;
    // The path is a directory, not a file.
    CHECK_THROWS_AS(Database(dir.path().string()), StoreError);
}

TEST_CASE("Database in a file refuses a second user while the first keeps it", "[store][unit]") {
    TempDir dir;
    const std::string path = (dir.path() / "state.db").string();
    Database first(path);
    first.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)"});
    try {
        Database second(path);
        FAIL("the second Database opened the file");
    } catch (const StoreError& error) {
        CHECK(std::string(error.what()).find("another awsemu is running") != std::string::npos);
    }
    {
        auto tx = first.transaction();
        insert(first, 7);
        tx.commit();
    }
    CHECK(column_values(first, "SELECT value FROM items") == std::vector<std::int64_t>{7});
}

TEST_CASE("Database runs once-committed actions after the outermost commit, never after a rollback",
          "[store][unit]") {
    Database db(":memory:");
    std::vector<std::string> ran;
    db.once_committed([&] { ran.push_back("no transaction: at once"); });
    CHECK(ran == std::vector<std::string>{"no transaction: at once"});
    ran.clear();
    {
        auto outer = db.transaction();
        {
            auto kept = db.transaction();
            db.once_committed([&] { ran.push_back("kept"); });
            kept.commit();
        }
        {
            auto undone = db.transaction();
            db.once_committed([&] { ran.push_back("undone"); });
        }  // rolled back
        db.once_committed([&] { ran.push_back("outer"); });
        CHECK(ran.empty());  // nothing before the outermost COMMIT
        outer.commit();
    }
    CHECK(ran == std::vector<std::string>{"kept", "outer"});
    ran.clear();
    {
        auto outer = db.transaction();
        {
            auto inner = db.transaction();
            db.once_committed([&] { ran.push_back("inner of a rolled-back outer"); });
            inner.commit();
        }
    }
    CHECK(ran.empty());
}

TEST_CASE(
    "Database runs once-rolled-back actions when their savepoint or an enclosing one rolls "
    "back",
    "[store][unit]") {
    Database db(":memory:");
    std::vector<std::string> ran;
    db.once_rolled_back([&] { ran.push_back("no transaction: never"); });
    {
        auto outer = db.transaction();
        {
            auto kept = db.transaction();
            db.once_rolled_back([&] { ran.push_back("kept"); });
            kept.commit();
        }
        {
            auto undone = db.transaction();
            db.once_rolled_back([&] { ran.push_back("undone"); });
        }  // rolled back alone
        CHECK(ran == std::vector<std::string>{"undone"});
        outer.commit();
    }
    CHECK(ran == std::vector<std::string>{"undone"});  // "kept" committed with the outer one
    ran.clear();
    {
        auto outer = db.transaction();
        {
            auto inner = db.transaction();
            db.once_rolled_back([&] { ran.push_back("inner of a rolled-back outer"); });
            inner.commit();
        }
        db.once_rolled_back([&] { ran.push_back("outer"); });
    }
    CHECK(ran == std::vector<std::string>{"outer", "inner of a rolled-back outer"});  // undo order
}

TEST_CASE("Database opens a savepoint only for a nested transaction that runs a statement",
          "[store][unit]") {
    Database db(":memory:");
    db.query("CREATE TABLE t (v INTEGER)").next();
    const auto values = [&] { return column_values(db, "SELECT v FROM t ORDER BY v"); };
    {
        auto outer = db.transaction();
        {
            auto empty = db.transaction();
            empty.commit();
        }
        { auto empty_undone = db.transaction(); }
        {
            auto kept = db.transaction();
            {
                auto inner = db.transaction();
                db.execute("INSERT INTO t VALUES (1)");  // opens both savepoints
                inner.commit();
            }
            kept.commit();
        }
        {
            auto undone = db.transaction();
            db.execute("INSERT INTO t VALUES (2)");
        }
        outer.commit();
        // After the COMMIT, while `outer` lives: statements and transactions of their own.
        db.execute("INSERT INTO t VALUES (3)");
        {
            auto after = db.transaction();
            db.execute("INSERT INTO t VALUES (4)");
            after.commit();
        }
    }
    CHECK_FALSE(db.in_transaction());
    CHECK(values() == std::vector<std::int64_t>{1, 3, 4});
    auto next = db.transaction();  // SQLite is out of every transaction: BEGIN works
    next.commit();
}

TEST_CASE("before_every_commit hooks run before each outermost COMMIT while registered",
          "[store][unit]") {
    Database db(":memory:");
    db.query("CREATE TABLE t (v INTEGER)").next();
    int runs = 0;
    bool fail = false;
    auto registration = db.before_every_commit([&] {
        ++runs;
        if (fail) {
            throw StoreError("disk full");
        }
    });
    const auto rows = [&] {
        auto q = db.query("SELECT count(*) FROM t");
        q.next();
        return q.integer(0);
    };
    {
        auto outer = db.transaction();
        {
            auto inner = db.transaction();
            db.execute("INSERT INTO t VALUES (1)");
            inner.commit();
        }
        CHECK(runs == 0);  // a savepoint's release is no commit
        outer.commit();
    }
    CHECK(runs == 1);
    {
        auto rolled_back = db.transaction();
        db.execute("INSERT INTO t VALUES (2)");
    }
    CHECK(runs == 1);
    fail = true;
    {
        auto failing = db.transaction();
        db.execute("INSERT INTO t VALUES (3)");
        CHECK_THROWS_AS(failing.commit(), StoreError);
    }
    CHECK(runs == 2);
    CHECK(rows() == 1);  // the failed hook's transaction rolled back
    registration.reset();
    {
        auto after = db.transaction();
        db.execute("INSERT INTO t VALUES (4)");
        after.commit();
    }
    CHECK(runs == 2);
    CHECK(rows() == 2);
}
