#include "emulator/dispatcher.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "emulator/protocol/common_errors.hpp"
#include "emulator/runtime/manual_scheduler.hpp"
#include "tests/unit/emulator/auth/test_signing.hpp"
#include "tests/unit/handle_request.hpp"

using namespace awsemu;
using awsemu::testing::make_http_request;
using awsemu::testing::sign_request;
using awsemu::testing::SigningKey;
using nlohmann::json;

namespace {

constexpr ErrorSpec kWidgetNotFound{"WidgetNotFoundException", 404};
const std::string kForm = "application/x-www-form-urlencoded";

// A JSON service and a query service small enough to read at a glance.
ServiceDefinition fake_json_service(Database& database, Scheduler& scheduler) {
    ServiceDefinition service;
    service.name = "widgets";
    service.signing_name = "widgets";
    service.protocol = Protocol::AwsJson11;
    service.json_target_prefix = "Widgets_20240101";
    service.operations.emplace(
        "Echo", Operation{[](const RequestContext& context, const Params& params) {
            return json{{"input", params.json()},
                        {"account", context.scope.account_id},
                        {"region", context.scope.region},
                        {"key", context.access_key_id},
                        {"caller", context.caller_arn},
                        {"endpoint", context.endpoint},
                        {"request_id", context.request_id},
                        {"now", std::chrono::duration_cast<std::chrono::seconds>(
                                    context.now().time_since_epoch())
                                    .count()}};
        }});
    service.operations.emplace("Missing",
                               Operation{[](const RequestContext&, const Params&) -> json {
                                   throw AwsError(kWidgetNotFound, "Widget w-1 not found.");
                               }});
    service.operations.emplace("Crash", Operation{[](const RequestContext&, const Params&) -> json {
                                   throw std::runtime_error("disk on fire");
                               }});
    service.operations.emplace("Named", Operation{[](const RequestContext&, const Params& params) {
                                   return json{{"name", params.required_string("Name")}};
                               }});
    service.operations.emplace(
        "Write", Operation{[&database](const RequestContext&, const Params& p) {
            database.execute("INSERT INTO widgets (name) VALUES (?)", p.required_string("Name"));
            if (p.optional_bool("Fail").value_or(false)) {
                throw AwsError(kWidgetNotFound, "after writing");
            }
            return json::object();
        }});
    // Answers after `Seconds` of emulated time: with the name, or an error when none was given.
    Operation later;
    later.deferred_handler = [&scheduler](const RequestContext& context, const Params& params,
                                          OperationReply reply) {
        const auto seconds = params.optional_int("Seconds").value_or(0);
        if (seconds < 0) {
            throw AwsError(kWidgetNotFound, "no such moment");
        }
        scheduler.at(context.now() + std::chrono::seconds(seconds),
                     [reply, name = params.optional_string("Name")] {
                         if (name) {
                             reply(json{{"name", *name}});
                         } else {
                             reply(AwsError(kWidgetNotFound, "gone while waiting"));
                         }
                     });
    };
    service.operations.emplace("Later", std::move(later));
    return service;
}

ServiceDefinition fake_query_service() {
    ServiceDefinition service;
    service.name = "counters";
    service.signing_name = "counters";
    service.protocol = Protocol::Query;
    service.query_version = "2020-01-01";
    service.xml_namespace = "https://counters.example.com/doc/2020-01-01/";
    service.operations.emplace(
        "Count", Operation{[](const RequestContext&, const Params& params) {
                               return json{{"Total", *params.optional_int("Amount") * 2}};
                           },
                           QueryShape::structure({{"Amount", QueryShape::integer()}})});
    // Like SNS's ConfirmSubscription: AWS takes it unsigned.
    Operation open;
    open.handler = [](const RequestContext& context, const Params&) {
        return json{{"Key", context.access_key_id}};
    };
    open.allows_unsigned = true;
    service.operations.emplace("Open", std::move(open));
    service.public_documents = [](std::string_view path) -> std::optional<HttpResponse> {
        if (path != "notice.txt") {
            return std::nullopt;
        }
        HttpResponse response;
        response.body = "counters count";
        return response;
    };
    return service;
}

// Reads back everything a Logger wrote to its tmpfile().
class CapturedLog {
  public:
    CapturedLog() : file_(std::tmpfile()) { REQUIRE(file_ != nullptr); }
    ~CapturedLog() { std::fclose(file_); }
    std::FILE* file() const { return file_; }

