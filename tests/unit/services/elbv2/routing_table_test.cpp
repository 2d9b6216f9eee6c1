#include "services/elbv2/routing_table.hpp"

#include <map>

#include <catch2/catch.hpp>

using namespace awsemu;
using namespace awsemu::elbv2;
using nlohmann::json;

namespace {

json forward_to(std::vector<std::pair<std::string, int>> groups) {
    json list = json::array();
    for (const auto& [arn, weight] : groups) {
        list.push_back({{"TargetGroupArn", arn}, {"Weight", weight}});
    }
    return json::array({{{"Type", "forward"}, {"ForwardConfig", {{"TargetGroups", list}}}}});
}

json default_rule(json actions) {
    return {{"Priority", "default"},
            {"Conditions", json::array()},
            {"Actions", std::move(actions)},
            {"IsDefault", true}};
}

ListenerTable table_with(std::vector<RoutableTarget> targets) {
    ListenerTable table;
    table.rules = json::array({default_rule(forward_to({{"tg-a", 1}}))});
    table.groups["tg-a"] = std::move(targets);
    return table;
}

MatchRequest get(std::string path) {
    MatchRequest request;
    request.host = "app.example.com";
    request.path = std::move(path);
    return request;
}

std::string target_of(const Routing& routing) {
    const auto* chosen = std::get_if<ChosenTarget>(&routing);
    if (chosen == nullptr) {
        return "answer " + std::to_string(std::get<LocalAnswer>(routing).status);
    }
    return chosen->target.ip + ":" + std::to_string(chosen->target.port);
}

}  // namespace

TEST_CASE("Routing: round robin over the healthy targets only", "[elbv2][routing]") {
    const auto table =
        table_with({{"127.0.0.2", 80, true}, {"127.0.0.3", 80, false}, {"127.0.0.4", 80, true}});
    std::map<std::string, int> hits;
    for (std::uint64_t i = 0; i < 10; ++i) {
        ++hits[target_of(route_request(table, get("/"), i, i))];
    }
    CHECK(hits["127.0.0.2:80"] == 5);
    CHECK(hits["127.0.0.4:80"] == 5);
    CHECK(hits.count("127.0.0.3:80") == 0);
}

TEST_CASE("Routing: with no healthy target the load balancer fails open", "[elbv2][routing]") {
    const auto table = table_with({{"127.0.0.2", 80, false}, {"127.0.0.3", 81, false}});
    std::map<std::string, int> hits;
    for (std::uint64_t i = 0; i < 4; ++i) {
        ++hits[target_of(route_request(table, get("/"), i, i))];
    }
    CHECK(hits["127.0.0.2:80"] == 2);
    CHECK(hits["127.0.0.3:81"] == 2);
}

TEST_CASE("Routing: a group without targets answers 503 with the ALB's page", "[elbv2][routing]") {
    const auto table = table_with({});
    const auto routing = route_request(table, get("/"), 0, 0);
    REQUIRE(std::holds_alternative<LocalAnswer>(routing));
    const auto& answer = std::get<LocalAnswer>(routing);
    CHECK(answer.status == 503);
    CHECK(answer.headers.get("Content-Type") == "text/html");
    CHECK(answer.body.find("<title>503 Service Temporarily Unavailable</title>") !=
          std::string::npos);
}

TEST_CASE("Routing: weighted target groups share requests by weight", "[elbv2][routing]") {
    ListenerTable table;
    table.rules = json::array({default_rule(forward_to({{"blue", 3}, {"green", 1}, {"off", 0}}))});
    table.groups["blue"] = {{"127.0.0.2", 80, true}};
    table.groups["green"] = {{"127.0.0.3", 80, true}};
    table.groups["off"] = {{"127.0.0.4", 80, true}};
    std::map<std::string, int> hits;
    for (std::uint64_t draw = 0; draw < 400; ++draw) {
        ++hits[target_of(route_request(table, get("/"), 0, draw))];
    }
    CHECK(hits["127.0.0.2:80"] == 300);
    CHECK(hits["127.0.0.3:80"] == 100);
    CHECK(hits.count("127.0.0.4:80") == 0);
}

TEST_CASE("Routing: fixed responses and redirects are answered by the load balancer",
          "[elbv2][routing]") {
    ListenerTable table;
    table.protocol = "HTTP";
    table.port = 80;
    table.rules = json::array(
        {{{"Priority", "1"},
          {"Conditions", json::array({{{"Field", "path-pattern"}, {"Values", {"/old/*"}}}})},
          {"Actions", json::array({{{"Type", "redirect"},
                                    {"RedirectConfig",
                                     {{"Protocol", "HTTPS"},
                                      {"Port", "443"},
                                      {"Host", "#{host}"},
                                      {"Path", "/new/#{path}"},
                                      {"Query", "#{query}"},
                                      {"StatusCode", "HTTP_302"}}}}})},
          {"IsDefault", false}},
         default_rule(json::array({{{"Type", "fixed-response"},
                                    {"FixedResponseConfig",
                                     {{"StatusCode", "404"},
                                      {"ContentType", "text/plain"},
                                      {"MessageBody", "nothing here"}}}}}))});

    auto old = get("/old/page");
    old.query = "a=1";
    const auto redirected = std::get<LocalAnswer>(route_request(table, old, 0, 0));
    CHECK(redirected.status == 302);
    CHECK(redirected.headers.get("Location") == "https://app.example.com/new/old/page?a=1");

    const auto fixed = std::get<LocalAnswer>(route_request(table, get("/else"), 0, 0));
    CHECK(fixed.status == 404);
    CHECK(fixed.headers.get("Content-Type") == "text/plain");
    CHECK(fixed.body == "nothing here");
}

TEST_CASE("Routing: the request as conditions see it", "[elbv2][routing]") {
    ListenerTable table;
    table.protocol = "HTTPS";
    table.port = 443;
    ProxiedRequest request;
    request.method = "POST";
    request.target = "/api/items?limit=5&x=y";
    request.headers.add("Host", "App.Example.com:8443");
    request.headers.add("X-Env", "blue");
    request.source_ip = "10.1.2.3";
    const auto match = match_request(table, request);
    CHECK(match.host == "App.Example.com");
    CHECK(match.path == "/api/items");
    CHECK(match.query == "limit=5&x=y");
    CHECK(match.method == "POST");
    CHECK(match.protocol == "HTTPS");
    CHECK(match.port == 443);
    CHECK(match.source_ip == "10.1.2.3");
    CHECK(match.headers.size() == 2);

    request.headers = {};
    request.headers.add("Host", "[::1]");
    CHECK(match_request(table, request).host == "[::1]");
}
