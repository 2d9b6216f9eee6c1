#include "services/sqs/message_journal.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "emulator/store/database.hpp"
#include "services/sqs/sqs_model.hpp"
#include "services/sqs/sqs_store.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace awsemu;
using namespace awsemu::sqs;
using awsemu::testing::TempDir;

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

// A state directory's database and journal, opened the way a (re)started server opens them.
struct State {
    explicit State(const TempDir& dir)
        : database(file_in(dir, "state.db")), store(database, file_in(dir, "sqs.journal")) {}

    std::int64_t create_queue(const std::string& name) {
        auto transaction = database.transaction();
        const auto id = store.create_queue(kScope, name, default_attributes(false), {}, 1).id;
        transaction.commit();
        return id;
    }
    // Journals `body` in a committed transaction of its own, as a SendMessage does.
    std::int64_t send(std::int64_t queue_id, const std::string& body) {
        auto transaction = database.transaction();
        const auto seq = store.journal_message(message(queue_id, body));
        transaction.commit();
        return seq;
    }
    std::vector<std::string> queue_bodies(std::int64_t queue_id) {
        auto transaction = database.transaction();
        return bodies(store.ready_messages(queue_id, 2000, 1000));
    }

    Database database;
    SqsStore store;
};

}  // namespace

TEST_CASE("MessageJournal reads back what it wrote, every field, and nothing cut short",
          "[sqs][unit]") {
    TempDir dir;
    const std::string path = file_in(dir, "journal");
    StoredMessage plain = message(3, "plain");
    plain.seq = 7;
    plain.attributes = R"({"a":{"DataType":"String","StringValue":"x"}})";
    plain.system_attributes = R"({"AWSTraceHeader":{"DataType":"String"}})";
    StoredMessage grouped = message(4, std::string("bin\0ary", 7));
    grouped.seq = 8;
    grouped.group_id = "g";
    grouped.dedup_id = "d";
    {
        MessageJournal journal(path);
        journal.append(plain);
        journal.append(grouped);
        CHECK(journal.recover().empty());  // appended, not written
        journal.write();
    }
    std::uintmax_t whole = std::filesystem::file_size(path);
    {
        MessageJournal journal(path);
        const auto read = journal.recover();
        REQUIRE(read.size() == 2);
        CHECK(read[0].seq == 7);
        CHECK(read[0].queue_id == 3);
        CHECK(read[0].message_id == "id-plain");
        CHECK(read[0].body_md5 == "md5-plain");
        CHECK(read[0].attributes == plain.attributes);
        CHECK(read[0].system_attributes == plain.system_attributes);
        CHECK(read[0].sender_id == "123456789012");
        CHECK(read[0].sent_ms == 1000);
        CHECK(read[0].visible_ms == 1000);
        CHECK(read[0].expires_ms == 99000);
        CHECK_FALSE(read[0].group_id);
        CHECK_FALSE(read[0].dedup_id);
        CHECK(read[1].body == std::string("bin\0ary", 7));
        CHECK(read[1].group_id == std::optional<std::string>("g"));
        CHECK(read[1].dedup_id == std::optional<std::string>("d"));
    }
    // A write cut short leaves part of a record at the end: it is not a message, and what is
    // written next follows the last whole record.
    std::filesystem::resize_file(path, whole - 3);
    {
        MessageJournal journal(path);
        CHECK(bodies(journal.recover()) == std::vector<std::string>{"plain"});
        StoredMessage next = message(3, "next");
        next.seq = 9;
        journal.append(next);
        journal.write();
    }
    {
        MessageJournal journal(path);
        CHECK(bodies(journal.recover()) == std::vector<std::string>{"plain", "next"});
        journal.clear();
        CHECK(journal.recover().empty());
    }
    CHECK(std::filesystem::file_size(path) == 0);
}