    std::vector<std::string> lines() const {
        std::fflush(file_);
        std::rewind(file_);
        std::vector<std::string> out;
        std::string line;
        for (int c = std::fgetc(file_); c != EOF; c = std::fgetc(file_)) {
            if (c == '\n') {
                out.push_back(line);
                line.clear();
            } else {
                line.push_back(static_cast<char>(c));
            }
        }
        std::fseek(file_, 0, SEEK_END);
        return out;
    }

  private:
    std::FILE* file_;
};

struct Fixture {
    explicit Fixture(AuthMode mode = AuthMode::Open, LogFormat format = LogFormat::Text)
        : credentials({{"AKIDSTRICT", "goodsecret"}}, "000000000000"),
          authenticator(mode, credentials, clock, clock),
          admin(registry, database, authenticator, zones, faults),
          logger(format, log.file()),
          dispatcher(registry, authenticator, commits, clock, scheduler, admin, faults, logger) {
        registry.add(fake_json_service(database, scheduler));
        registry.add(fake_query_service());
        database.migrate("widgets", {"CREATE TABLE widgets (name TEXT NOT NULL)"});
    }

    HttpResponse json_call(const std::string& operation, const std::string& body = "{}",
                           const SigningKey* key = nullptr) {
        auto request = make_http_request("POST", "/",
                                         {{"X-Amz-Target", "Widgets_20240101." + operation},
                                          {"Content-Type", "application/x-amz-json-1.1"},
                                          {"Host", "localhost:4566"}},
                                         body);
        if (key != nullptr) {
            sign_request(request, *key);
        }
        return handle_now(dispatcher, request, scheduler);
    }

    HttpResponse query_call(const std::string& body, const SigningKey* key = nullptr) {
        auto request = make_http_request("POST", "/", {{"Content-Type", kForm}}, body);
        if (key != nullptr) {
            sign_request(request, *key);
        }
        return handle_now(dispatcher, request, scheduler);
    }

    // The log so far: request lines are buffered until the logger is flushed.
    std::vector<std::string> log_lines() {
        logger.flush();
        return log.lines();
    }

    std::int64_t widgets() {
        auto tx = database.transaction();
        auto q = database.query("SELECT COUNT(*) FROM widgets");
        REQUIRE(q.next());
        return q.integer(0);
    }

