#include "services/elbv2/elbv2_service.hpp"

#include <catch2/catch.hpp>

#include "emulator/auth/credentials.hpp"
#include "emulator/runtime/manual_scheduler.hpp"
#include "emulator/service_registry.hpp"
#include "emulator/store/database.hpp"
#include "services/ec2/ec2_api.hpp"
#include "services/ec2/ec2_service.hpp"

using namespace awsemu;
using namespace awsemu::elbv2;
using nlohmann::json;

namespace {

// ELBv2 (and the EC2 it reads subnets from) over an in-memory database and a manual clock; each
// call runs in a transaction, as the dispatcher runs it.
struct Elbv2Fixture {
    ManualClock clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    CredentialRegistry credentials{{}, "123456789012"};
    ServiceEnvironment environment{database, clock, scheduler, credentials, "123456789012"};
    ServiceRegistry registry;
    Scope scope{"123456789012", "us-east-1"};

    Elbv2Fixture() {
        ec2::register_service(registry, environment);
        register_service(registry, environment);
    }

    json call(std::string_view operation, json input = json::object()) {
        const ServiceDefinition* service = registry.by_signing_name("elasticloadbalancing");
        REQUIRE(service != nullptr);
        const auto it = service->operations.find(operation);
        REQUIRE(it != service->operations.end());
        const RequestContext context{scope, "request-id", "", "", "http://localhost:4566", &clock};
        auto transaction = database.transaction();
        auto result = it->second.handler(context, Params(std::move(input), service->param_errors));
        transaction.commit();
        return result;
    }

    std::string error_of(std::string_view operation, json input) {
        try {
            call(operation, std::move(input));
        } catch (const AwsError& error) {
            return std::string(error.spec().code);
        }
        return "no error";
    }

    std::vector<std::string> subnets() {
        std::vector<std::string> ids;
        for (const auto& subnet : ec2::default_subnets(database, scope)) {
            ids.push_back(subnet.subnet_id);
        }
        return ids;
    }

    json load_balancer(const std::string& name = "web") {
        const auto ids = subnets();
        return call("CreateLoadBalancer",
                    {{"Name", name}, {"Subnets", {ids[0], ids[1]}}})["LoadBalancers"][0];
    }

    json target_group(const std::string& name = "api", json extra = json::object()) {
        json input = {{"Name", name},
                      {"Protocol", "HTTP"},
                      {"Port", 8080},
                      {"TargetType", "ip"},
                      {"VpcId", ec2::default_subnets(database, scope)[0].vpc_id}};
        input.update(extra);
        return call("CreateTargetGroup", input)["TargetGroups"][0];
    }

    json listener(const std::string& lb_arn, const std::string& tg_arn, int port = 80) {
        return call(
            "CreateListener",
            {{"LoadBalancerArn", lb_arn},
             {"Protocol", "HTTP"},
             {"Port", port},
             {"DefaultActions",
              json::array({{{"Type", "forward"}, {"TargetGroupArn", tg_arn}}})}})["Listeners"][0];
    }

    json health(const std::string& tg_arn) {
        return call("DescribeTargetHealth",
                    {{"TargetGroupArn", tg_arn}})["TargetHealthDescriptions"];
    }
};

struct FakeHealth final : HealthResults {
    std::optional<TargetHealth> verdict;
    std::optional<TargetHealth> checked_health(const Scope&, const std::string&, const std::string&,
                                               int) const override {
        return verdict;
    }
};

}  // namespace

