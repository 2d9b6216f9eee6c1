#include "services/logs/logs_store.hpp"

#include <limits>

#include <catch2/catch.hpp>

using namespace awsemu;
using namespace awsemu::logs;

namespace {

struct StoreFixture {
    Database database{":memory:"};
    LogsStore store{database};
    Scope scope{"123456789012", "us-east-1"};
    Scope other{"123456789012", "eu-west-1"};

    void group(const Scope& where, const std::string& name) {
        LogGroup g;
        g.name = name;
        g.created_ms = 1;
        REQUIRE(store.insert_group(where, g));
    }
    void stream(const Scope& where, const std::string& group, const std::string& name) {
        LogStream s;
        s.name = name;
        s.created_ms = 2;
        REQUIRE(store.insert_stream(where, group, s));
    }
};

std::vector<std::string> texts(const std::vector<LogEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        out.push_back(e.message);
    }
    return out;
}

}  // namespace

TEST_CASE("Logs store: events by stream and group, in (timestamp, id) order, per scope",
          "[logs][unit]") {
    StoreFixture f;
    auto transaction = f.database.transaction();
    f.group(f.scope, "g");
    f.group(f.other, "g");
    f.stream(f.scope, "g", "a");
    f.stream(f.scope, "g", "b");
    f.stream(f.other, "g", "a");
    CHECK_FALSE(f.store.insert_group(f.scope, LogGroup{"g", 5, {}, {}, "STANDARD", 0}));

    const std::vector<NewEvent> a = {{10, "a10"}, {20, "a20"}, {20, "a20bis"}, {30, "a30"}};
    const std::int64_t last = f.store.append_events(f.scope, "g", "a", a, 0, a.size(), 99);
    const std::vector<NewEvent> b = {{15, "b15"}, {25, "b25"}};
    f.store.append_events(f.scope, "g", "b", b, 0, b.size(), 100);
    const std::vector<NewEvent> elsewhere = {{10, "other region"}};
    f.store.append_events(f.other, "g", "a", elsewhere, 0, 1, 100);

    const auto stream = f.store.find_stream(f.scope, "g", "a");
    REQUIRE(stream);
    CHECK(stream->first_event_ms == 10);
    CHECK(stream->last_event_ms == 30);
    CHECK(stream->last_ingestion_ms == 99);
    CHECK(stream->last_sequence == last);
    CHECK(f.store.find_group(f.scope, "g")->stored_bytes == 3 + 3 + 6 + 3 + 3 + 3);

    CHECK(texts(f.store.stream_events_after(f.scope, "g", "a", Position{0, 0},
                                            std::numeric_limits<std::int64_t>::max(), 10)) ==
          std::vector<std::string>{"a10", "a20", "a20bis", "a30"});
    const auto first_two = f.store.stream_events_after(f.scope, "g", "a", Position{0, 0}, 100, 2);
    CHECK(texts(f.store.stream_events_after(
              f.scope, "g", "a", Position{first_two[1].timestamp_ms, first_two[1].id}, 100, 10)) ==
          std::vector<std::string>{"a20bis", "a30"});
    CHECK(texts(f.store.stream_events_before(f.scope, "g", "a", Position{30, 0}, 15, 10)) ==
          std::vector<std::string>{"a20bis", "a20"});
    CHECK(texts(f.store.group_events_after(f.scope, "g", Position{0, 0}, 26, 10)) ==
          std::vector<std::string>{"a10", "b15", "a20", "a20bis", "b25"});

    // Retention: everything before 20 goes, and the group's byte count with it.
    CHECK(f.store.delete_events_before(f.scope, "g", 20) == 2);
    CHECK(f.store.find_group(f.scope, "g")->stored_bytes == 3 + 6 + 3 + 3);
    CHECK(f.store.groups_with_retention().empty());
    f.store.set_retention(f.scope, "g", 7);
    const auto retained = f.store.groups_with_retention();
    REQUIRE(retained.size() == 1);
    CHECK(retained[0].scope.region == "us-east-1");
    CHECK(retained[0].retention_days == 7);

    // Streams by last event time, paged by (time, name).
    const auto by_time = f.store.list_streams_by_time(f.scope, "g", std::nullopt, false, 1);
    REQUIRE(by_time.size() == 1);
    CHECK(by_time[0].name == "b");
    const auto next = f.store.list_streams_by_time(
        f.scope, "g", std::make_pair(*by_time[0].last_event_ms, by_time[0].name), false, 5);
    REQUIRE(next.size() == 1);
    CHECK(next[0].name == "a");

    f.store.delete_group(f.scope, "g");
    CHECK_FALSE(f.store.find_group(f.scope, "g"));
    CHECK(f.store.group_events_after(f.scope, "g", Position{0, 0}, 1000, 10).empty());
    CHECK(texts(f.store.group_events_after(f.other, "g", Position{0, 0}, 1000, 10)) ==
          std::vector<std::string>{"other region"});
    transaction.commit();
}

TEST_CASE("Logs store: tags per group", "[logs][unit]") {
    StoreFixture f;
    auto transaction = f.database.transaction();
    f.group(f.scope, "g");
    f.store.put_tag(f.scope, "g", "b", "2");
    f.store.put_tag(f.scope, "g", "a", "1");
    f.store.put_tag(f.scope, "g", "a", "one");
    using Tags = std::vector<std::pair<std::string, std::string>>;
    CHECK(f.store.tags(f.scope, "g") == Tags{{"a", "one"}, {"b", "2"}});
    f.store.remove_tag(f.scope, "g", "a");
    CHECK(f.store.tags(f.scope, "g") == Tags{{"b", "2"}});
    CHECK(f.store.tags(f.other, "g").empty());
    transaction.commit();
}
