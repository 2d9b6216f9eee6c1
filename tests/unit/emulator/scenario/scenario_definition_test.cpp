#include "emulator/scenario/scenario_definition.hpp"

#include <catch2/catch.hpp>

#include "emulator/stack/stack_template.hpp"

using namespace awsemu::scenario;
using awsemu::stack::StackError;

namespace {

std::string failure(const std::string& text) {
    try {
        parse_scenario(text, "s.json", "/scenarios");
    } catch (const StackError& error) {
        return error.what();
    }
    FAIL("expected a StackError for " << text);
    return "";
}

std::string with(const std::string& members) {
    return R"({"name": "n", "stack": "../stack.json", "load": {"url": "http://x/"})" + members +
           "}";
}

}  // namespace

TEST_CASE("Scenario file parses the stack, load, faults in time order and expectations",
          "[scenario][unit]") {
    const auto scenario = parse_scenario(R"({"name": "zone-loss", "description": "d",
        "stack": "../fixtures/web-demo/stack.json",
        "load": {"method": "POST", "url": "${status.x}/api", "requests_per_second": 20},
        "duration_seconds": 20,
        "faults": [{"at_seconds": 15, "restore_zone": "us-east-1a"},
                   {"at_seconds": 5.5, "lose_zone": "us-east-1a"}],
        "expect": {"max_error_rate": 0.05, "max_outage_seconds": 3}})",
                                         "zone-loss.json", "/work/scenarios");
    CHECK(scenario.name == "zone-loss");
    CHECK(scenario.stack_file == "/work/fixtures/web-demo/stack.json");
    CHECK(scenario.method == "POST");
    CHECK(scenario.url == "${status.x}/api");
    CHECK(scenario.requests_per_second == 20);
    CHECK(scenario.duration == std::chrono::seconds(20));
    REQUIRE(scenario.faults.size() == 2);
    CHECK(scenario.faults[0].at == std::chrono::milliseconds(5500));
    CHECK(scenario.faults[0].action == "lose_zone");
    CHECK(scenario.faults[1].action == "restore_zone");
    CHECK(scenario.faults[1].zone == "us-east-1a");
    CHECK(scenario.expect.max_error_rate == 0.05);
    CHECK(scenario.expect.max_outage_seconds == 3);
    CHECK(request_count(scenario) == 400);
    const auto defaults = parse_scenario(with(""), "x", "/d");
    CHECK(defaults.stack_file == "/stack.json");
    CHECK(defaults.method == "GET");
    CHECK(!defaults.expect.max_error_rate);
    CHECK(request_count(defaults) == 300);  // 10 a second for 30 s
    CHECK(request_count(parse_scenario(R"({"name": "n", "stack": "s", "duration_seconds": 15,
        "load": {"url": "u", "requests_per_second": 8.2}})",
                                       "x", "/d")) == 123);
}

TEST_CASE("Scenario file errors say what is wrong", "[scenario][unit]") {
    CHECK(failure("[").starts_with("s.json is not JSON: "));
    CHECK(failure(R"({"name": "n"})") == "s.json: \"stack\" must be a non-empty string");
    CHECK(failure(R"({"name": "n", "stack": "x"})") ==
          "s.json: \"load\" must be an object with a \"url\"");
    CHECK(failure(with(R"(, "duration_seconds": 0)")) ==
          "s.json: \"duration_seconds\" must be a number from 1 to 3600");
    CHECK(failure(with(R"(, "faults": [{"at_seconds": 1, "lose_zone": "us-east-1"}])")) ==
          "s.json: fault 1: \"lose_zone\" must name an availability zone such as us-east-1a");
    CHECK(failure(with(R"(, "faults": [{"lose_zone": "us-east-1a"}])")) ==
          "s.json: fault 1: \"at_seconds\" is missing");
    CHECK(failure(with(R"(, "faults": [{"at_seconds": 99, "lose_zone": "us-east-1a"}])")) ==
          "s.json: fault 1: \"at_seconds\" must be a number from 0 to 30");
    CHECK(failure(with(R"(, "faults": [{"at_seconds": 30, "lose_zone": "us-east-1a"}])")) ==
          "s.json: fault 1: \"at_seconds\" must come before the load ends (30 s)");
    CHECK(failure(with(R"(, "expect": {"max_eror_rate": 0.1})")) ==
          "s.json: expect: unknown \"max_eror_rate\" (expectations: max_error_rate, "
          "max_outage_seconds)");
    CHECK(failure(R"({"name": "n", "stack": "s", "load": {"url": 5}})") ==
          "s.json: the load's \"url\" must be a non-empty string");
    CHECK(failure(R"({"name": "n", "stack": "s", "load": {"url": "u", "method": 1}})") ==
          "s.json: the load's \"method\" must be GET, POST or HEAD");
    CHECK(failure(R"({"name": "n", "stack": "s", "duration_seconds": 5,
                      "load": {"url": "u", "requests_per_second": 0.1}})") ==
          "s.json: the load sends no request (requests_per_second times duration_seconds is "
          "under 1)");
    CHECK(failure(with(R"(, "faults": [{"at_seconds": 1}])")) ==
          "s.json: fault 1: needs \"lose_zone\", \"restore_zone\", \"add_fault\" or "
          "\"clear_faults\"");
    CHECK(failure(with(R"(, "faults": [{"at_seconds": 1, "add_fault": {"service": "sns"}}])")) ==
          "s.json: fault 1: \"add_fault\": a fault needs an error, a latency_ms, or both");
    CHECK(failure(with(R"(, "faults": [{"at_seconds": 1, "clear_faults": 1}])")) ==
          "s.json: fault 1: \"clear_faults\" must be true");
    CHECK(failure(with(R"(, "faults": [{"at_seconds": 1, "clear_faults": true,
                                        "lose_zone": "us-east-1a"}])")) ==
          "s.json: fault 1: one action per fault");
    CHECK(failure(with(R"(, "faults": [{"at_seconds": 1, "lose_zone": "us-east-1a",
                                        "restore_zone": "us-east-1b"}])")) ==
          "s.json: fault 1: one action per fault");
    CHECK(failure(with(R"(, "expect": {"max_error_rate": 2})")) ==
          "s.json: expect: \"max_error_rate\" must be a number from 0 to 1");
    CHECK(failure(R"({"name": "n", "stack": "s", "load": {"url": "u", "method": "PUT"}})") ==
          "s.json: the load's \"method\" must be GET, POST or HEAD");
}
