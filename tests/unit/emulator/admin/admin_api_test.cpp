#include "emulator/admin/admin_api.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator/protocol/aws_query_codec.hpp"
#include "tests/unit/emulator/auth/test_signing.hpp"

using namespace awsemu;
using awsemu::testing::make_http_request;
using nlohmann::json;

namespace {

ServiceDefinition named(std::string name) {
    ServiceDefinition service;
    service.name = std::move(name);
    return service;
}

struct Fixture {
    Fixture()
        : credentials({{"test", "test"}}, "000000000000"),
          authenticator(AuthMode::Open, credentials, clock, clock),
          admin(registry, database, authenticator, zones, faults) {
        registry.add(named("sts"));
        registry.add(named("secretsmanager"));
        database.migrate("items", {"CREATE TABLE items (value INTEGER NOT NULL)"});
    }

    HttpResponse call(std::string method, std::string path, std::string body = "") {
        operation = "";
        return admin.handle(
            make_http_request(std::move(method), std::move(path), {}, std::move(body)), operation);
    }

    std::int64_t items() {
        auto tx = database.transaction();
        auto q = database.query("SELECT COUNT(*) FROM items");
        REQUIRE(q.next());
        return q.integer(0);
    }

    ManualClock clock;
    Database database{":memory:"};
    ServiceRegistry registry;
    CredentialRegistry credentials;
    Authenticator authenticator;
    ZoneOutages zones;
    ApiFaults faults;
    AdminApi admin;
    std::string operation;
};

}  // namespace

TEST_CASE("AdminApi health names every service as running", "[admin][unit]") {
    Fixture f;
    const auto response = f.call("GET", "/_awsemu/health");
    CHECK(response.status == 200);
    CHECK(response.headers.get("Content-Type") == "application/json");
    CHECK(f.operation == "Health");
    const auto body = json::parse(response.body);
    CHECK(body["status"] == "running");
    CHECK(body["version"] == AWSEMU_VERSION);
    CHECK(body["services"] == json{{"sts", "running"}, {"secretsmanager", "running"}});
}

TEST_CASE("AdminApi health answers HEAD too", "[admin][unit]") {
    Fixture f;
    const auto response = f.call("HEAD", "/_awsemu/health");
    CHECK(response.status == 200);
    CHECK(f.operation == "Health");
}

TEST_CASE("AdminApi reset empties the state", "[admin][unit]") {
    Fixture f;
    {
        auto tx = f.database.transaction();
        f.database.execute("INSERT INTO items (value) VALUES (1), (2)");
        tx.commit();
    }
    REQUIRE(f.items() == 2);
    const auto response = f.call("POST", "/_awsemu/reset");
    CHECK(response.status == 200);
    CHECK(f.operation == "Reset");
    CHECK(json::parse(response.body) == json{{"status", "ok"}});
    CHECK(f.items() == 0);
}

TEST_CASE("AdminApi moto-api reset empties the state and answers as moto", "[admin][unit]") {
    Fixture f;
    {
        auto tx = f.database.transaction();
        f.database.execute("INSERT INTO items (value) VALUES (1)");
        tx.commit();
    }
    const auto response = f.call("POST", "/moto-api/reset");
    CHECK(response.status == 200);
    CHECK(json::parse(response.body) == json{{"status", "ok"}});
    CHECK(f.items() == 0);
}

TEST_CASE("AdminApi reset-auth answers the previous count as Python prints it", "[admin][unit]") {
    Fixture f;
    const auto first = f.call("POST", "/moto-api/reset-auth", "4");
    CHECK(first.status == 200);
    CHECK(f.operation == "ResetAuth");
    CHECK(json::parse(first.body) ==
          json{{"status", "ok"}, {"PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT", "inf"}});
    CHECK(json::parse(f.call("POST", "/moto-api/reset-auth", "2.5")
                          .body)["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"] == "4.0");
    CHECK(json::parse(f.call("POST", "/moto-api/reset-auth", "inf")
                          .body)["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"] == "2.5");
    CHECK(json::parse(f.call("POST", "/moto-api/reset-auth", "0\n")
                          .body)["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"] == "inf");
    CHECK(json::parse(f.call("POST", "/moto-api/reset-auth", "")
                          .body)["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"] == "0.0");
    CHECK(json::parse(f.call("POST", "/moto-api/reset-auth", "7")
                          .body)["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"] == "inf");
}

TEST_CASE("AdminApi reset-auth sets the authenticator's count", "[admin][unit]") {
    Fixture f;
    const auto request = make_http_request("POST", "/", {}, "Action=GetCallerIdentity");
    const auto& errors = operation_codec_for(Protocol::Query)->auth_errors();
    f.call("POST", "/moto-api/reset-auth", "1");
    CHECK_NOTHROW(f.authenticator.authenticate(request, errors));
    CHECK_THROWS_AS(f.authenticator.authenticate(request, errors), AwsError);
    CHECK(f.authenticator.set_initial_no_auth_action_count(
              std::numeric_limits<double>::infinity()) == 1);
}

TEST_CASE("AdminApi reset-auth refuses a body that is not a number", "[admin][unit]") {
    Fixture f;
    for (const std::string body : {"abc", "4 actions", "{\"count\": 4}"}) {
        INFO(body);
        const auto response = f.call("POST", "/moto-api/reset-auth", body);
        CHECK(response.status == 400);
        CHECK(json::parse(response.body)["error"] == "InvalidParameterValue");
    }
    // Nothing was changed by the refused calls.
    CHECK(f.authenticator.set_initial_no_auth_action_count(1) ==
          std::numeric_limits<double>::infinity());
}