    ManualClock clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    ServiceRegistry registry;
    CredentialRegistry credentials;
    Authenticator authenticator;
    ZoneOutages zones;
    ApiFaults faults;
    AdminApi admin;
    CapturedLog log;
    Logger logger;
    GroupCommit commits{database, scheduler, /*enabled=*/true};
    Dispatcher dispatcher;
};

SigningKey widgets_key(std::string id, std::string secret, std::string region = "us-east-1") {
    SigningKey key;
    key.access_key_id = std::move(id);
    key.secret = std::move(secret);
    key.region = std::move(region);
    key.service = "widgets";
    return key;
}

std::string xml_error_code(const std::string& body) {
    pugi::xml_document document;
    REQUIRE(document.load_string(body.c_str()));
    return document.child("ErrorResponse").child("Error").child_value("Code");
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("Dispatcher runs a JSON operation and answers its result", "[dispatcher][unit]") {
    Fixture f;
    const auto response = f.json_call("Echo", R"({"Name": "w-1", "Size": 3})");
    CHECK(response.status == 200);
    CHECK(response.headers.get("Content-Type") == "application/x-amz-json-1.1");
    const auto body = json::parse(response.body);
    CHECK(body["input"] == json{{"Name", "w-1"}, {"Size", 3}});
    CHECK(body["account"] == "000000000000");
    CHECK(body["region"] == "us-east-1");
    CHECK(body["key"] == "");
    CHECK(body["caller"] == "arn:aws:iam::000000000000:root");
    CHECK(body["endpoint"] == "http://localhost:4566");
    CHECK(body["now"] == 1'700'000'000);
    CHECK(body["request_id"] == response.headers.get("x-amzn-RequestId"));
}

TEST_CASE("Dispatcher hands the operation the signer's account and region", "[dispatcher][unit]") {
    Fixture f;
    const auto key = widgets_key("123456789012", "anything", "eu-central-1");
    const auto body = json::parse(f.json_call("Echo", "{}", &key).body);
    CHECK(body["account"] == "123456789012");
    CHECK(body["region"] == "eu-central-1");
    CHECK(body["key"] == "123456789012");
}

TEST_CASE("Dispatcher builds the endpoint from the Host header", "[dispatcher][unit]") {
    Fixture f;
    auto request =
        make_http_request("POST", "/", {{"X-Amz-Target", "Widgets_20240101.Echo"}}, "{}");
    CHECK(json::parse(handle_now(f.dispatcher, request, f.scheduler).body)["endpoint"] ==
          "http://localhost");
}

TEST_CASE("Dispatcher gives every response a fresh UUID request id", "[dispatcher][unit]") {
    Fixture f;
    const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const auto id = std::string(f.json_call("Echo").headers.get("x-amzn-RequestId"));
        CHECK(std::regex_match(id, uuid));
        seen.insert(id);
    }
    CHECK(seen.size() == 50);
    CHECK(std::regex_match(new_request_id(), uuid));
}

TEST_CASE("Dispatcher logs one line per request with service, operation, status and id",
          "[dispatcher][unit]") {
    Fixture f;
    const auto ok = f.json_call("Echo");
    const auto missing = f.json_call("Missing");
    const auto lines = f.log_lines();
    REQUIRE(lines.size() == 2);
    CHECK(contains(lines[0], " widgets Echo 200 "));
    CHECK(lines[0].ends_with(" " + std::string(ok.headers.get("x-amzn-RequestId"))));
    CHECK(contains(lines[1], " widgets Missing 404 "));
    CHECK(lines[1].ends_with(" " + std::string(missing.headers.get("x-amzn-RequestId"))));
}

TEST_CASE("Dispatcher logs JSON lines with --log-format json", "[dispatcher][unit]") {
    Fixture f(AuthMode::Open, LogFormat::Json);
    const auto response = f.query_call("Action=Count&Version=2020-01-01&Amount=2");
    const auto lines = f.log_lines();
    REQUIRE(lines.size() == 1);
    const auto line = json::parse(lines[0]);
    CHECK(line["service"] == "counters");
    CHECK(line["operation"] == "Count");
    CHECK(line["status"] == 200);
    CHECK(line["request_id"] == response.headers.get("x-amzn-RequestId"));
    CHECK(line["duration_ms"].is_number());
    CHECK(line["time"].is_string());
}

TEST_CASE("Dispatcher encodes a service's AwsError in its protocol", "[dispatcher][unit]") {
    Fixture f;
    const auto response = f.json_call("Missing");
    CHECK(response.status == 404);
    CHECK(json::parse(response.body) ==
          json{{"__type", "WidgetNotFoundException"}, {"message", "Widget w-1 not found."}});
}

TEST_CASE("Dispatcher answers other exceptions as a logged InternalFailure", "[dispatcher][unit]") {
    Fixture f;
    const auto response = f.json_call("Crash");
    CHECK(response.status == 500);
    CHECK(json::parse(response.body)["__type"] == "InternalFailure");
    CHECK_FALSE(contains(response.body, "disk on fire"));
    const auto id = std::string(response.headers.get("x-amzn-RequestId"));
    const auto lines = f.log_lines();
    REQUIRE(lines.size() == 2);
    CHECK(contains(lines[0], "error request " + id + " failed: disk on fire"));
    CHECK(contains(lines[1], " widgets Crash 500 "));
}

TEST_CASE("Dispatcher commits a successful operation's writes", "[dispatcher][unit]") {
    Fixture f;
    CHECK(f.json_call("Write", R"({"Name": "a"})").status == 200);
    CHECK(f.widgets() == 1);
}

TEST_CASE("Dispatcher rolls back the writes of an operation that fails", "[dispatcher][unit]") {
    Fixture f;
    CHECK(f.json_call("Write", R"({"Name": "a", "Fail": true})").status == 404);
    CHECK(f.widgets() == 0);
}

TEST_CASE("Dispatcher answers an unknown JSON operation as UnknownOperationException",
          "[dispatcher][unit]") {
    Fixture f;
    const auto response = f.json_call("Frobnicate");
    CHECK(response.status == 400);
    CHECK(json::parse(response.body)["__type"] == "UnknownOperationException");
    CHECK(contains(f.log_lines().at(0), " widgets Frobnicate 400 "));
}

TEST_CASE("Dispatcher answers an unknown X-Amz-Target prefix in JSON", "[dispatcher][unit]") {
    Fixture f;
    const auto response = handle_now(
        f.dispatcher,
        make_http_request("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.ListTables"}}, "{}"),
        f.scheduler);
    CHECK(response.status == 400);
    CHECK(json::parse(response.body)["__type"] == "UnknownOperationException");
    CHECK(response.headers.contains("x-amzn-RequestId"));
}