TEST_CASE("SqsStore: journaled messages that are not rows yet become rows after a restart",
          "[sqs][unit]") {
    TempDir dir;
    std::int64_t queue_id = 0;
    std::int64_t last_seq = 0;
    {
        State state(dir);
        queue_id = state.create_queue("q");
        state.send(queue_id, "one");
        state.send(queue_id, "two");
        // A row at once, after them: the journal's messages are not rows even so.
        const auto other = state.create_queue("other");
        auto transaction = state.database.transaction();
        last_seq = state.store.insert_message(message(other, "fifo"));
        transaction.commit();
        // Not rows yet: the journal holds them (a kill now would leave exactly this).
        CHECK(std::filesystem::file_size(file_in(dir, "sqs.journal")) > 0);
    }
    State restarted(dir);
    CHECK(restarted.queue_bodies(queue_id) == std::vector<std::string>{"one", "two"});
    CHECK(restarted.send(queue_id, "three") > last_seq);  // no seq is given twice
    CHECK(restarted.queue_bodies(queue_id) == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE(
    "SqsStore: a message that became a row and was deleted does not come back from the "
    "journal",
    "[sqs][unit]") {
    TempDir dir;
    const std::string journal = file_in(dir, "sqs.journal");
    const std::string kept_journal = file_in(dir, "kept.journal");
    std::int64_t queue_id = 0;
    {
        State state(dir);
        queue_id = state.create_queue("q");
        const auto gone = state.send(queue_id, "gone");
        state.send(queue_id, "kept");
        std::filesystem::copy_file(journal, kept_journal);
        {
            auto transaction = state.database.transaction();
            // Deleting makes every waiting message a row first.
            REQUIRE(state.store.delete_message(queue_id, gone));
            transaction.commit();
        }
        CHECK(std::filesystem::file_size(journal) == 0);  // emptied after that commit
    }
    // As if killed between that commit and emptying the journal: it holds both messages.
    std::filesystem::copy_file(kept_journal, journal,
                               std::filesystem::copy_options::overwrite_existing);
    State restarted(dir);
    CHECK(restarted.queue_bodies(queue_id) == std::vector<std::string>{"kept"});
}

TEST_CASE("SqsStore: messages made rows in a savepoint that rolls back wait again", "[sqs][unit]") {
    TempDir dir;
    State state(dir);
    const auto queue_id = state.create_queue("q");
    state.send(queue_id, "one");
    {
        auto batch = state.database.transaction();
        {
            auto unit = state.database.transaction();
            REQUIRE(state.store.count_messages(queue_id) == 1);  // made a row here
        }                                                        // rolled back: the row is gone
        state.store.journal_message(message(queue_id, "two"));
        batch.commit();
    }
    CHECK(state.queue_bodies(queue_id) == std::vector<std::string>{"one", "two"});
}

TEST_CASE("SqsStore: a message journaled in a savepoint that rolls back was never sent",
          "[sqs][unit]") {
    TempDir dir;
    std::int64_t queue_id = 0;
    {
        State state(dir);
        queue_id = state.create_queue("q");
        auto batch = state.database.transaction();
        state.store.journal_message(message(queue_id, "kept"));
        {
            auto unit = state.database.transaction();
            state.store.journal_message(message(queue_id, "undone"));
        }
        {
            // Made a row by a reader, then the reader's savepoint rolls back too.
            auto unit = state.database.transaction();
            state.store.journal_message(message(queue_id, "undone too"));
            REQUIRE(state.store.count_messages(queue_id) == 2);
        }
        batch.commit();
    }
    State restarted(dir);
    CHECK(restarted.queue_bodies(queue_id) == std::vector<std::string>{"kept"});
}

TEST_CASE("SqsStore: enough waiting messages become rows at a commit, and the journal empties",
          "[sqs][unit]") {
    TempDir dir;
    State state(dir);
    const auto queue_id = state.create_queue("q");
    const std::string journal = file_in(dir, "sqs.journal");
    int sent = 0;
    while (std::filesystem::file_size(journal) > 0 || sent == 0) {
        state.send(queue_id, std::to_string(sent++));
        REQUIRE(sent <= 10000);
    }
    CHECK(sent > 1);
    auto transaction = state.database.transaction();
    CHECK(state.store.count_messages(queue_id) == sent);
}

TEST_CASE("SqsStore: waiting messages become rows with every field, however many wait",
          "[sqs][unit]") {
    TempDir dir;
    State state(dir);
    const auto queue_id = state.create_queue("q");
    // 70: two INSERTs of several rows and six of one.
    std::vector<StoredMessage> sent;
    for (int i = 0; i < 70; ++i) {
        StoredMessage m = message(queue_id, "body " + std::to_string(i));
        m.attributes = "{\"n\":" + std::to_string(i) + "}";
        m.system_attributes = "system " + std::to_string(i);
        m.sent_ms = 1000 + i;
        m.visible_ms = 1000 + i;
        m.expires_ms = 99000 + i;
        if (i % 2 == 1) {
            m.dead_letter_source_arn =
                "arn:aws:sqs:us-east-1:123456789012:source" + std::to_string(i);
        }
        auto transaction = state.database.transaction();
        m.seq = state.store.journal_message(m);
        transaction.commit();
        sent.push_back(m);
    }
    auto transaction = state.database.transaction();
    const auto rows = state.store.ready_messages(queue_id, 2000, 1000);  // makes them rows
    REQUIRE(rows.size() == sent.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO(i);
        CHECK(rows[i].seq == sent[i].seq);
        CHECK(rows[i].message_id == sent[i].message_id);
        CHECK(rows[i].body == sent[i].body);
        CHECK(rows[i].body_md5 == sent[i].body_md5);
        CHECK(rows[i].attributes == sent[i].attributes);
        CHECK(rows[i].system_attributes == sent[i].system_attributes);
        CHECK(rows[i].sent_ms == sent[i].sent_ms);
        CHECK(rows[i].visible_ms == sent[i].visible_ms);
        CHECK(rows[i].expires_ms == sent[i].expires_ms);
        CHECK(rows[i].sender_id == sent[i].sender_id);
        CHECK(rows[i].dead_letter_source_arn == sent[i].dead_letter_source_arn);
        CHECK_FALSE(rows[i].group_id);
    }
}

TEST_CASE("SqsStore: a reset drops the messages waiting in the journal", "[sqs][unit]") {
    TempDir dir;
    std::int64_t queue_id = 0;
    {
        State state(dir);
        queue_id = state.create_queue("q");
        state.send(queue_id, "one");
        state.database.reset();
    }
    {
        State restarted(dir);  // right after the reset: nothing comes back
        queue_id = restarted.create_queue("q");
        CHECK(restarted.queue_bodies(queue_id).empty());
    }
    {
        State state(dir);
        state.send(queue_id, "zero");
        state.database.reset();
        const auto again = state.create_queue("q");
        state.send(again, "two");
        CHECK(state.queue_bodies(again) == std::vector<std::string>{"two"});
        queue_id = again;
    }
    State restarted(dir);
    CHECK(restarted.queue_bodies(queue_id) == std::vector<std::string>{"two"});
}

TEST_CASE(
    "SqsStore: when the journal cannot be written, the commit fails and the message was "
    "never sent",
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
        store.journal_message(message(queue_id, "lost"));
        CHECK_THROWS_AS(transaction.commit(), StoreError);
    }
    auto transaction = database.transaction();
    CHECK(store.count_messages(queue_id) == 0);
    CHECK(store.find_queue(kScope.account_id, kScope.region, "q"));  // the rest keeps working
}
