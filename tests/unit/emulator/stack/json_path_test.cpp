#include "emulator/stack/json_path.hpp"

#include <catch2/catch.hpp>

using awsemu::stack::as_text;
using awsemu::stack::select_all;
using awsemu::stack::select_one;
using nlohmann::json;

namespace {

const json kDocument = json::parse(R"({
  "DBInstances": [{"Endpoint": {"Address": "127.0.0.1", "Port": 5432}}],
  "load_balancers": [
    {"name": "other", "listeners": [{"port": 80, "url": "http://127.0.0.1:1"}]},
    {"name": "web.demo", "listeners": [{"port": 443, "url": "https://127.0.0.1:3"},
                                       {"port": 80, "url": "http://127.0.0.1:2"}]}],
  "services": [{"runningCount": 2}, {"runningCount": 1}]
})");

}  // namespace

TEST_CASE("Json path reads members and array elements by index", "[stack][unit]") {
    REQUIRE(select_one(kDocument, "DBInstances.0.Endpoint.Port") != nullptr);
    CHECK(*select_one(kDocument, "DBInstances.0.Endpoint.Port") == 5432);
    CHECK(*select_one(kDocument, "DBInstances.0.Endpoint.Address") == "127.0.0.1");
    CHECK(select_one(kDocument, "DBInstances.1.Endpoint") == nullptr);
    CHECK(select_one(kDocument, "DBInstances.x") == nullptr);
    CHECK(select_one(kDocument, "Nothing") == nullptr);
    CHECK(select_one(kDocument, "DBInstances.0.Endpoint.Port.deeper") == nullptr);
}

TEST_CASE("Json path selectors pick the elements whose member has the value, dots and all",
          "[stack][unit]") {
    const auto on_port_80 = select_all(kDocument, "load_balancers.*.listeners.[port=80].url");
    REQUIRE(on_port_80.size() == 2);
    CHECK(*on_port_80[1] == "http://127.0.0.1:2");
    const json health = json::parse(R"([{"Id": "a", "Health": {"State": "healthy"}},
        {"Id": "b", "Health": {"State": "draining"}}, {"Id": "c", "Health": {"State": "healthy"}}])");
    const auto healthy = select_all(health, "[Health.State=healthy].Id");
    REQUIRE(healthy.size() == 2);
    CHECK(*healthy[0] == "a");
    CHECK(*healthy[1] == "c");
    CHECK(*select_one(health, "[Health.State=draining].Id") == "b");
    CHECK(*select_one(kDocument, "load_balancers.[name=web.demo].listeners.[port=80].url") ==
          "http://127.0.0.1:2");
    CHECK(*select_one(kDocument, "load_balancers.[name=other].listeners.[port=80].url") ==
          "http://127.0.0.1:1");
    CHECK(select_one(kDocument, "load_balancers.[name=missing].listeners") == nullptr);
    CHECK(select_one(kDocument, "DBInstances.0.[a=b]") == nullptr);  // not an array
}

TEST_CASE("Json path star reaches every element", "[stack][unit]") {
    const auto counts = select_all(kDocument, "services.*.runningCount");
    REQUIRE(counts.size() == 2);
    CHECK(*counts[0] == 2);
    CHECK(*counts[1] == 1);
    CHECK(select_all(kDocument, "DBInstances.0.*").empty());  // an object has no elements
}

TEST_CASE("Json path refuses malformed paths", "[stack][unit]") {
    CHECK_THROWS_AS(select_all(kDocument, "a.[b"), std::invalid_argument);
    CHECK_THROWS_AS(select_all(kDocument, "a.[b=c]x"), std::invalid_argument);
    CHECK_THROWS_AS(select_all(kDocument, "a."), std::invalid_argument);
    CHECK_THROWS_AS(select_all(kDocument, ".a"), std::invalid_argument);
    CHECK_THROWS_AS(select_all(kDocument, "a..b"), std::invalid_argument);
    CHECK_THROWS_AS(select_all(kDocument, ""), std::invalid_argument);
    CHECK_THROWS_AS(select_all(kDocument, "load_balancers.[name]"), std::invalid_argument);
    CHECK_THROWS_AS(select_all(kDocument, "load_balancers.[=x]"), std::invalid_argument);
}

TEST_CASE("Json path writes scalars as text", "[stack][unit]") {
    CHECK(as_text(json("abc")) == "abc");
    CHECK(as_text(json(5432)) == "5432");
    CHECK(as_text(json(true)) == "true");
}
