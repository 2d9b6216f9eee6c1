#include "services/elbv2/elbv2_model.hpp"

#include <catch2/catch.hpp>

#include "emulator/protocol/aws_error.hpp"

using namespace awsemu;
using namespace awsemu::elbv2;
using nlohmann::json;

namespace {

std::string error_code(const std::function<void()>& call) {
    try {
        call();
    } catch (const AwsError& error) {
        return std::string(error.spec().code);
    }
    return "no error";
}

}  // namespace

TEST_CASE("Unit behaviour: ARNs name their kind and scope", "[elbv2][unit]") {
    const Scope scope{"123456789012", "eu-west-1"};
    const std::string lb = load_balancer_arn(scope, "web", "0123456789abcdef");
    CHECK(lb ==
          "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/"
          "0123456789abcdef");
    const std::string listener = listener_arn(lb, "1111111111111111");
    CHECK(listener ==
          "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/"
          "0123456789abcdef/1111111111111111");
    CHECK(rule_arn(listener, "22") ==
          "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/web/"
          "0123456789abcdef/1111111111111111/22");
    const auto parts = parse_arn(listener);
    REQUIRE(parts);
    CHECK(parts->kind == ResourceKind::Listener);
    CHECK(parts->scope.region == "eu-west-1");
    CHECK(parse_arn(target_group_arn(scope, "tg", "ab"))->kind == ResourceKind::TargetGroup);
    CHECK_FALSE(parse_arn("arn:aws:sqs:us-east-1:1:queue"));
    CHECK(new_hex_id().size() == 16);
}

TEST_CASE("Unit behaviour: names follow AWS's rules", "[elbv2][unit]") {
    CHECK(error_code([] { validate_resource_name("web-1", "Load balancer"); }) == "no error");
    CHECK(error_code([] { validate_resource_name("-web", "Load balancer"); }) == "ValidationError");
    CHECK(error_code([] { validate_resource_name("web_1", "Target group"); }) == "ValidationError");
    CHECK(error_code([] { validate_resource_name(std::string(33, 'a'), "Target group"); }) ==
          "ValidationError");
    CHECK(error_code([] { validate_resource_name("internal-x", "Load balancer"); }) ==
          "ValidationError");
}

TEST_CASE("Unit behaviour: health checks default as AWS's for HTTP targets and are validated",
          "[elbv2][unit]") {
    json group = {{"Protocol", "HTTP"}, {"TargetType", "ip"}};
    apply_health_check_defaults(group);
    CHECK(group["HealthCheckEnabled"] == true);
    CHECK(group["HealthCheckProtocol"] == "HTTP");
    CHECK(group["HealthCheckPort"] == "traffic-port");
    CHECK(group["HealthCheckPath"] == "/");
    CHECK(group["HealthCheckIntervalSeconds"] == 30);
    CHECK(group["HealthCheckTimeoutSeconds"] == 5);
    CHECK(group["HealthyThresholdCount"] == 5);
    CHECK(group["UnhealthyThresholdCount"] == 2);
    CHECK(group["Matcher"] == json{{"HttpCode", "200"}});
    CHECK(error_code([&] { validate_health_check(group); }) == "no error");

    json tcp = {{"Protocol", "TCP"}, {"TargetType", "instance"}};
    apply_health_check_defaults(tcp);
    CHECK(tcp["HealthCheckProtocol"] == "TCP");
    CHECK(tcp["HealthCheckTimeoutSeconds"] == 10);
    CHECK_FALSE(tcp.contains("Matcher"));

    json lambda = {{"TargetType", "lambda"}};
    apply_health_check_defaults(lambda);
    CHECK(lambda["HealthCheckEnabled"] == false);
    CHECK(lambda["HealthCheckIntervalSeconds"] == 35);

    auto with = [&](const char* key, json value) {
        json changed = group;
        changed[key] = std::move(value);
        return error_code([&] { validate_health_check(changed); });
    };
    CHECK(with("HealthCheckIntervalSeconds", 4) == "ValidationError");
    CHECK(with("HealthCheckIntervalSeconds", 301) == "ValidationError");
    CHECK(with("HealthCheckTimeoutSeconds", 30) == "ValidationError");  // not below interval
    CHECK(with("HealthyThresholdCount", 11) == "ValidationError");
    CHECK(with("UnhealthyThresholdCount", 1) == "ValidationError");
    CHECK(with("HealthCheckPath", "healthz") == "ValidationError");
    CHECK(with("HealthCheckPort", "70000") == "ValidationError");
    CHECK(with("HealthCheckPort", "8080") == "no error");
    CHECK(with("Matcher", {{"HttpCode", "200-299"}}) == "no error");
}

