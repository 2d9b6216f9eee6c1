#include "emulator/store/group_commit.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "emulator/runtime/manual_scheduler.hpp"

using namespace awsemu;

namespace {

struct Fixture {
    Fixture() { database.migrate("notes", {"CREATE TABLE notes (text TEXT NOT NULL)"}); }

    void write(const std::string& text, bool fail = false) {
        try {
            auto unit = commits.unit();
            database.execute("INSERT INTO notes (text) VALUES (?)", text);
            if (fail) {
                throw std::runtime_error("the request failed");
            }
            unit.commit();
        } catch (const std::runtime_error&) {
            // the unit rolled back
        }
    }

    std::int64_t notes() {
        auto tx = database.transaction();
        auto q = database.query("SELECT COUNT(*) FROM notes");
        REQUIRE(q.next());
        return q.integer(0);
    }

    ManualClock clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    GroupCommit commits{database, scheduler, /*enabled=*/true};
};

}  // namespace

TEST_CASE("GroupCommit commits the units of one turn together when the scheduler runs",
          "[store][unit]") {
    Fixture f;
    std::vector<std::string> events;
    f.write("a");
    f.commits.after_commit([&](const StoreError* failure) {
        events.push_back(failure == nullptr ? "a answered" : "a failed");
    });
    f.write("b", /*fail=*/true);
    f.write("c");
    // Work a unit posts (waking a long poll) must see the batch committed.
    f.scheduler.post([&] { events.push_back(f.commits.batch_open() ? "open" : "committed"); });
    CHECK(f.commits.batch_open());
    CHECK(events.empty());
    f.scheduler.run_ready();
    CHECK_FALSE(f.commits.batch_open());
    CHECK(events == std::vector<std::string>{"a answered", "committed"});
    CHECK(f.notes() == 2);  // the failed unit undid only its own write
}

TEST_CASE("GroupCommit's commit waits one turn for requests on their way", "[store][unit]") {
    Fixture f;
    std::vector<std::string> events;
    bool arriving = false;
    f.commits.wait_for_arrivals([&] { return arriving; });
    f.write("a");  // the commit is posted
    f.commits.after_commit([&](const StoreError*) { events.push_back("a answered"); });
    // A request whose body is being hashed with others' reaches its handler in a later turn.
    arriving = true;
    f.scheduler.post([&] {
        arriving = false;
        events.push_back(f.commits.batch_open() ? "b joins the batch" : "b in a batch of its own");
        f.write("b");
        f.commits.after_commit([&](const StoreError*) { events.push_back("b answered"); });
    });
    f.scheduler.run_ready();
    CHECK(events == std::vector<std::string>{"b joins the batch", "a answered", "b answered"});
    CHECK(f.notes() == 2);

    // It waits once: requests that keep arriving do not hold a commit back for longer.
    events.clear();
    arriving = true;
    f.write("c");
    f.commits.after_commit([&](const StoreError*) { events.push_back("c answered"); });
    f.scheduler.run_ready();
    CHECK(events == std::vector<std::string>{"c answered"});
    CHECK_FALSE(f.commits.batch_open());
}

TEST_CASE("GroupCommit delivers at once when no batch is open", "[store][unit]") {
    Fixture f;
    bool delivered = false;
    f.commits.after_commit([&](const StoreError* failure) { delivered = failure == nullptr; });
    CHECK(delivered);
}

TEST_CASE("GroupCommit disabled commits every unit on its own", "[store][unit]") {
    Fixture f;
    GroupCommit alone(f.database, f.scheduler, /*enabled=*/false);
    {
        auto unit = alone.unit();
        f.database.execute("INSERT INTO notes (text) VALUES ('x')");
        unit.commit();
    }
    CHECK_FALSE(alone.batch_open());
    CHECK_FALSE(f.database.in_transaction());
    CHECK(f.notes() == 1);
}
