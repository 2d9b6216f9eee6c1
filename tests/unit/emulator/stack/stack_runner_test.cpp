#include "emulator/stack/stack_runner.hpp"

#include <catch2/catch.hpp>

#include "emulator/protocol/common_errors.hpp"
#include "emulator/runtime/manual_scheduler.hpp"

using namespace awsemu;
using namespace awsemu::stack;
using nlohmann::json;

namespace {

// A service whose Create counts its calls, whose Describe answers the status the test sets,
// and whose Fail fails; plus an HTTP service ("raw") that answers 200, or 409 for /taken.
struct Fixture {
    ManualClock clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    GroupCommit commits{database, scheduler, false};
    ServiceRegistry registry;
    int creates = 0;
    json status = "creating";
    std::vector<std::string> requests;
    OperationCaller caller{registry, commits, clock, Scope{"123456789012", "us-east-1"},
                           [] { return std::string("http://127.0.0.1:4566"); }};
    StackStore store{database};
    std::vector<std::string> lines;
    std::optional<std::optional<std::string>> outcome;  // set once the runner is done

    Fixture() {
        ServiceDefinition fake;
        fake.name = "fake";
        fake.operations["Create"].handler = [this](const RequestContext& context,
                                                   const Params& params) {
            ++creates;
            return json{{"Id", "id-" + std::to_string(creates)},
                        {"Input", params.json()},
                        {"Account", context.scope.account_id}};
        };
        fake.operations["Describe"].handler = [this](const RequestContext&, const Params&) {
            return json{{"Items", {{{"Status", status}}, {{"Status", status}}}}};
        };
        fake.operations["Fail"].handler = [](const RequestContext&, const Params&) -> json {
            throw AwsError(errors::ValidationException, "no such thing");
        };
        registry.add(std::move(fake));
        ServiceDefinition raw;
        raw.name = "raw";
        raw.protocol = Protocol::RestXml;
        raw.raw_handler = [this](const RequestContext&, const HttpRequest& request, std::string&) {
            requests.push_back(request.method + " " + request.target + " " + request.body);
            HttpResponse response;
            response.status = request.path == "/taken" ? 409 : 200;
            response.body = response.status == 409 ? "<Error>taken</Error>" : "";
            return response;
        };
        registry.add(std::move(raw));
    }

    std::shared_ptr<StackRunner> start(const std::string& text) {
        auto runner = std::make_shared<StackRunner>(
            parse_stack(text, "stack.json"), caller, scheduler, clock, store, commits,
            StackRunner::Facts{"123456789012", [] { return std::string("http://e:1"); },
                               [] {
                                   return json{{"listeners", {{{"url", "http://l:9"}}}}};
                               }},
            [this](const std::string& line) { lines.push_back(line); });
        runner->start([this](const std::optional<std::string>& failure) { outcome = failure; });
        scheduler.run_ready();
        return runner;
    }

    bool said(const std::string& text) const {
        return std::find(lines.begin(), lines.end(), text) != lines.end();
    }
};

const std::string kStack = R"({"name": "demo", "steps": [
  {"id": "a", "call": "fake:Create", "input": {"Name": "first"}},
  {"id": "b", "call": "fake:Create", "input": {"From": "${a.Id}", "Text": "x-${a.Id}-${stack.account}"}},
  {"id": "w", "wait": "fake:Describe", "until": {"Items.*.Status": "available"},
   "fail_if": {"Items.*.Status": "failed"}, "expect": {"Items.0.Status": "available"},
   "timeout_seconds": 30},
  {"id": "c", "call": "fake:Create", "input": {"After": "${w.Items.0.Status}"}}],
  "outputs": [{"name": "Id", "value": "${b.Id}"}, {"name": "Url", "value": "${status.listeners.0.url}/x"},
              {"name": "Endpoint", "value": "${stack.endpoint}"}, {"name": "Bad", "value": "${nope.x}"}]})";

}  // namespace