TEST_CASE("Dispatcher answers bad JSON input with SerializationException", "[dispatcher][unit]") {
    Fixture f;
    for (const std::string body : {"{not json", "[1, 2]"}) {
        INFO(body);
        const auto response = f.json_call("Echo", body);
        CHECK(response.status == 400);
        CHECK(json::parse(response.body)["__type"] == "SerializationException");
    }
}

TEST_CASE("Dispatcher uses the service's parameter errors", "[dispatcher][unit]") {
    Fixture f;
    const auto missing = f.json_call("Named", "{}");
    CHECK(missing.status == 400);
    CHECK(json::parse(missing.body)["__type"] == "ValidationException");
    const auto wrong_type = f.json_call("Named", R"({"Name": 5})");
    CHECK(json::parse(wrong_type.body)["__type"] == "SerializationException");
}

TEST_CASE("Dispatcher runs a query operation and answers XML", "[dispatcher][unit]") {
    Fixture f;
    const auto response = f.query_call("Action=Count&Version=2020-01-01&Amount=21");
    CHECK(response.status == 200);
    CHECK(response.headers.get("Content-Type") == "text/xml");
    pugi::xml_document document;
    REQUIRE(document.load_string(response.body.c_str()));
    const auto root = document.child("CountResponse");
    CHECK(std::string(root.attribute("xmlns").value()) ==
          "https://counters.example.com/doc/2020-01-01/");
    CHECK(std::string(root.child("CountResult").child_value("Total")) == "42");
    CHECK(std::string(root.child("ResponseMetadata").child_value("RequestId")) ==
          response.headers.get("x-amzn-RequestId"));
}

TEST_CASE("Dispatcher answers query errors as ErrorResponse", "[dispatcher][unit]") {
    Fixture f;
    const auto bad_number = f.query_call("Action=Count&Version=2020-01-01&Amount=many");
    CHECK(bad_number.status == 400);
    CHECK(xml_error_code(bad_number.body) == "InvalidParameterValue");

    const auto unknown = f.query_call("Action=Frobnicate&Version=2020-01-01");
    CHECK(unknown.status == 400);
    CHECK(xml_error_code(unknown.body) == "InvalidAction");
    CHECK(contains(unknown.body, "The action Frobnicate is not valid for this endpoint."));

    const auto no_action = f.query_call("Version=2020-01-01");
    CHECK(no_action.status == 400);
    CHECK(xml_error_code(no_action.body) == "MissingAction");
}

TEST_CASE("Dispatcher answers a request for no known service as InvalidAction",
          "[dispatcher][unit]") {
    Fixture f;
    auto request = make_http_request("POST", "/", {{"Content-Type", kForm}},
                                     "Action=ListUsers&Version=2010-05-08");
    auto iam = widgets_key("test", "test");
    iam.service = "iam";
    sign_request(request, iam);
    const auto response = handle_now(f.dispatcher, request, f.scheduler);
    CHECK(response.status == 400);
    CHECK(xml_error_code(response.body) == "InvalidAction");
    CHECK(contains(f.log_lines().at(0), " query - 400 "));
}

TEST_CASE("Dispatcher serves the admin API without authentication", "[dispatcher][unit]") {
    Fixture f(AuthMode::Strict);
    const auto response =
        handle_now(f.dispatcher, make_http_request("GET", "/_awsemu/health"), f.scheduler);
    CHECK(response.status == 200);
    CHECK(json::parse(response.body)["services"] ==
          json{{"widgets", "running"}, {"counters", "running"}});
    CHECK(contains(f.log_lines().at(0), " awsemu Health 200 "));
}

TEST_CASE("Dispatcher gives admin responses the request id it logs", "[dispatcher][unit]") {
    // DESIGN.md: every response carries a request id, and the log line names the same one.
    Fixture f;
    const auto response =
        handle_now(f.dispatcher, make_http_request("POST", "/_awsemu/reset"), f.scheduler);
    CHECK(response.status == 200);
    REQUIRE(response.headers.contains("x-amzn-RequestId"));
    CHECK(
        f.log_lines().at(0).ends_with(" " + std::string(response.headers.get("x-amzn-RequestId"))));
}

