#include "services/elbv2/rule_matcher.hpp"

#include <catch2/catch.hpp>

using namespace awsemu::elbv2;
using nlohmann::json;

namespace {

MatchRequest request(std::string host, std::string path, std::string method = "GET") {
    MatchRequest r;
    r.host = std::move(host);
    r.path = std::move(path);
    r.method = std::move(method);
    r.source_ip = "10.0.1.7";
    return r;
}

json rule(const std::string& priority, json conditions, const std::string& name) {
    return {
        {"Priority", priority},
        {"Conditions", std::move(conditions)},
        {"Actions",
         json::array({{{"Type", "fixed-response"},
                       {"FixedResponseConfig", {{"StatusCode", "200"}, {"MessageBody", name}}}}})},
        {"IsDefault", priority == "default"}};
}

std::string chosen(const json& rules, const MatchRequest& r) {
    const json* match = match_rule(rules, r);
    return match == nullptr
               ? "none"
               : match->at("Actions")[0]["FixedResponseConfig"]["MessageBody"].get<std::string>();
}

}  // namespace

TEST_CASE("Unit behaviour: rules are tried by priority and the default rule catches the rest",
          "[elbv2][unit]") {
    const json rules = json::array({
        rule("default", json::array(), "web"),
        rule("20", json::array({{{"Field", "path-pattern"}, {"Values", {"/*"}}}}), "catch-all"),
        rule("10", json::array({{{"Field", "path-pattern"}, {"Values", {"/api/*"}}}}), "api"),
    });
    CHECK(chosen(rules, request("example.com", "/api/users")) == "api");
    CHECK(chosen(rules, request("example.com", "/index.html")) == "catch-all");
    const json only_default = json::array({rule("default", json::array(), "web")});
    CHECK(chosen(only_default, request("example.com", "/x")) == "web");
    CHECK(match_rule(json::array(), request("h", "/")) == nullptr);
}

TEST_CASE("Unit behaviour: host headers ignore case, paths do not, and ? matches one character",
          "[elbv2][unit]") {
    const json host = {{"Field", "host-header"},
                       {"HostHeaderConfig", {{"Values", {"*.Example.com"}}}}};
    CHECK(condition_matches(host, request("api.example.COM", "/")));
    CHECK_FALSE(condition_matches(host, request("example.org", "/")));
    const json path = {{"Field", "path-pattern"}, {"Values", {"/img/?.png"}}};
    CHECK(condition_matches(path, request("h", "/img/a.png")));
    CHECK_FALSE(condition_matches(path, request("h", "/IMG/a.png")));
    CHECK_FALSE(condition_matches(path, request("h", "/img/ab.png")));
}

TEST_CASE("Unit behaviour: methods match exactly, headers and query strings ignore case",
          "[elbv2][unit]") {
    const json method = {{"Field", "http-request-method"},
                         {"HttpRequestMethodConfig", {{"Values", {"POST", "PUT"}}}}};
    CHECK(condition_matches(method, request("h", "/", "PUT")));
    CHECK_FALSE(condition_matches(method, request("h", "/", "put")));

    MatchRequest r = request("h", "/");
    r.headers = {{"User-Agent", "Mozilla/5.0 (Mobile)"}};
    const json header = {
        {"Field", "http-header"},
        {"HttpHeaderConfig", {{"HttpHeaderName", "user-agent"}, {"Values", {"*mobile*"}}}}};
    CHECK(condition_matches(header, r));
    r.headers = {{"User-Agent", "curl/8"}};
    CHECK_FALSE(condition_matches(header, r));

    r.query = "Version=V2&debug=1&name=a%20b";
    const json query = {
        {"Field", "query-string"},
        {"QueryStringConfig", {{"Values", json::array({{{"Key", "version"}, {"Value", "v*"}}})}}}};
    CHECK(condition_matches(query, r));
    const json any_key = {{"Field", "query-string"},
                          {"QueryStringConfig", {{"Values", json::array({{{"Value", "a b"}}})}}}};
    CHECK(condition_matches(any_key, r));
    r.query = "";
    CHECK_FALSE(condition_matches(query, r));
}

TEST_CASE("Unit behaviour: source-ip conditions test CIDR blocks", "[elbv2][unit]") {
    const json source = {{"Field", "source-ip"},
                         {"SourceIpConfig", {{"Values", {"192.168.0.0/16", "10.0.1.0/24"}}}}};
    MatchRequest r = request("h", "/");
    CHECK(condition_matches(source, r));
    r.source_ip = "10.0.2.1";
    CHECK_FALSE(condition_matches(source, r));
    r.source_ip = "not an address";
    CHECK_FALSE(condition_matches(source, r));
    CHECK(ipv4_in_cidr("127.31.16.9", "127.0.0.0/8"));
    CHECK(ipv4_in_cidr("1.2.3.4", "0.0.0.0/0"));
    CHECK_FALSE(ipv4_in_cidr("1.2.3", "0.0.0.0/0"));
    CHECK_FALSE(ipv4_in_cidr("1.2.3.4", "1.2.3.4/33"));
}

TEST_CASE("Unit behaviour: a rule needs all of its conditions", "[elbv2][unit]") {
    const json rules = json::array({
        rule("default", json::array(), "default"),
        rule("1",
             json::array({{{"Field", "host-header"}, {"Values", {"api.example.com"}}},
                          {{"Field", "path-pattern"}, {"Values", {"/v1/*"}}}}),
             "both"),
    });
    CHECK(chosen(rules, request("api.example.com", "/v1/x")) == "both");
    CHECK(chosen(rules, request("api.example.com", "/v2/x")) == "default");
    CHECK(chosen(rules, request("www.example.com", "/v1/x")) == "default");
}

TEST_CASE("Unit behaviour: redirects expand AWS's placeholders", "[elbv2][unit]") {
    MatchRequest r = request("example.com", "/a/b");
    r.query = "x=1";
    const json to_https = {{"Protocol", "HTTPS"}, {"Port", "443"},
                           {"Host", "#{host}"},   {"Path", "/#{path}"},
                           {"Query", "#{query}"}, {"StatusCode", "HTTP_301"}};
    CHECK(redirect_location(to_https, r) == "https://example.com/a/b?x=1");
    const json moved = {{"Protocol", "#{protocol}"}, {"Port", "8080"},
                        {"Host", "new.#{host}"},     {"Path", "/v2/#{path}"},
                        {"Query", "from=#{port}"},   {"StatusCode", "HTTP_302"}};
    CHECK(redirect_location(moved, r) == "http://new.example.com:8080/v2/a/b?from=80");
    r.query = "";
    const json defaults = {{"Protocol", "HTTPS"}, {"StatusCode", "HTTP_301"}};
    CHECK(redirect_location(defaults, r) == "https://example.com:80/a/b");
}
