#include "services/sqs/message_log.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

#include "emulator/store/database.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace awsemu;
using namespace awsemu::sqs;
using awsemu::testing::TempDir;
using Kind = MessageChange::Kind;

namespace {

StoredMessage full_message() {
    StoredMessage m;
    m.seq = 7;
    m.queue_id = 3;
    m.message_id = "id-7";
    m.body = std::string("bin\0ary", 7);
    m.body_md5 = "md5";
    m.attributes = R"({"a":{"DataType":"String","StringValue":"x"}})";
    m.system_attributes = R"({"AWSTraceHeader":{"DataType":"String"}})";
    m.sent_ms = 1000;
    m.visible_ms = 2000;
    m.expires_ms = 99000;
    m.receive_count = 2;
    m.first_receive_ms = 1500;
    m.last_receive_ms = 1900;
    m.nonce = -42;
    m.group_id = "g";
    m.dedup_id = "d";
    m.sender_id = "123456789012";
    m.dead_letter_source_arn = "arn:aws:sqs:us-east-1:123456789012:source";
    return m;
}

void check_same(const StoredMessage& a, const StoredMessage& b) {
    CHECK(a.seq == b.seq);
    CHECK(a.queue_id == b.queue_id);
    CHECK(a.message_id == b.message_id);
    CHECK(a.body == b.body);
    CHECK(a.body_md5 == b.body_md5);
    CHECK(a.attributes == b.attributes);
    CHECK(a.system_attributes == b.system_attributes);
    CHECK(a.sent_ms == b.sent_ms);
    CHECK(a.visible_ms == b.visible_ms);
    CHECK(a.expires_ms == b.expires_ms);
    CHECK(a.receive_count == b.receive_count);
    CHECK(a.first_receive_ms == b.first_receive_ms);
    CHECK(a.last_receive_ms == b.last_receive_ms);
    CHECK(a.nonce == b.nonce);
    CHECK(a.group_id == b.group_id);
    CHECK(a.dedup_id == b.dedup_id);
    CHECK(a.sender_id == b.sender_id);
    CHECK(a.dead_letter_source_arn == b.dead_letter_source_arn);
}

struct Replayed {
    std::vector<MessageChange> changes;
    std::vector<std::uint64_t> offsets;
};

Replayed replay(MessageLog& log) {
    Replayed replayed;
    log.replay([&](const MessageChange& change, std::uint64_t offset, std::uint32_t) {
        replayed.changes.push_back(change);
        replayed.offsets.push_back(offset);
    });
    return replayed;
}

}  // namespace

TEST_CASE("MessageLog reads back every kind of record, every field, and nothing cut short",
          "[sqs][unit]") {
    TempDir dir;
    const std::string path = (dir.path() / "log").string();
    const StoredMessage full = full_message();
    StoredMessage plain;
    plain.seq = 8;
    plain.queue_id = 3;
    plain.body = "plain";
    MessageChange received{Kind::received, {}};
    received.message.seq = 7;
    received.message.visible_ms = 5000;
    received.message.nonce = 99;
    received.message.receive_count = 3;
    received.message.first_receive_ms = 1500;
    received.message.last_receive_ms = 4000;
    MessageChange moved{Kind::moved, {}};
    moved.message.seq = 8;
    moved.message.queue_id = 4;
    moved.message.visible_ms = 6000;
    moved.message.expires_ms = 7000;
    moved.message.dead_letter_source_arn = "arn:source";
    MessageChange visible{Kind::visible, {}};
    visible.message.seq = 7;
    visible.message.visible_ms = 8000;
    MessageChange deleted{Kind::deleted, {}};
    deleted.message.seq = 7;
    MessageChange purged{Kind::purged, {}};
    purged.message.queue_id = 4;
    std::uint64_t full_offset = 0;
    std::uint64_t plain_offset = 0;
    {
        MessageLog log(path);
        full_offset = log.append_message(full).first;
        plain_offset = log.append_message(plain).first;
        check_same(log.read(full_offset), full);  // unwritten yet: read from what was appended
        for (const auto* change : {&received, &moved, &visible, &deleted, &purged}) {
            log.append_change(*change);
        }
        CHECK(replay(log).changes.empty());  // appended, not written
        log.write();
        check_same(log.read(full_offset), full);  // now from the file
        CHECK(log.read(plain_offset).body == "plain");
        CHECK_THROWS_AS(log.read(plain_offset + 1), StoreError);
    }
    const std::uintmax_t whole = std::filesystem::file_size(path);
    {
        MessageLog log(path);
        const auto replayed = replay(log);
        REQUIRE(replayed.changes.size() == 7);
        CHECK(replayed.offsets[0] == full_offset);
        CHECK(replayed.offsets[1] == plain_offset);
        check_same(replayed.changes[0].message, full);
        CHECK(replayed.changes[1].message.body == "plain");
        CHECK_FALSE(replayed.changes[1].message.group_id);
        CHECK_FALSE(replayed.changes[1].message.first_receive_ms);
        const auto& r = replayed.changes[2];
        CHECK(r.kind == Kind::received);
        CHECK((r.message.seq == 7 && r.message.visible_ms == 5000 && r.message.nonce == 99));
        CHECK((r.message.receive_count == 3 && r.message.first_receive_ms == 1500 &&
               r.message.last_receive_ms == 4000));
        const auto& m = replayed.changes[3];
        CHECK(m.kind == Kind::moved);
        CHECK((m.message.seq == 8 && m.message.queue_id == 4 && m.message.visible_ms == 6000 &&
               m.message.expires_ms == 7000));
        CHECK(m.message.dead_letter_source_arn == std::optional<std::string>("arn:source"));
        CHECK((replayed.changes[4].kind == Kind::visible &&
               replayed.changes[4].message.visible_ms == 8000));
        CHECK((replayed.changes[5].kind == Kind::deleted && replayed.changes[5].message.seq == 7));
        CHECK((replayed.changes[6].kind == Kind::purged &&
               replayed.changes[6].message.queue_id == 4));
    }
    // A write cut short leaves part of a record at the end: it never happened, and what is
    // written next follows the last whole record.
    std::filesystem::resize_file(path, whole - 3);
    {
        MessageLog log(path);
        CHECK(replay(log).changes.size() == 6);
        log.append_change(deleted);
        log.write();
    }
    MessageLog log(path);
    const auto replayed = replay(log);
    REQUIRE(replayed.changes.size() == 7);
    CHECK(replayed.changes[6].kind == Kind::deleted);
}