TEST_CASE("Dispatcher in strict mode refuses unsigned requests in each protocol",
          "[dispatcher][unit]") {
    Fixture f(AuthMode::Strict);
    const auto json_response = f.json_call("Echo");
    CHECK(json_response.status == 403);
    CHECK(json::parse(json_response.body)["__type"] == "MissingAuthenticationTokenException");
    const auto query_response = f.query_call("Action=Count&Version=2020-01-01&Amount=1");
    CHECK(query_response.status == 403);
    CHECK(xml_error_code(query_response.body) == "MissingAuthenticationToken");
}

TEST_CASE("Dispatcher in strict mode runs correctly signed requests", "[dispatcher][unit]") {
    Fixture f(AuthMode::Strict);
    const auto good = widgets_key("AKIDSTRICT", "goodsecret");
    CHECK(f.json_call("Echo", "{}", &good).status == 200);
    const auto bad = widgets_key("AKIDSTRICT", "badsecret");
    const auto refused = f.json_call("Echo", "{}", &bad);
    CHECK(refused.status == 400);
    CHECK(json::parse(refused.body)["__type"] == "InvalidSignatureException");
    auto query_key = widgets_key("AKIDSTRICT", "goodsecret");
    query_key.service = "counters";
    CHECK(f.query_call("Action=Count&Version=2020-01-01&Amount=1", &query_key).status == 200);
}

TEST_CASE("Dispatcher in strict mode lets unsigned requests call only operations that allow it",
          "[dispatcher][unit]") {
    Fixture f(AuthMode::Strict);
    const auto open = f.query_call("Action=Open&Version=2020-01-01");
    CHECK(open.status == 200);
    CHECK(contains(open.body, "<Key></Key>"));
    // A signed request for it is checked as any other.
    auto bad = widgets_key("AKIDSTRICT", "badsecret");
    bad.service = "counters";
    CHECK(f.query_call("Action=Open&Version=2020-01-01", &bad).status == 403);
    CHECK(f.query_call("Action=Count&Version=2020-01-01&Amount=1").status == 403);
}

TEST_CASE("Dispatcher serves a service's public documents under /_awsemu/<service>/",
          "[dispatcher][unit]") {
    Fixture f(AuthMode::Strict);
    const auto found = handle_now(
        f.dispatcher, make_http_request("GET", "/_awsemu/counters/notice.txt"), f.scheduler);
    CHECK(found.status == 200);
    CHECK(found.body == "counters count");
    CHECK(handle_now(f.dispatcher, make_http_request("GET", "/_awsemu/counters/other.txt"),
                     f.scheduler)
              .status == 404);
    CHECK(handle_now(f.dispatcher, make_http_request("GET", "/_awsemu/widgets/notice.txt"),
                     f.scheduler)
              .status == 404);
}

TEST_CASE("Dispatcher checks authentication before the operation name", "[dispatcher][unit]") {
    Fixture f(AuthMode::Strict);
    const auto response = f.json_call("Frobnicate");
    CHECK(response.status == 403);
    CHECK(json::parse(response.body)["__type"] == "MissingAuthenticationTokenException");
}

TEST_CASE("Dispatcher rejects an oversized JSON request in JSON", "[dispatcher][unit]") {
    Fixture f;
    const auto head = make_http_request("POST", "/", {{"X-Amz-Target", "Widgets_20240101.Echo"}});
    const auto response = f.dispatcher.reject_oversized(head, 2048);
    CHECK(response.status == 413);
    const auto body = json::parse(response.body);
    CHECK(body["__type"] == "RequestEntityTooLarge");
    CHECK(contains(body["message"].get<std::string>(), "2048"));
    CHECK(response.headers.contains("x-amzn-RequestId"));
    CHECK(contains(f.log_lines().at(0), " widgets - 413 "));
}

TEST_CASE("Dispatcher rejects an oversized query request in XML", "[dispatcher][unit]") {
    Fixture f;
    auto head = make_http_request("POST", "/", {{"Content-Type", kForm}});
    auto key = widgets_key("test", "test");
    key.service = "counters";
    sign_request(head, key);
    const auto response = f.dispatcher.reject_oversized(head, 4096);
    CHECK(response.status == 413);
    CHECK(xml_error_code(response.body) == "RequestEntityTooLarge");
}

