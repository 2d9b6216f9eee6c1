#include "services/ecs/service_load_balancing.hpp"

#include <catch2/catch.hpp>

#include "emulator/protocol/aws_error.hpp"

using namespace awsemu;
using namespace awsemu::ecs;

namespace {

const std::string kGroup =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";

// ELBv2 as ECS sees it: registrations and each target's health, as the test sets it.
class FakeElbv2 final : public elbv2::Elbv2Api {
  public:
    void register_target(const std::string& group, const std::string& ip, int port) override {
        if (group != kGroup) {
            throw AwsError({"TargetGroupNotFound", 400}, "not found");
        }
        log.push_back("register " + ip + ":" + std::to_string(port));
    }
    void deregister_target(const std::string&, const std::string& ip, int port) override {
        log.push_back("deregister " + ip + ":" + std::to_string(port));
    }
    std::optional<elbv2::TargetHealthView> target_health(const std::string&, const std::string& ip,
                                                         int) override {
        return elbv2::TargetHealthView{states[ip], "", "Health checks failed"};
    }
    void watch_health(std::function<void()>) override {}

    std::vector<std::string> log;
    std::map<std::string, std::string> states;
};

Task running_task(const std::string& id, const std::string& ip, std::int64_t started_ms) {
    Task task;
    task.task_id = id;
    task.private_ip = ip;
    task.desired_status = std::string(kRunning);
    task.last_status = std::string(kRunning);
    task.started_ms = started_ms;
    return task;
}

ServiceRecord service_behind(const std::string& group, std::int64_t grace_seconds) {
    ServiceRecord service;
    service.arn = "arn:aws:ecs:us-east-1:123456789012:service/c/web";
    service.load_balancers = nlohmann::json::array(
        {{{"targetGroupArn", group}, {"containerName", "web"}, {"containerPort", 8080}}});
    service.health_check_grace_period_seconds = grace_seconds;
    return service;
}

}  // namespace

TEST_CASE("ECS load balancing: running tasks are registered once, stopped ones deregistered",
          "[ecs][unit]") {
    auto elbv2 = std::make_shared<FakeElbv2>();
    ServiceLoadBalancing balancing(elbv2);
    const auto service = service_behind(kGroup, 0);
    std::vector<Task> tasks = {running_task("a", "127.31.0.5", 0),
                               running_task("b", "127.31.16.4", 0)};
    tasks[1].last_status = "PENDING";
    balancing.update_registrations(service, tasks);
    balancing.update_registrations(service, tasks);
    CHECK(elbv2->log == std::vector<std::string>{"register 127.31.0.5:8080"});

    tasks[1].last_status = std::string(kRunning);
    tasks[0].desired_status = std::string(kStopped);  // told to stop
    balancing.update_registrations(service, tasks);
    CHECK(elbv2->log == std::vector<std::string>{"register 127.31.0.5:8080",
                                                 "deregister 127.31.0.5:8080",
                                                 "register 127.31.16.4:8080"});
    // A task that stopped before the scheduler looked is no longer listed at all.
    balancing.update_registrations(service, {});
    CHECK(elbv2->log.back() == "deregister 127.31.16.4:8080");
    CHECK(elbv2->log.size() == 4);
}