TEST_CASE("AdminApi unknown endpoint is a JSON 404 naming it", "[admin][unit]") {
    Fixture f;
    for (const auto& [method, path] :
         std::vector<std::pair<std::string, std::string>>{{"GET", "/_awsemu/nothing"},
                                                          {"GET", "/_awsemu/reset"},
                                                          {"POST", "/_awsemu/health"},
                                                          {"GET", "/moto-api/reset-auth"},
                                                          {"DELETE", "/moto-api/data.json"}}) {
        INFO(method << " " << path);
        const auto response = f.call(method, path);
        CHECK(response.status == 404);
        CHECK(response.headers.get("Content-Type") == "application/json");
        CHECK(f.operation == "NotFound");
        const auto body = json::parse(response.body);
        CHECK(body["error"] == "NotFound");
        CHECK(body["message"].get<std::string>().find(method + " " + path) != std::string::npos);
    }
}

TEST_CASE("AdminApi chaos takes zones down and back and reports them", "[admin][unit]") {
    Fixture f;
    std::vector<std::pair<std::string, bool>> heard;
    f.zones.on_change(
        [&](const std::string& zone, bool available) { heard.emplace_back(zone, available); });
    auto response = f.call("POST", "/_awsemu/chaos/zones/us-east-1b/lose");
    CHECK(response.status == 200);
    CHECK(f.operation == "LoseZone");
    CHECK(json::parse(response.body) == json{{"zone", "us-east-1b"},
                                             {"available", false},
                                             {"changed", true},
                                             {"lost_zones", {"us-east-1b"}}});
    CHECK(json::parse(f.call("POST", "/_awsemu/chaos/zones/us-east-1b/lose").body)["changed"] ==
          false);
    response = f.call("GET", "/_awsemu/chaos");
    CHECK(f.operation == "Chaos");
    CHECK(json::parse(response.body) ==
          json{{"lost_zones", {"us-east-1b"}}, {"faults", json::array()}});
    CHECK(json::parse(f.call("GET", "/_awsemu/status").body)["lost_zones"] == json{"us-east-1b"});
    response = f.call("POST", "/_awsemu/chaos/zones/us-east-1b/restore");
    CHECK(f.operation == "RestoreZone");
    CHECK(json::parse(response.body)["lost_zones"] == json::array());
    CHECK(heard ==
          std::vector<std::pair<std::string, bool>>{{"us-east-1b", false}, {"us-east-1b", true}});

    response = f.call("POST", "/_awsemu/chaos/zones/us-east-1/lose");
    CHECK(response.status == 400);
    CHECK(json::parse(response.body)["error"] == "InvalidZone");
    CHECK(f.call("POST", "/_awsemu/chaos/zones/us-east-1a/explode").status == 404);
    CHECK(f.call("GET", "/_awsemu/chaos/zones/us-east-1a/lose").status == 404);
    CHECK(heard.size() == 2);
}

TEST_CASE("AdminApi chaos adds, lists and removes API faults", "[admin][unit]") {
    Fixture f;
    auto response = f.call("POST", "/_awsemu/chaos/faults",
                           R"({"service": "sqs", "operation": "SendMessage",
                               "error": "ThrottlingException", "probability": 0.5})");
    CHECK(response.status == 200);
    CHECK(f.operation == "AddFault");
    CHECK(json::parse(response.body) == json{{"id", "fault-1"},
                                             {"service", "sqs"},
                                             {"operation", "SendMessage"},
                                             {"error", "ThrottlingException"},
                                             {"status", 400},
                                             {"message", "Injected by awsemu's chaos API"},
                                             {"probability", 0.5},
                                             {"latency_ms", 0}});
    response = f.call("POST", "/_awsemu/chaos/faults", R"({"latency_ms": 250, "count": 3})");
    CHECK(json::parse(response.body)["id"] == "fault-2");
    CHECK(json::parse(response.body)["remaining"] == 3);
    CHECK(json::parse(f.call("GET", "/_awsemu/chaos").body)["faults"].size() == 2);

    response = f.call("DELETE", "/_awsemu/chaos/faults/fault-1");
    CHECK(response.status == 200);
    CHECK(f.operation == "RemoveFault");
    CHECK(json::parse(response.body)["faults"].size() == 1);
    CHECK(f.call("DELETE", "/_awsemu/chaos/faults/fault-1").status == 404);
    response = f.call("DELETE", "/_awsemu/chaos/faults");
    CHECK(f.operation == "ClearFaults");
    CHECK(json::parse(response.body)["faults"] == json::array());

    // What is not a fault is refused, saying why.
    for (const auto& [body, reason] : std::vector<std::pair<std::string, std::string>>{
             {"not json", "the body is not JSON"},
             {"[]", "a fault is a JSON object"},
             {R"({"service": "sqs"})", "a fault needs an error, a latency_ms, or both"},
             {R"({"error": "X", "probability": 0})", "probability must be"},
             {R"({"error": "X", "probability": "1"})", "probability must be"},
             {R"({"error": "X", "status": 200})", "status must be a whole number from 400"},
             {R"({"latency_ms": -1})", "latency_ms must be"},
             {R"({"error": "X", "count": 0})", "count must be"},
             {R"({"error": ""})", "error must be a non-empty string"},
             {R"({"latency_ms": 5, "status": 500})", "status and message go with an error"},
             {R"({"error": "X", "operaton": "Y"})", "unknown member 'operaton'"}}) {
        response = f.call("POST", "/_awsemu/chaos/faults", body);
        CHECK(response.status == 400);
        const auto answer = json::parse(response.body);
        CHECK(answer["error"] == "InvalidFault");
        CHECK(answer["message"].get<std::string>().find(reason) != std::string::npos);
    }
    CHECK(f.faults.rules().empty());
}