TEST_CASE("Unit behaviour: matcher codes are single codes, lists or ranges within 200-499",
          "[elbv2][unit]") {
    for (const char* good : {"200", "200,202", "200-299", "200,301-302,404", "499"}) {
        CHECK(error_code([&] { validate_http_matcher(good); }) == "no error");
    }
    for (const char* bad : {"", "199", "500", "2OO", "299-200", "200,", "200-", "20"}) {
        CHECK(error_code([&] { validate_http_matcher(bad); }) == "ValidationError");
    }
}

TEST_CASE("Unit behaviour: attributes have AWS's defaults and checked values", "[elbv2][unit]") {
    const auto lb = default_load_balancer_attributes();
    auto value_of = [](const Attributes& list, const std::string& key) {
        for (const auto& [k, v] : list) {
            if (k == key) {
                return v;
            }
        }
        return std::string("<absent>");
    };
    CHECK(value_of(lb, "idle_timeout.timeout_seconds") == "60");
    CHECK(value_of(lb, "deletion_protection.enabled") == "false");
    CHECK(value_of(lb, "routing.http2.enabled") == "true");
    CHECK(value_of(lb, "routing.http.desync_mitigation_mode") == "defensive");
    const auto tg = default_target_group_attributes("ip");
    CHECK(value_of(tg, "deregistration_delay.timeout_seconds") == "300");
    CHECK(value_of(tg, "slow_start.duration_seconds") == "0");
    CHECK(value_of(tg, "stickiness.type") == "lb_cookie");
    CHECK(value_of(tg, "load_balancing.algorithm.type") == "round_robin");
    CHECK(value_of(default_target_group_attributes("lambda"),
                   "lambda.multi_value_headers.enabled") == "false");

    CHECK(error_code([] {
              validate_load_balancer_attribute("idle_timeout.timeout_seconds", "4001");
          }) == "ValidationError");
    CHECK(error_code([] { validate_load_balancer_attribute("routing.http2.enabled", "yes"); }) ==
          "ValidationError");
    CHECK(error_code([] { validate_load_balancer_attribute("no.such.key", "1"); }) ==
          "ValidationError");
    CHECK(error_code([] {
              validate_target_group_attribute("slow_start.duration_seconds", "10", "ip");
          }) == "ValidationError");
    CHECK(error_code([] {
              validate_target_group_attribute("slow_start.duration_seconds", "30", "ip");
          }) == "no error");
    CHECK(error_code([] {
              validate_target_group_attribute("deregistration_delay.timeout_seconds", "3601", "ip");
          }) == "ValidationError");
    const auto merged = merge_attributes({{"a", "1"}, {"b", "2"}}, {{"b", "3"}, {"c", "4"}});
    CHECK(merged == Attributes{{"a", "1"}, {"b", "3"}, {"c", "4"}});
}

TEST_CASE("Unit behaviour: actions are normalized as AWS describes them", "[elbv2][unit]") {
    const json forward = normalize_actions(
        json::array({{{"Type", "forward"}, {"TargetGroupArn", "tg-arn"}}}), "HTTP");
    CHECK(forward[0]["TargetGroupArn"] == "tg-arn");
    CHECK(forward[0]["ForwardConfig"]["TargetGroups"] ==
          json::array({{{"TargetGroupArn", "tg-arn"}, {"Weight", 1}}}));
    CHECK(forward[0]["ForwardConfig"]["TargetGroupStickinessConfig"] == json{{"Enabled", false}});

    const json weighted = normalize_actions(
        json::array(
            {{{"Type", "forward"},
              {"ForwardConfig",
               {{"TargetGroups", json::array({{{"TargetGroupArn", "a"}, {"Weight", 3}},
                                              {{"TargetGroupArn", "b"}, {"Weight", 1}}})},
                {"TargetGroupStickinessConfig", {{"Enabled", true}, {"DurationSeconds", 60}}}}}}}),
        "HTTP");
    CHECK_FALSE(weighted[0].contains("TargetGroupArn"));
    CHECK(forwarded_target_groups(weighted) == std::vector<std::string>{"a", "b"});

    const json redirect = normalize_actions(
        json::array({{{"Type", "redirect"},
                      {"RedirectConfig",
                       {{"Protocol", "HTTPS"}, {"Port", "443"}, {"StatusCode", "HTTP_301"}}}}}),
        "HTTP");
    CHECK(redirect[0]["RedirectConfig"] == json{{"Protocol", "HTTPS"},
                                                {"Port", "443"},
                                                {"Host", "#{host}"},
                                                {"Path", "/#{path}"},
                                                {"Query", "#{query}"},
                                                {"StatusCode", "HTTP_301"}});

    auto code = [](json actions, const char* protocol = "HTTP") {
        return error_code([&] { normalize_actions(actions, protocol); });
    };
    CHECK(code(json::array()) == "ValidationError");
    CHECK(code(json::array({{{"Type", "proxy"}}})) == "ValidationError");
    CHECK(code(json::array(
              {{{"Type", "redirect"}, {"RedirectConfig", {{"StatusCode", "HTTP_301"}}}}})) ==
          "InvalidLoadBalancerAction");  // to the same URL
    CHECK(
        code(json::array({{{"Type", "redirect"},
                           {"RedirectConfig", {{"Protocol", "HTTPS"}, {"StatusCode", "301"}}}}})) ==
        "ValidationError");
    CHECK(code(json::array(
              {{{"Type", "fixed-response"}, {"FixedResponseConfig", {{"StatusCode", "302"}}}}})) ==
          "ValidationError");
    CHECK(code(json::array({{{"Type", "fixed-response"},
                             {"FixedResponseConfig",
                              {{"StatusCode", "503"}, {"ContentType", "image/png"}}}}})) ==
          "ValidationError");
    CHECK(code(json::array({{{"Type", "forward"},
                             {"TargetGroupArn", "a"},
                             {"RedirectConfig", {{"StatusCode", "HTTP_301"}}}}})) ==
          "ValidationError");
    CHECK(code(json::array(
              {{{"Type", "authenticate-oidc"}, {"AuthenticateOidcConfig", json::object()}}})) ==
          "InvalidLoadBalancerAction");
}

