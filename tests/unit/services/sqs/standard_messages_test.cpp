#include "services/sqs/standard_messages.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

#include "emulator/store/database.hpp"
#include "services/sqs/sqs_model.hpp"
#include "services/sqs/sqs_store.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace awsemu;
using namespace awsemu::sqs;
using awsemu::testing::TempDir;

// Standard queues' messages as SqsStore keeps them in the message log: what a restart finds,
// what a rollback undoes, and the log's rewrite.
namespace {

const Scope kScope{"123456789012", "us-east-1"};

std::string file_in(const TempDir& dir, const char* name) {
    return (dir.path() / name).string();
}

StoredMessage message(std::int64_t queue_id, const std::string& body) {
    StoredMessage m;
    m.queue_id = queue_id;
    m.message_id = "id-" + body;
    m.body = body;
    m.body_md5 = "md5-" + body;
    m.sender_id = "123456789012";
    m.sent_ms = 1000;
    m.visible_ms = 1000;
    m.expires_ms = 99000;
    return m;
}

std::vector<std::string> bodies(const std::vector<StoredMessage>& messages) {
    std::vector<std::string> out;
    for (const auto& m : messages) {
        out.push_back(m.body);
    }
    return out;
}

// A state directory's database and message log, opened the way a (re)started server does.
struct State {
    explicit State(const TempDir& dir)
        : database(file_in(dir, "state.db")), store(database, file_in(dir, "sqs.log")) {}