TEST_CASE("Dispatcher answers a malformed HTTP request with BadRequest", "[dispatcher][unit]") {
    Fixture f;
    const auto response = f.dispatcher.reject_malformed("bad method");
    CHECK(response.status == 400);
    pugi::xml_document document;
    REQUIRE(document.load_string(response.body.c_str()));
    CHECK(std::string(document.child("Error").child_value("Code")) == "BadRequest");
    CHECK(contains(document.child("Error").child_value("Message"), "bad method"));
    CHECK(contains(f.log_lines().at(0), " - - 400 "));
}

TEST_CASE("Dispatcher keeps serving after failures", "[dispatcher][unit]") {
    Fixture f;
    CHECK(f.json_call("Write", R"({"Name": "kept"})").status == 200);
    f.json_call("Crash");
    f.json_call("Echo", "{garbage");
    f.dispatcher.reject_malformed("x");
    f.query_call("Action=Count&Version=2020-01-01&Amount=x");
    CHECK(f.json_call("Echo").status == 200);
    CHECK(f.widgets() == 1);
}

TEST_CASE("Dispatcher answers a deferred operation when it replies, not before",
          "[dispatcher][unit]") {
    Fixture f;
    auto request = make_http_request("POST", "/",
                                     {{"X-Amz-Target", "Widgets_20240101.Later"},
                                      {"Content-Type", "application/x-amz-json-1.1"}},
                                     R"({"Seconds": 5, "Name": "w-1"})");
    CapturingDeferral deferral;
    CHECK_FALSE(f.dispatcher.handle(request, deferral).has_value());
    f.scheduler.advance(std::chrono::seconds(4));
    CHECK_FALSE(deferral.response().has_value());
    f.scheduler.advance(std::chrono::seconds(1));
    REQUIRE(deferral.response().has_value());
    CHECK(deferral.response()->status == 200);
    CHECK(json::parse(deferral.response()->body) == json{{"name", "w-1"}});
    CHECK_FALSE(deferral.response()->headers.get("x-amzn-RequestId").empty());
    const auto lines = f.log_lines();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("widgets Later 200") != std::string::npos);
}

TEST_CASE("Dispatcher encodes a deferred error in the request's protocol", "[dispatcher][unit]") {
    Fixture f;
    auto request = make_http_request("POST", "/",
                                     {{"X-Amz-Target", "Widgets_20240101.Later"},
                                      {"Content-Type", "application/x-amz-json-1.1"}},
                                     R"({"Seconds": 1})");
    CapturingDeferral deferral;
    CHECK_FALSE(f.dispatcher.handle(request, deferral).has_value());
    f.scheduler.advance(std::chrono::seconds(1));
    REQUIRE(deferral.response().has_value());
    CHECK(deferral.response()->status == 404);
    CHECK(json::parse(deferral.response()->body)["__type"] == "WidgetNotFoundException");
}

TEST_CASE(
    "Dispatcher answers with the batch's commit when a deferred operation fails before "
    "it waits",
    "[dispatcher][unit]") {
    Fixture f;
    auto request = make_http_request("POST", "/",
                                     {{"X-Amz-Target", "Widgets_20240101.Later"},
                                      {"Content-Type", "application/x-amz-json-1.1"}},
                                     R"({"Seconds": -1})");
    const auto response = handle_now(f.dispatcher, request, f.scheduler);
    CHECK(response.status == 404);
    CHECK(json::parse(response.body)["message"] == "no such moment");
    CHECK(f.scheduler.pending_timers() == 0);
}

TEST_CASE("Dispatcher answers the requests of one batch only once it is committed",
          "[dispatcher][unit]") {
    Fixture f;
    const auto write = [](const std::string& body) {
        return make_http_request("POST", "/",
                                 {{"X-Amz-Target", "Widgets_20240101.Write"},
                                  {"Content-Type", "application/x-amz-json-1.1"}},
                                 body);
    };
    CapturingDeferral first;
    CapturingDeferral failing;
    CapturingDeferral second;
    CHECK_FALSE(f.dispatcher.handle(write(R"({"Name": "a"})"), first).has_value());
    CHECK_FALSE(f.dispatcher.handle(write(R"({"Name": "b", "Fail": true})"), failing).has_value());
    CHECK_FALSE(f.dispatcher.handle(write(R"({"Name": "c"})"), second).has_value());
    CHECK_FALSE(first.response().has_value());
    CHECK(f.log_lines().empty());
    f.scheduler.run_ready();
    REQUIRE(first.response().has_value());
    REQUIRE(failing.response().has_value());
    REQUIRE(second.response().has_value());
    CHECK(first.response()->status == 200);
    CHECK(failing.response()->status == 404);
    CHECK(second.response()->status == 200);
    // The failed request undid only its own write.
    CHECK(f.widgets() == 2);
    CHECK(f.log_lines().size() == 3);
}