TEST_CASE("Unit behaviour: conditions are checked and described with their configs",
          "[elbv2][unit]") {
    const json host = normalize_conditions(
        json::array({{{"Field", "host-header"}, {"Values", {"example.com"}}}}));
    CHECK(host[0] == json{{"Field", "host-header"},
                          {"Values", {"example.com"}},
                          {"HostHeaderConfig", {{"Values", {"example.com"}}}}});
    const json method = normalize_conditions(json::array(
        {{{"Field", "http-request-method"}, {"HttpRequestMethodConfig", {{"Values", {"GET"}}}}}}));
    CHECK_FALSE(method[0].contains("Values"));

    auto code = [](json conditions) {
        return error_code([&] { normalize_conditions(conditions); });
    };
    CHECK(code(json::array({{{"Field", "cookie"}, {"Values", {"x"}}}})) == "ValidationError");
    CHECK(code(json::array({{{"Field", "path-pattern"}, {"Values", json::array()}}})) ==
          "ValidationError");
    CHECK(code(json::array({{{"Field", "http-request-method"}, {"Values", {"GET"}}}})) ==
          "ValidationError");
    CHECK(code(json::array({{{"Field", "http-request-method"},
                             {"HttpRequestMethodConfig", {{"Values", {"get"}}}}}})) ==
          "ValidationError");
    CHECK(code(json::array(
              {{{"Field", "source-ip"}, {"SourceIpConfig", {{"Values", {"10.0.0.0/33"}}}}}})) ==
          "ValidationError");
    CHECK(code(json::array({{{"Field", "path-pattern"}, {"Values", {"/a"}}},
                            {{"Field", "path-pattern"}, {"Values", {"/b"}}}})) ==
          "ValidationError");
    CHECK(code(json::array(
              {{{"Field", "path-pattern"}, {"Values", {"/a", "/b", "/c", "/d", "/e", "/f"}}}})) ==
          "ValidationError");
}

TEST_CASE("Unit behaviour: listener attributes depend on the protocol", "[elbv2][unit]") {
    const auto http = default_listener_attributes("HTTP");
    const auto https = default_listener_attributes("HTTPS");
    CHECK(http.size() == 11);
    CHECK(https.size() == 19);
    CHECK(https.front() == std::pair<std::string, std::string>{
                               "routing.http.request.x_amzn_mtls_clientcert_serial_number."
                               "header_name",
                               "X-Amzn-Mtls-Clientcert-Serial-Number"});
    CHECK(error_code([] {
              validate_listener_attribute("routing.http.response.server.enabled", "no", "HTTP");
          }) == "ValidationError");
    CHECK(error_code([] {
              validate_listener_attribute("routing.http.request.x_amzn_tls_version.header_name",
                                          "X-Tls", "HTTP");
          }) == "ValidationError");
    CHECK(error_code([] {
              validate_listener_attribute("routing.http.request.x_amzn_tls_version.header_name",
                                          "X-Tls", "HTTPS");
          }) == "no error");
}

TEST_CASE("ELBv2 knows AWS's predefined security policies, current and older", "[elbv2][unit]") {
    for (const char* name :
         {"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-2-2021-06",
          "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
          "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "ELBSecurityPolicy-FS-1-2-Res-2019-08",
          "ELBSecurityPolicy-TLS-1-1-2017-01"}) {
        CHECK(elbv2::is_known_ssl_policy(name));
    }
    CHECK_FALSE(elbv2::is_known_ssl_policy("ELBSecurityPolicy-TLS13-9-9-2099-01"));
}