TEST_CASE("Stack runner makes calls in order with earlier results in later inputs",
          "[stack][unit]") {
    Fixture f;
    f.status = "available";
    auto runner = f.start(kStack);
    REQUIRE(f.outcome.has_value());
    CHECK(!f.outcome->has_value());
    CHECK(f.creates == 3);
    CHECK(f.said("done: b (fake:Create)"));
    CHECK(f.said("stack demo: 4 steps"));
    const auto outputs = runner->outputs();
    REQUIRE(outputs.size() == 4);
    CHECK(outputs[0] == std::pair<std::string, std::string>("Id", "id-2"));
    CHECK(outputs[1].second == "http://l:9/x");
    CHECK(outputs[2].second == "http://e:1");
    CHECK(outputs[3].second == "(${nope.x}: nothing named 'nope' comes before it)");
    // What b was given: a's result, typed and spliced.
    auto applied = [&] {
        auto transaction = f.database.transaction();
        return f.store.find(Scope{"123456789012", "us-east-1"}, "demo");
    }();
    REQUIRE(applied.has_value());
    CHECK(applied->results.at("b").at("Input") ==
          json{{"From", "id-1"}, {"Text", "x-id-1-123456789012"}});
    CHECK(applied->results.at("c").at("Input") == json{{"After", "available"}});
}

TEST_CASE("Stack runner waits on the clock until every element holds, then goes on",
          "[stack][unit]") {
    Fixture f;
    f.start(kStack);
    CHECK(!f.outcome.has_value());
    CHECK(f.creates == 2);
    CHECK(f.said("waiting: w (Items.*.Status is \"creating\", not \"available\")"));
    f.scheduler.advance(std::chrono::seconds(5));
    CHECK(!f.outcome.has_value());
    f.status = "available";
    f.scheduler.advance(std::chrono::milliseconds(250));
    REQUIRE(f.outcome.has_value());
    CHECK(!f.outcome->has_value());
    CHECK(f.creates == 3);
}

TEST_CASE("Stack runner gives up on a wait at its timeout, or at once when fail_if holds",
          "[stack][unit]") {
    SECTION("timeout") {
        Fixture f;
        f.start(kStack);
        f.scheduler.advance(std::chrono::seconds(29));
        CHECK(!f.outcome.has_value());
        f.scheduler.advance(std::chrono::seconds(2));
        REQUIRE(f.outcome.has_value());
        CHECK(f.outcome->value() ==
              "w (fake:Describe) did not get there in 30 s: Items.*.Status is \"creating\", not "
              "\"available\"");
    }
    SECTION("fail_if") {
        Fixture f;
        f.start(kStack);
        f.status = "failed";
        f.scheduler.advance(std::chrono::milliseconds(250));
        REQUIRE(f.outcome.has_value());
        CHECK(f.outcome->value() == "w (fake:Describe): gave up: Items.*.Status is \"failed\"");
    }
}

TEST_CASE("Stack runner records a wait marked once, which a later run does not ask again",
          "[stack][unit]") {
    Fixture f;
    const std::string stack = R"({"name": "demo", "steps": [
        {"id": "a", "call": "fake:Create"},
        {"id": "w", "wait": "fake:Describe", "until": {"Items.0.Status": "available"}, "once": true},
        {"id": "b", "call": "fake:Create", "input": {"Seen": "${w.Items.0.Status}"}}]})";
    f.status = "available";
    f.start(stack);
    REQUIRE((f.outcome && !f.outcome->has_value()));
    // What w answered is gone now (a purged task): the next run neither asks nor needs it.
    f.status = "gone";
    f.outcome.reset();
    f.start(stack);
    REQUIRE((f.outcome && !f.outcome->has_value()));
    CHECK(f.creates == 2);
    CHECK(f.said("stack demo: 3 steps (3 done before, on this state directory)"));
}

TEST_CASE("Stack runner reports a failure of any kind as the step's, never throwing",
          "[stack][unit]") {
    Fixture f;
    f.registry.add([] {
        ServiceDefinition broken;
        broken.name = "broken";
        broken.operations["Throw"].handler = [](const RequestContext&, const Params&) -> json {
            throw std::runtime_error("disk on fire");
        };
        return broken;
    }());
    f.start(R"({"name": "demo", "steps": [{"id": "x", "call": "broken:Throw"}]})");
    REQUIRE((f.outcome && f.outcome->has_value()));
    CHECK(f.outcome->value() == "x (broken:Throw) failed: disk on fire");
}

TEST_CASE("Stack runner compares how many values a |count path reaches", "[stack][unit]") {
    Fixture f;
    f.start(R"({"name": "demo", "steps": [{"id": "w", "wait": "fake:Describe",
        "until": {"Items.[Status=available]|count": 2}}]})");
    CHECK(!f.outcome.has_value());
    CHECK(f.said("waiting: w (Items.[Status=available]|count is 0, not 2)"));
    f.status = "available";
    f.scheduler.advance(std::chrono::milliseconds(250));
    REQUIRE(f.outcome.has_value());
    CHECK(!f.outcome->has_value());
}