TEST_CASE("Dispatcher answers a call that meets an injected fault with its error, running nothing",
          "[dispatcher][unit]") {
    Fixture f;
    f.faults.add(ApiFaultRule::from_json(
        {{"service", "widgets"}, {"operation", "Write"}, {"error", "ThrottlingException"}}));
    auto response = f.json_call("Write", R"({"Name": "w-1"})");
    CHECK(response.status == 400);
    const auto body = json::parse(response.body);
    CHECK(body["__type"] == "ThrottlingException");
    CHECK(body["message"] == "Injected by awsemu's chaos API");
    CHECK(f.widgets() == 0);
    CHECK(f.json_call("Echo").status == 200);  // another operation is not touched
    // In the query protocol too, as that protocol writes errors.
    f.faults.add(ApiFaultRule::from_json({{"service", "counters"}, {"error", "InternalError"}}));
    response = f.query_call("Action=Count&Version=2020-01-01&Amount=2");
    CHECK(response.status == 500);
    CHECK(xml_error_code(response.body) == "InternalError");
    const auto lines = f.log_lines();
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].find("widgets Write 400") != std::string::npos);
    CHECK(lines[2].find("counters Count 500") != std::string::npos);
}

TEST_CASE("Dispatcher runs a call that meets an injected latency once it is over",
          "[dispatcher][unit]") {
    Fixture f;
    f.faults.add(ApiFaultRule::from_json(
        {{"service", "widgets"}, {"operation", "Write"}, {"latency_ms", 2000}, {"count", 1}}));
    auto request = make_http_request("POST", "/",
                                     {{"X-Amz-Target", "Widgets_20240101.Write"},
                                      {"Content-Type", "application/x-amz-json-1.1"}},
                                     R"({"Name": "w-1"})");
    CapturingDeferral deferral;
    CHECK_FALSE(f.dispatcher.handle(request, deferral).has_value());
    f.scheduler.advance(std::chrono::milliseconds(1999));
    CHECK_FALSE(deferral.response().has_value());
    CHECK(f.widgets() == 0);
    f.scheduler.advance(std::chrono::milliseconds(1));
    REQUIRE(deferral.response().has_value());
    CHECK(deferral.response()->status == 200);
    CHECK(f.widgets() == 1);
    // Its one call is spent: the next is answered at once.
    CHECK(f.json_call("Write", R"({"Name": "w-2"})").status == 200);

    // A delay and an error: the error comes after the delay, and nothing runs.
    f.faults.add(ApiFaultRule::from_json(
        {{"service", "widgets"}, {"latency_ms", 500}, {"error", "ServiceUnavailable"}}));
    CapturingDeferral failing;
    CHECK_FALSE(f.dispatcher.handle(request, failing).has_value());
    f.scheduler.advance(std::chrono::milliseconds(499));
    CHECK_FALSE(failing.response().has_value());
    f.scheduler.advance(std::chrono::milliseconds(1));
    REQUIRE(failing.response().has_value());
    CHECK(failing.response()->status == 503);
    CHECK(json::parse(failing.response()->body)["__type"] == "ServiceUnavailable");
    CHECK(f.widgets() == 2);
}

TEST_CASE("Dispatcher authenticates a call before it may meet an injected fault",
          "[dispatcher][unit]") {
    Fixture f(AuthMode::Strict);
    f.faults.add(
        ApiFaultRule::from_json({{"service", "widgets"}, {"error", "Throttling"}, {"count", 1}}));
    // Unsigned: the signature's error, and the fault is not spent.
    auto response = f.json_call("Echo");
    CHECK(response.status == 403);
    CHECK(json::parse(response.body)["__type"] == "MissingAuthenticationTokenException");
    REQUIRE(f.faults.rules().size() == 1);
    // Signed: the fault.
    const SigningKey key = widgets_key("AKIDSTRICT", "goodsecret");
    response = f.json_call("Echo", "{}", &key);
    CHECK(json::parse(response.body)["__type"] == "Throttling");
    CHECK(f.faults.rules().empty());
    CHECK(f.json_call("Echo", "{}", &key).status == 200);
}