TEST_CASE("MessageLog drops what a rolled-back savepoint appended, and cuts a failed commit's",
          "[sqs][unit]") {
    TempDir dir;
    const std::string path = (dir.path() / "log").string();
    MessageLog log(path);
    StoredMessage kept;
    kept.seq = 1;
    kept.body = "kept";
    log.append_message(kept);
    const std::size_t mark = log.unwritten_size();
    StoredMessage undone = kept;
    undone.seq = 2;
    undone.body = "undone";
    log.append_message(undone);
    log.drop_unwritten_from(mark);
    log.write();
    const std::uint64_t committed = log.size();
    StoredMessage failed = kept;
    failed.seq = 3;
    log.append_message(failed);
    log.write();
    log.cut_to(committed);  // its COMMIT failed
    CHECK(std::filesystem::file_size(path) == committed);
    const auto replayed = replay(log);
    REQUIRE(replayed.changes.size() == 1);
    CHECK(replayed.changes[0].message.body == "kept");
}

TEST_CASE("MessageLog::rewrite replaces the file with the given messages", "[sqs][unit]") {
    TempDir dir;
    const std::string path = (dir.path() / "log").string();
    for (const bool in_memory : {false, true}) {
        INFO(in_memory);
        MessageLog log(in_memory ? std::string() : path);
        StoredMessage old;
        old.seq = 1;
        old.body = std::string(10000, 'x');
        log.append_message(old);
        log.write();
        const StoredMessage full = full_message();
        StoredMessage other;
        other.seq = 9;
        other.body = "other";
        const auto offsets = log.rewrite({full, other});
        REQUIRE(offsets.size() == 2);
        CHECK(offsets[0] == 0);
        check_same(log.read(offsets[0]), full);
        CHECK(log.read(offsets[1]).body == "other");
        CHECK(log.size() < 1000);
        const auto replayed = replay(log);
        REQUIRE(replayed.changes.size() == 2);
        CHECK(replayed.changes[1].message.seq == 9);
        if (!in_memory) {
            CHECK(std::filesystem::file_size(path) == log.size());
            CHECK_FALSE(std::filesystem::exists(path + ".new"));
        }
        log.rewrite({});
        CHECK(log.size() == 0);
    }
}

TEST_CASE("MessageLog replays a log larger than what it reads at a time", "[sqs][unit]") {
    TempDir dir;
    const std::string path = (dir.path() / "log").string();
    // Records that cross the 4 MB chunks' ends, and one longer than a chunk.
    std::vector<std::size_t> sizes = {3'000'000, 3'000'000, 9'000'000, 10, 2'500'000};
    {
        MessageLog log(path);
        for (std::size_t i = 0; i < sizes.size(); ++i) {
            StoredMessage m;
            m.seq = static_cast<std::int64_t>(i + 1);
            m.body = std::string(sizes[i], static_cast<char>('a' + i));
            log.append_message(m);
            log.write();
        }
    }
    const auto written = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, written - 1);  // a torn end
    MessageLog log(path);
    const auto replayed = replay(log);
    REQUIRE(replayed.changes.size() == sizes.size() - 1);
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        CHECK(replayed.changes[i].message.seq == static_cast<std::int64_t>(i + 1));
        CHECK(replayed.changes[i].message.body ==
              std::string(sizes[i], static_cast<char>('a' + i)));
    }
    CHECK(log.size() < written - 2'500'000);  // the torn record is cut off
    CHECK(log.size() > replayed.offsets.back());
    CHECK(std::filesystem::file_size(path) == log.size());
}