TEST_CASE("Unit behaviour: a load balancer is provisioning, then active on the clock",
          "[elbv2][unit]") {
    Elbv2Fixture f;
    const json lb = f.load_balancer();
    CHECK(lb["State"]["Code"] == "provisioning");
    CHECK(lb["Scheme"] == "internet-facing");
    CHECK(lb["Type"] == "application");
    CHECK(lb["IpAddressType"] == "ipv4");
    CHECK(lb["AvailabilityZones"].size() == 2);
    CHECK(lb["AvailabilityZones"][0]["ZoneName"] == "us-east-1a");
    CHECK(lb["SecurityGroups"].size() == 1);
    CHECK(lb["LoadBalancerArn"].get<std::string>().starts_with(
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/"));
    CHECK(lb["DNSName"].get<std::string>().ends_with(".us-east-1.elb.localhost"));
    f.clock.advance(std::chrono::milliseconds(kProvisioningMs));
    CHECK(f.call("DescribeLoadBalancers")["LoadBalancers"][0]["State"]["Code"] == "active");
    // The same settings again answer the same load balancer; other settings are a duplicate.
    CHECK(f.load_balancer()["LoadBalancerArn"] == lb["LoadBalancerArn"]);
    const auto ids = f.subnets();
    CHECK(f.error_of("CreateLoadBalancer", {{"Name", "web"}, {"Subnets", {ids[2], ids[3]}}}) ==
          "DuplicateLoadBalancerName");
    CHECK(f.error_of("CreateLoadBalancer", {{"Name", "one"}, {"Subnets", {ids[0]}}}) ==
          "ValidationError");
    CHECK(f.error_of("CreateLoadBalancer",
                     {{"Name", "bad"}, {"Subnets", {"subnet-nope", ids[0]}}}) == "SubnetNotFound");
}

TEST_CASE("Unit behaviour: deletion protection keeps a load balancer", "[elbv2][unit]") {
    Elbv2Fixture f;
    const std::string arn = f.load_balancer()["LoadBalancerArn"];
    f.call("ModifyLoadBalancerAttributes",
           {{"LoadBalancerArn", arn},
            {"Attributes",
             json::array({{{"Key", "deletion_protection.enabled"}, {"Value", "true"}}})}});
    CHECK(f.error_of("DeleteLoadBalancer", {{"LoadBalancerArn", arn}}) == "OperationNotPermitted");
    f.call("ModifyLoadBalancerAttributes",
           {{"LoadBalancerArn", arn},
            {"Attributes",
             json::array({{{"Key", "deletion_protection.enabled"}, {"Value", "false"}}})}});
    f.call("DeleteLoadBalancer", {{"LoadBalancerArn", arn}});
    CHECK(f.call("DescribeLoadBalancers")["LoadBalancers"].empty());
}

TEST_CASE("Unit behaviour: target groups know the load balancers that forward to them",
          "[elbv2][unit]") {
    Elbv2Fixture f;
    const std::string lb = f.load_balancer()["LoadBalancerArn"];
    const json tg = f.target_group();
    CHECK(tg["HealthCheckPath"] == "/");
    CHECK(tg["LoadBalancerArns"].empty());
    const std::string tg_arn = tg["TargetGroupArn"];
    const json listener = f.listener(lb, tg_arn);
    const auto groups = f.call("DescribeTargetGroups")["TargetGroups"];
    CHECK(groups[0]["LoadBalancerArns"] == json::array({lb}));
    CHECK(f.error_of("DeleteTargetGroup", {{"TargetGroupArn", tg_arn}}) == "ResourceInUse");
    // The same listener again is the same listener (CreateListener is idempotent) ...
    const json again = f.call(
        "CreateListener",
        {{"LoadBalancerArn", lb},
         {"Protocol", "HTTP"},
         {"Port", 80},
         {"DefaultActions", json::array({{{"Type", "forward"}, {"TargetGroupArn", tg_arn}}})}});
    CHECK(again["Listeners"][0]["ListenerArn"] == listener["ListenerArn"]);
    // ... other settings on its port are a duplicate.
    CHECK(f.error_of("CreateListener",
                     {{"LoadBalancerArn", lb},
                      {"Protocol", "HTTP"},
                      {"Port", 80},
                      {"DefaultActions",
                       json::array({{{"Type", "fixed-response"},
                                     {"FixedResponseConfig", {{"StatusCode", "404"}}}}})}}) ==
          "DuplicateListener");
    f.call("DeleteListener", {{"ListenerArn", listener["ListenerArn"]}});
    f.call("DeleteTargetGroup", {{"TargetGroupArn", tg_arn}});
    CHECK(f.call("DescribeTargetGroups")["TargetGroups"].empty());
}

TEST_CASE("Unit behaviour: target health follows registration, use and the drain",
          "[elbv2][unit]") {
    Elbv2Fixture f;
    const std::string lb = f.load_balancer()["LoadBalancerArn"];
    const std::string tg = f.target_group()["TargetGroupArn"];
    f.call("RegisterTargets",
           {{"TargetGroupArn", tg}, {"Targets", json::array({{{"Id", "172.31.0.10"}}})}});
    auto health = f.health(tg);
    REQUIRE(health.size() == 1);
    CHECK(health[0]["Target"] == json{{"Id", "172.31.0.10"}, {"Port", 8080}});
    CHECK(health[0]["HealthCheckPort"] == "8080");
    CHECK(health[0]["TargetHealth"]["State"] == "unused");
    CHECK(health[0]["TargetHealth"]["Reason"] == "Target.NotInUse");

    f.listener(lb, tg);
    CHECK(f.health(tg)[0]["TargetHealth"]["Reason"] == "Elb.RegistrationInProgress");
    f.clock.advance(std::chrono::milliseconds(kRegistrationMs));
    CHECK(f.health(tg)[0]["TargetHealth"]["Reason"] == "Elb.InitialHealthChecking");

    auto checker = std::make_shared<FakeHealth>();
    checker->verdict = TargetHealth{"healthy", "", ""};
    const auto api = elbv2_api(f.environment);
    std::static_pointer_cast<Elbv2Service>(api)->set_health_results(checker);
    CHECK(f.health(tg)[0]["TargetHealth"] == json{{"State", "healthy"}});
    CHECK(api->target_health(tg, "172.31.0.10", 8080)->state == "healthy");

    f.call("DeregisterTargets",
           {{"TargetGroupArn", tg}, {"Targets", json::array({{{"Id", "172.31.0.10"}}})}});
    CHECK(f.health(tg)[0]["TargetHealth"]["State"] == "draining");
    f.clock.advance(std::chrono::seconds(300));
    CHECK(f.health(tg).empty());
    CHECK(api->target_health(tg, "172.31.0.10", 8080)->reason == "Target.NotRegistered");

    CHECK(f.error_of("RegisterTargets",
                     {{"TargetGroupArn", tg}, {"Targets", json::array({{{"Id", "8.8.8.8"}}})}}) ==
          "InvalidTarget");
    CHECK(f.error_of("DeregisterTargets", {{"TargetGroupArn", tg},
                                           {"Targets", json::array({{{"Id", "172.31.0.99"}}})}}) ==
          "InvalidTarget");
}

TEST_CASE("Unit behaviour: ECS registers task addresses through elbv2_api", "[elbv2][unit]") {
    Elbv2Fixture f;
    const std::string tg = f.target_group()["TargetGroupArn"];
    const auto api = elbv2_api(f.environment);
    REQUIRE(api);
    api->register_target(tg, "127.31.16.9", 3000);
    const auto health = f.health(tg);
    REQUIRE(health.size() == 1);
    CHECK(health[0]["Target"]["Id"] == "127.31.16.9");
    CHECK(health[0]["Target"]["Port"] == 3000);
    api->deregister_target(tg, "127.31.16.9", 3000);
    CHECK(f.health(tg).empty());  // not in use: gone at once
    CHECK_FALSE(
        api->target_health("arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                           "targetgroup/nope/0000000000000000",
                           "127.0.0.1", 80));
    try {
        api->register_target(tg, "8.8.8.8", 80);
        FAIL("an address outside the VPC registered");
    } catch (const AwsError& error) {
        CHECK(error.spec().code == "InvalidTarget");
    }
}

TEST_CASE("Unit behaviour: rules keep unique priorities and the default rule", "[elbv2][unit]") {
    Elbv2Fixture f;
    const std::string lb = f.load_balancer()["LoadBalancerArn"];
    const std::string tg = f.target_group()["TargetGroupArn"];
    const std::string listener = f.listener(lb, tg)["ListenerArn"];
    auto rule = [&](int priority, const std::string& path) {
        return f.call(
            "CreateRule",
            {{"ListenerArn", listener},
             {"Priority", priority},
             {"Conditions", json::array({{{"Field", "path-pattern"}, {"Values", {path}}}})},
             {"Actions",
              json::array({{{"Type", "forward"}, {"TargetGroupArn", tg}}})}})["Rules"][0];
    };
    const json first = rule(10, "/api/*");
    CHECK(first["Priority"] == "10");
    CHECK(first["IsDefault"] == false);
    const json second = rule(20, "/*");
    CHECK(
        f.error_of("CreateRule",
                   {{"ListenerArn", listener},
                    {"Priority", 10},
                    {"Conditions", json::array({{{"Field", "path-pattern"}, {"Values", {"/x"}}}})},
                    {"Actions", json::array({{{"Type", "forward"}, {"TargetGroupArn", tg}}})}}) ==
        "PriorityInUse");
    auto rules = f.call("DescribeRules", {{"ListenerArn", listener}})["Rules"];
    REQUIRE(rules.size() == 3);
    CHECK(rules[2]["Priority"] == "default");
    CHECK(rules[2]["IsDefault"] == true);
    CHECK(f.error_of("DeleteRule", {{"RuleArn", rules[2]["RuleArn"]}}) == "OperationNotPermitted");

    // Swapping two priorities in one call is allowed.
    f.call("SetRulePriorities",
           {{"RulePriorities", json::array({{{"RuleArn", first["RuleArn"]}, {"Priority", 20}},
                                            {{"RuleArn", second["RuleArn"]}, {"Priority", 10}}})}});
    rules = f.call("DescribeRules", {{"ListenerArn", listener}})["Rules"];
    CHECK(rules[0]["RuleArn"] == second["RuleArn"]);
    CHECK(f.error_of("SetRulePriorities",
                     {{"RulePriorities", json::array({{{"RuleArn", first["RuleArn"]},
                                                       {"Priority", 10}}})}}) == "PriorityInUse");

    // A rule cannot forward to a target group that is gone.
    CHECK(f.error_of(
              "ModifyRule",
              {{"RuleArn", first["RuleArn"]},
               {"Actions", json::array({{{"Type", "forward"},
                                         {"TargetGroupArn",
                                          "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                                          "targetgroup/gone/0000000000000000"}}})}}) ==
          "TargetGroupNotFound");
}

TEST_CASE("Unit behaviour: describe calls page with Marker and PageSize", "[elbv2][unit]") {
    Elbv2Fixture f;
    for (int i = 0; i < 5; ++i) {
        f.target_group("tg-" + std::to_string(i));
    }
    auto page = f.call("DescribeTargetGroups", {{"PageSize", 2}});
    CHECK(page["TargetGroups"].size() == 2);
    CHECK(page["TargetGroups"][0]["TargetGroupName"] == "tg-0");
    std::vector<std::string> names;
    json input = {{"PageSize", 2}};
    while (true) {
        page = f.call("DescribeTargetGroups", input);
        for (const auto& group : page["TargetGroups"]) {
            names.push_back(group["TargetGroupName"]);
        }
        if (!page.contains("NextMarker")) {
            break;
        }
        input["Marker"] = page["NextMarker"];
    }
    CHECK(names == std::vector<std::string>{"tg-0", "tg-1", "tg-2", "tg-3", "tg-4"});
    CHECK(f.error_of("DescribeTargetGroups", {{"PageSize", 401}}) == "ValidationError");
    CHECK(f.error_of("DescribeTargetGroups", {{"Marker", "bm9wZQ=="}}) == "ValidationError");
}

TEST_CASE("Unit behaviour: the store lists every listener of every scope for the data plane",
          "[elbv2][unit]") {
    Elbv2Fixture f;
    const std::string lb = f.load_balancer()["LoadBalancerArn"];
    const std::string tg = f.target_group()["TargetGroupArn"];
    const std::string listener = f.listener(lb, tg, 8080)["ListenerArn"];
    auto transaction = f.database.transaction();
    Elbv2Store store(f.database);
    const auto listeners = store.all_of_kind(ResourceKind::Listener);
    REQUIRE(listeners.size() == 1);
    CHECK(listeners[0].first.account_id == "123456789012");
    CHECK(listeners[0].first.region == "us-east-1");
    CHECK(listeners[0].second.arn == listener);
    CHECK(listeners[0].second.parent == lb);
    CHECK(listeners[0].second.document["Port"] == 8080);
    CHECK(store.all_of_kind(ResourceKind::Rule).size() == 1);  // the default rule
}

TEST_CASE("Unit behaviour: a target in a zone the load balancer is not in is unused",
          "[elbv2][unit]") {
    Elbv2Fixture f;
    const auto subnets = ec2::default_subnets(f.database, f.scope);
    REQUIRE(subnets.size() >= 3);
    const std::string lb = f.load_balancer()["LoadBalancerArn"];  // the first two zones
    const std::string tg = f.target_group()["TargetGroupArn"];
    f.listener(lb, tg);
    // An address in the third zone's subnet, its loopback mirror (where an ECS task of that
    // subnet lives), and an address in the first zone.
    const std::string third = subnets[2].cidr_block.substr(0, subnets[2].cidr_block.find('/'));
    const std::string third_base = third.substr(0, third.rfind('.'));
    const std::string outside = third_base + ".10";
    const std::string mirrored = "127" + outside.substr(outside.find('.'));
    const std::string first =
        subnets[0].cidr_block.substr(0, subnets[0].cidr_block.rfind('.')) + ".10";
    f.call("RegisterTargets",
           {{"TargetGroupArn", tg},
            {"Targets", json::array({{{"Id", outside}}, {{"Id", mirrored}}, {{"Id", first}}})}});
    std::map<std::string, json> by_id;
    for (const auto& description : f.health(tg)) {
        by_id[description["Target"]["Id"]] = description["TargetHealth"];
    }
    CHECK(by_id[outside]["State"] == "unused");
    CHECK(by_id[outside]["Reason"] == "Target.NotInUse");
    CHECK(by_id[outside]["Description"] ==
          "Target is in an Availability Zone that is not enabled for the load balancer");
    CHECK(by_id[mirrored]["Reason"] == "Target.NotInUse");
    CHECK(by_id[first]["State"] == "initial");

    // Enabling the third zone puts its targets in use.
    const auto ids = f.subnets();
    f.call("SetSubnets", {{"LoadBalancerArn", lb}, {"Subnets", {ids[0], ids[1], ids[2]}}});
    for (const auto& description : f.health(tg)) {
        CHECK(description["TargetHealth"]["State"] == "initial");
    }
}