TEST_CASE("ECS load balancing: unhealthy targets fail only after the grace period", "[ecs][unit]") {
    auto elbv2 = std::make_shared<FakeElbv2>();
    ServiceLoadBalancing balancing(elbv2);
    const auto service = service_behind(kGroup, 30);
    const std::vector<Task> tasks = {running_task("a", "127.31.0.5", 1'000'000)};
    balancing.update_registrations(service, tasks);
    elbv2->states["127.31.0.5"] = "unhealthy";

    const TimePoint started{std::chrono::milliseconds(1'000'000)};
    auto outcome = balancing.failures(service, tasks, started + std::chrono::seconds(10));
    CHECK(outcome.failed.empty());
    REQUIRE(outcome.grace_ends);
    CHECK(*outcome.grace_ends == started + std::chrono::seconds(30));

    outcome = balancing.failures(service, tasks, started + std::chrono::seconds(30));
    REQUIRE(outcome.failed.size() == 1);
    CHECK(outcome.failed[0].task_id == "a");
    CHECK(outcome.failed[0].target_group_arn == kGroup);
    CHECK(outcome.failed[0].port == 8080);
    CHECK_FALSE(outcome.grace_ends);

    elbv2->states["127.31.0.5"] = "healthy";
    CHECK(balancing.failures(service, tasks, started + std::chrono::minutes(5)).failed.empty());
}

TEST_CASE("ECS load balancing: a missing target group registers nothing", "[ecs][unit]") {
    auto elbv2 = std::make_shared<FakeElbv2>();
    ServiceLoadBalancing balancing(elbv2);
    const auto service = service_behind(kGroup + "-gone", 0);
    const std::vector<Task> tasks = {running_task("a", "127.31.0.5", 0)};
    balancing.update_registrations(service, tasks);
    CHECK(elbv2->log.empty());
    elbv2->states["127.31.0.5"] = "unhealthy";
    CHECK(balancing.failures(service, tasks, TimePoint{} + std::chrono::hours(1)).failed.empty());
}

TEST_CASE("ECS load balancing: a deployment is healthy once its tasks pass their checks",
          "[ecs][unit]") {
    auto elbv2 = std::make_shared<FakeElbv2>();
    ServiceLoadBalancing balancing(elbv2);
    const auto service = service_behind(kGroup, 0);
    std::vector<Task> tasks = {running_task("new", "127.31.0.5", 0),
                               running_task("old", "127.31.16.4", 0)};
    tasks[0].deployment_id = "ecs-svc/2";
    tasks[1].deployment_id = "ecs-svc/1";
    balancing.update_registrations(service, tasks);
    elbv2->states["127.31.16.4"] = "unhealthy";  // another deployment's: not this one's concern

    elbv2->states["127.31.0.5"] = "initial";
    CHECK_FALSE(balancing.deployment_healthy(service, tasks, "ecs-svc/2"));
    elbv2->states["127.31.0.5"] = "unhealthy";
    CHECK_FALSE(balancing.deployment_healthy(service, tasks, "ecs-svc/2"));
    elbv2->states["127.31.0.5"] = "healthy";
    CHECK(balancing.deployment_healthy(service, tasks, "ecs-svc/2"));
    // Checks that do not run (the group in no load balancer's rule) hold nothing.
    elbv2->states["127.31.0.5"] = "unused";
    CHECK(balancing.deployment_healthy(service, tasks, "ecs-svc/2"));
    // Without load balancers there is nothing to wait for.
    CHECK(ServiceLoadBalancing(nullptr).deployment_healthy(service, tasks, "ecs-svc/2"));
}

TEST_CASE("ECS load balancing: a task passes once healthy in each group it is registered in",
          "[ecs][unit]") {
    auto elbv2 = std::make_shared<FakeElbv2>();
    ServiceLoadBalancing balancing(elbv2);
    const auto service = service_behind(kGroup, 0);
    const Task task = running_task("a", "127.31.0.5", 0);
    // Not registered yet (it was not running when the scheduler last looked): nothing to pass.
    CHECK(balancing.passes_health_checks(service, task));
    balancing.update_registrations(service, {task});
    for (const auto& [state, passes] : std::vector<std::pair<std::string, bool>>{
             {"initial", false}, {"unhealthy", false}, {"healthy", true}, {"unused", true}}) {
        elbv2->states["127.31.0.5"] = state;
        CHECK(balancing.passes_health_checks(service, task) == passes);
    }
    CHECK(ServiceLoadBalancing(nullptr).passes_health_checks(service, task));
}