    std::int64_t create_queue(const std::string& name) {
        auto transaction = database.transaction();
        const auto id =
            store.create_queue(kScope, name, default_attributes(is_fifo_name(name)), {}, 1).id;
        transaction.commit();
        return id;
    }
    std::int64_t queue_id(const std::string& name) {
        auto transaction = database.transaction();
        return store.find_queue(kScope.account_id, kScope.region, name)->id;
    }
    // Sends `body` in a committed transaction of its own, as a SendMessage does.
    std::int64_t send(std::int64_t queue_id, const std::string& body) {
        auto transaction = database.transaction();
        const auto seq = store.insert_message(message(queue_id, body));
        transaction.commit();
        return seq;
    }
    std::vector<std::string> queue_bodies(std::int64_t queue_id) {
        auto transaction = database.transaction();
        return bodies(store.ready_messages(queue_id, 10'000, 1000));
    }
    std::optional<StoredMessage> find(std::int64_t queue_id, std::int64_t seq) {
        auto transaction = database.transaction();
        return store.find_message(queue_id, seq);
    }

    Database database;
    SqsStore store;
};

}  // namespace

TEST_CASE("SqsStore: a standard queue's messages and what happened to them survive a restart",
          "[sqs][unit]") {
    TempDir dir;
    std::int64_t queue = 0;
    std::int64_t dlq = 0;
    std::int64_t received = 0;
    std::int64_t made_visible = 0;
    std::int64_t moved = 0;
    std::int64_t last = 0;
    {
        State state(dir);
        queue = state.create_queue("q");
        dlq = state.create_queue("dlq");
        received = state.send(queue, "received");
        made_visible = state.send(queue, "made visible");
        const auto deleted = state.send(queue, "deleted");
        moved = state.send(queue, "moved");
        last = state.send(queue, "untouched");
        auto transaction = state.database.transaction();
        auto message = *state.store.find_message(queue, received);
        state.store.mark_received(message, 50'000, 11, 1500);
        state.store.mark_received(message, 60'000, 12, 1700);  // a second receive
        state.store.set_visible_at(queue, made_visible, 70'000);
        REQUIRE(state.store.delete_received(queue, deleted, 0));
        CHECK_FALSE(state.store.delete_received(queue, received, 11));  // not its latest receive
        state.store.move_message(queue, moved, dlq, 2000, 88'000, "arn:source");
        transaction.commit();
    }
    State restarted(dir);
    const auto r = restarted.find(queue, received);
    REQUIRE(r);
    CHECK(r->body == "received");
    CHECK(r->message_id == "id-received");
    CHECK(r->visible_ms == 60'000);
    CHECK(r->nonce == 12);
    CHECK(r->receive_count == 2);
    CHECK(r->first_receive_ms == 1500);
    CHECK(r->last_receive_ms == 1700);
    CHECK(restarted.find(queue, made_visible)->visible_ms == 70'000);
    CHECK(restarted.queue_bodies(queue) == std::vector<std::string>{"untouched"});
    const auto m = restarted.find(dlq, moved);
    REQUIRE(m);
    CHECK(m->body == "moved");
    CHECK(m->visible_ms == 2000);
    CHECK(m->expires_ms == 88'000);
    CHECK(m->sent_ms == 1000);  // its original send
    CHECK(m->dead_letter_source_arn == std::optional<std::string>("arn:source"));
    CHECK_FALSE(restarted.find(queue, moved));
    CHECK(restarted.send(queue, "next") > last);  // no seq is given twice
    auto transaction = restarted.database.transaction();
    const auto counts = restarted.store.counts(queue, 10'000);
    CHECK(counts.visible == 2);  // "untouched", "next"; the other two are in flight
    CHECK(counts.not_visible == 1);
    CHECK(counts.delayed == 1);  // made visible at 70,000 without a receive: counted delayed
    CHECK(restarted.store.next_visible_after(queue, 10'000) == 60'000);
}

TEST_CASE("SqsStore: a savepoint that rolls back undoes every change to standard messages",
          "[sqs][unit]") {
    TempDir dir;
    std::int64_t queue = 0;
    std::int64_t dlq = 0;
    std::int64_t kept = 0;
    std::int64_t other = 0;
    {
        State state(dir);
        queue = state.create_queue("q");
        dlq = state.create_queue("dlq");
        kept = state.send(queue, "kept");
        other = state.send(queue, "other");
        auto batch = state.database.transaction();
        {
            auto unit = state.database.transaction();
            state.store.insert_message(message(queue, "undone"));
            state.store.mark_received(*state.store.find_message(queue, kept), 50'000, 7, 1500);
            state.store.set_visible_at(queue, kept, 80'000);
            REQUIRE(state.store.delete_message(queue, other));
            state.store.move_message(queue, kept, dlq, 2000, 3000, std::nullopt);
            state.store.purge_messages(dlq);
            state.store.create_queue(kScope, "undone", default_attributes(false), {}, 1);
            CHECK(state.store.count_messages(queue) == 1);
        }
        state.store.insert_message(message(queue, "after"));
        // Undone in memory: the batch sees what was there before the savepoint.
        const auto k = state.store.find_message(queue, kept);
        REQUIRE(k);
        CHECK(k->receive_count == 0);
        CHECK(k->visible_ms == 1000);
        CHECK(state.store.count_messages(dlq) == 0);
        batch.commit();
    }
    State restarted(dir);
    CHECK(restarted.queue_bodies(queue) == std::vector<std::string>{"kept", "other", "after"});
    CHECK(restarted.find(queue, kept)->receive_count == 0);
    CHECK(restarted.queue_bodies(dlq).empty());
}

TEST_CASE(
    "SqsStore: when the message log cannot be written, the commit fails and the message "
    "was never sent",
    "[sqs][unit]") {
    TempDir dir;
    Database database(file_in(dir, "state.db"));
    SqsStore store(database, "/dev/full");  // every write fails: the disk is full
    std::int64_t queue_id = 0;
    {
        auto transaction = database.transaction();
        queue_id = store.create_queue(kScope, "q", default_attributes(false), {}, 1).id;
        transaction.commit();
    }
    {
        auto transaction = database.transaction();
        store.insert_message(message(queue_id, "lost"));
        CHECK_THROWS_AS(transaction.commit(), StoreError);
    }
    auto transaction = database.transaction();
    CHECK(store.count_messages(queue_id) == 0);
    CHECK(store.find_queue(kScope.account_id, kScope.region, "q"));  // the rest keeps working
}

TEST_CASE("SqsStore: a failed commit of a message leaves it unsent and the store working",
          "[sqs][unit]") {
    TempDir dir;
    std::int64_t queue = 0;
    {
        State state(dir);
        queue = state.create_queue("q");
        state.send(queue, "kept");
        const auto log = file_in(dir, "sqs.log");
        const auto size = std::filesystem::file_size(log);
        {
            // A hook that runs after the log's write fails the COMMIT.
            const auto failing =
                state.database.before_every_commit([] { throw StoreError("failed"); });
            auto transaction = state.database.transaction();
            state.store.insert_message(message(queue, "lost"));
            CHECK_THROWS_AS(transaction.commit(), StoreError);
        }
        CHECK(std::filesystem::file_size(log) == size);  // the record is cut off again
        CHECK(state.queue_bodies(queue) == std::vector<std::string>{"kept"});
        state.send(queue, "next");
    }
    State restarted(dir);
    CHECK(restarted.queue_bodies(queue) == std::vector<std::string>{"kept", "next"});
}

TEST_CASE("SqsStore: a reset drops standard messages, and they do not come back", "[sqs][unit]") {
    TempDir dir;
    {
        State state(dir);
        state.send(state.create_queue("q"), "gone");
        state.database.reset();
        CHECK(std::filesystem::file_size(file_in(dir, "sqs.log")) == 0);
        state.send(state.create_queue("q"), "new");
    }
    State restarted(dir);
    CHECK(restarted.queue_bodies(restarted.queue_id("q")) == std::vector<std::string>{"new"});
}

TEST_CASE("SqsStore: a deleted queue's messages do not come back after a restart", "[sqs][unit]") {
    TempDir dir;
    std::int64_t kept = 0;
    {
        State state(dir);
        const auto gone = state.create_queue("gone");
        kept = state.create_queue("kept");
        state.send(gone, "gone");
        state.send(kept, "kept");
        auto transaction = state.database.transaction();
        state.store.delete_queue(gone);
        transaction.commit();
    }
    State restarted(dir);
    const auto again = restarted.create_queue("gone");
    CHECK(restarted.queue_bodies(again).empty());
    CHECK(restarted.queue_bodies(kept) == std::vector<std::string>{"kept"});
}

TEST_CASE("SqsStore: the message log is rewritten once most of it is dead, and reads the same",
          "[sqs][unit]") {
    TempDir dir;
    const auto log = file_in(dir, "sqs.log");
    std::int64_t queue = 0;
    std::int64_t live = 0;
    {
        State state(dir);
        queue = state.create_queue("q");
        live = state.send(queue, "live");
        {
            auto transaction = state.database.transaction();
            state.store.mark_received(*state.store.find_message(queue, live), 50'000, 5, 1200);
            transaction.commit();
        }
        const std::string big(64 * 1024, 'b');
        std::vector<std::int64_t> dead;
        for (int i = 0; i < 70; ++i) {  // 4.5 MB
            dead.push_back(state.send(queue, big + std::to_string(i)));
        }
        const auto before = std::filesystem::file_size(log);
        REQUIRE(before > 4 * 1024 * 1024);
        {
            auto transaction = state.database.transaction();
            for (const auto seq : dead) {
                REQUIRE(state.store.delete_message(queue, seq));
            }
            transaction.commit();
        }  // rewritten once the transaction is closed
        CHECK(std::filesystem::file_size(log) < 1024);
        const auto m = state.find(queue, live);
        REQUIRE(m);
        CHECK(m->body == "live");
        CHECK(m->nonce == 5);
        state.send(queue, "after");
    }
    State restarted(dir);
    const auto m = restarted.find(queue, live);
    REQUIRE(m);
    CHECK(m->body == "live");
    CHECK(m->receive_count == 1);
    CHECK(m->visible_ms == 50'000);
    CHECK(m->first_receive_ms == 1200);
    CHECK(restarted.queue_bodies(queue) == std::vector<std::string>{"after"});  // "live" is out
}

TEST_CASE("SqsStore: standard messages an earlier version kept in rows move to the log",
          "[sqs][unit]") {
    TempDir dir;
    std::int64_t queue = 0;
    std::int64_t fifo = 0;
    {
        State state(dir);
        queue = state.create_queue("q");
        fifo = state.create_queue("q.fifo");
        auto transaction = state.database.transaction();
        for (const auto& [id, body] : {std::pair{queue, "row"}, std::pair{fifo, "fifo row"}}) {
            state.database.execute(
                "INSERT INTO sqs_messages (seq, queue_id, message_id, body, body_md5, attributes, "
                "system_attributes, sent_ms, visible_ms, expires_ms, receive_count, nonce, "
                "sender_id) VALUES (?, ?, 'id', ?, 'md5', '', '', 1000, 1000, 99000, 2, 9, 's')",
                id == queue ? 200 : 101, id, std::string(body));  // the standard row's seq highest
        }
        transaction.commit();
    }
    State restarted(dir);
    CHECK(restarted.queue_bodies(queue) == std::vector<std::string>{"row"});
    CHECK(restarted.find(queue, 200)->receive_count == 2);
    CHECK(restarted.queue_bodies(fifo) == std::vector<std::string>{"fifo row"});
    auto transaction = restarted.database.transaction();
    auto rows = restarted.database.query("SELECT COUNT(*) FROM sqs_messages");
    rows.next();
    CHECK(rows.integer(0) == 1);                                          // the FIFO queue's alone
    CHECK(restarted.store.insert_message(message(queue, "next")) > 200);  // no seq given twice
}

TEST_CASE("SqsStore moves messages between a standard and a FIFO queue both ways", "[sqs][unit]") {
    TempDir dir;
    State state(dir);
    const auto standard = state.create_queue("q");
    const auto fifo = state.create_queue("q.fifo");
    const auto seq = state.send(standard, "traveller");
    {
        auto transaction = state.database.transaction();
        state.store.move_message(standard, seq, fifo, 2000, 9000, "arn:a");
        transaction.commit();
    }
    CHECK(state.queue_bodies(standard).empty());
    const auto in_fifo = state.find(fifo, seq);
    REQUIRE(in_fifo);
    CHECK(in_fifo->body == "traveller");
    CHECK(in_fifo->dead_letter_source_arn == std::optional<std::string>("arn:a"));
    {
        auto transaction = state.database.transaction();
        state.store.move_message(fifo, seq, standard, 3000, 9000, std::nullopt);
        transaction.commit();
    }
    CHECK(state.queue_bodies(fifo).empty());
    const auto back = state.find(standard, seq);
    REQUIRE(back);
    CHECK(back->visible_ms == 3000);
    CHECK_FALSE(back->dead_letter_source_arn);
}

TEST_CASE(
    "SqsStore: messages of a queue whose creation never committed do not reach a queue given "
    "its id later",
    "[sqs][unit]") {
    TempDir dir;
    const auto log = file_in(dir, "sqs.log");
    const auto written = file_in(dir, "written.log");
    std::int64_t lost_id = 0;
    {
        State state(dir);
        state.create_queue("kept");
        // Killed after the log's write and before the COMMIT: the log holds the message, the
        // database not the queue (the copy is taken between the two, then put back).
        const auto killed = state.database.before_every_commit([&] {
            std::filesystem::copy_file(log, written);
            throw StoreError("killed");
        });
        auto transaction = state.database.transaction();
        lost_id = state.store.create_queue(kScope, "lost", default_attributes(false), {}, 1).id;
        state.store.insert_message(message(lost_id, "orphan"));
        CHECK_THROWS_AS(transaction.commit(), StoreError);
    }
    std::filesystem::copy_file(written, log, std::filesystem::copy_options::overwrite_existing);
    {
        State restarted(dir);
        CHECK(restarted.create_queue("again") == lost_id);  // SQLite gives the id again
        CHECK(restarted.queue_bodies(lost_id).empty());
    }
    State restarted(dir);
    CHECK(restarted.queue_bodies(lost_id).empty());
}