TEST_CASE("Stack runner says a failing step's hint", "[stack][unit]") {
    Fixture f;
    f.start(R"({"name": "demo", "steps": [{"id": "x", "call": "fake:Fail",
        "hint": "see ${stack.endpoint}/logs"}]})");
    REQUIRE((f.outcome && f.outcome->has_value()));
    CHECK(f.outcome->value() ==
          "x (fake:Fail) failed: ValidationException: no such thing (see http://e:1/logs)");
}

TEST_CASE("Stack runner fails a wait whose expect does not hold once until does", "[stack][unit]") {
    Fixture f;
    f.status = "available";
    f.start(R"({"name": "demo", "steps": [{"id": "w", "wait": "fake:Describe",
        "until": {"Items.0.Status": "available"}, "expect": {"Items.1.Status": "gone"}}]})");
    REQUIRE(f.outcome.has_value());
    CHECK(f.outcome->value() ==
          "w (fake:Describe): got there, but Items.1.Status is \"available\", not \"gone\"");
}

TEST_CASE("Stack runner stops at the first failing step with the operation's error",
          "[stack][unit]") {
    Fixture f;
    f.start(R"({"name": "demo", "steps": [{"id": "a", "call": "fake:Create"},
        {"id": "x", "call": "fake:Fail"}, {"id": "b", "call": "fake:Create"}]})");
    REQUIRE(f.outcome.has_value());
    REQUIRE(f.outcome->has_value());
    CHECK(f.outcome->value() == "x (fake:Fail) failed: ValidationException: no such thing");
    CHECK(f.creates == 1);
    SECTION("a service or operation awsemu lacks") {
        Fixture g;
        g.start(R"({"name": "d", "steps": [{"id": "a", "call": "nope:Create"}]})");
        REQUIRE((g.outcome && g.outcome->has_value()));
        CHECK(g.outcome->value() ==
              "a (nope:Create): awsemu has no service named 'nope' (GET /_awsemu/health lists "
              "them)");
        Fixture h;
        h.start(R"({"name": "d", "steps": [{"id": "a", "call": "fake:Nope"}]})");
        REQUIRE((h.outcome && h.outcome->has_value()));
        CHECK(h.outcome->value() == "a (fake:Nope): fake has no operation Nope");
        Fixture i;
        i.start(R"({"name": "d", "steps": [{"id": "a", "call": "fake:Create",
            "input": {"X": "${missing.Id}"}}]})");
        REQUIRE((i.outcome && i.outcome->has_value()));
        CHECK(i.outcome->value() ==
              "a (fake:Create): ${missing.Id}: nothing named 'missing' comes before it");
    }
}

TEST_CASE("Stack runner sends requests to HTTP services and fails on an error status",
          "[stack][unit]") {
    Fixture f;
    f.start(R"({"name": "demo", "steps": [
        {"id": "a", "request": "raw:PUT /bucket-${stack.account}?versioning", "body": "<V/>"},
        {"id": "b", "request": "raw:PUT /taken"}]})");
    REQUIRE(f.requests.size() == 2);
    CHECK(f.requests[0] == "PUT /bucket-123456789012?versioning <V/>");
    REQUIRE(f.outcome.has_value());
    CHECK(f.outcome->value() ==
          "b (raw:PUT /taken): raw PUT /taken answered 409: <Error>taken</Error>");
}

TEST_CASE("Stack runner on the same state resumes: calls made before are not made again",
          "[stack][unit]") {
    Fixture f;
    f.start(kStack);  // a and b made, then the wait times out
    f.scheduler.advance(std::chrono::seconds(31));
    REQUIRE(f.outcome.has_value());
    CHECK(f.creates == 2);
    // A second awsemu on the same database: a new runner, the record of the first.
    f.outcome.reset();
    f.start(kStack);
    CHECK(!f.outcome.has_value());  // waits are asked again
    f.status = "available";
    f.scheduler.advance(std::chrono::milliseconds(250));
    REQUIRE(f.outcome.has_value());
    CHECK(!f.outcome->has_value());
    CHECK(f.creates == 3);  // only c
    CHECK(f.said("stack demo: 4 steps (2 done before, on this state directory)"));
    SECTION("a changed stack file is refused, not mixed with the old one") {
        f.outcome.reset();
        f.start(R"({"name": "demo", "steps": [{"id": "a", "call": "fake:Create"}]})");
        REQUIRE(f.outcome.has_value());
        CHECK(f.outcome->value() ==
              "this state directory holds stack demo as another version of its file made it; "
              "start on an empty --state-dir (or --in-memory) to run this one");
        CHECK(f.creates == 3);
    }
}
