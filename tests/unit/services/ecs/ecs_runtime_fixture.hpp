#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator/auth/credentials.hpp"
#include "emulator/chaos/zone_outages.hpp"
#include "emulator/runtime/manual_scheduler.hpp"
#include "emulator/runtime/time_format.hpp"
#include "emulator/service_registry.hpp"
#include "emulator/store/database.hpp"
#include "services/ec2/ec2_api.hpp"
#include "services/ec2/ec2_service.hpp"
#include "services/ecs/ecs_service.hpp"
#include "services/logs/logs_service.hpp"
#include "services/secretsmanager/secretsmanager_service.hpp"
#include "tests/unit/operation_call.hpp"
#include "tests/unit/services/ecs/fake_process_supervisor.hpp"

namespace awsemu::ecs::testing {

using awsemu::testing::CaughtError;
using awsemu::testing::FakeProcessSupervisor;

// ECS as the server runs it (tasks, services, their scheduler), with the services it uses
// (EC2's default VPC, CloudWatch Logs, Secrets Manager), over an in-memory database, a manual
// clock and scheduler, and a fake process supervisor. Nothing runs until the test runs the
// scheduler (settle, advance).
struct EcsWorld {
    ManualClock clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    CredentialRegistry credentials{{}, "123456789012"};
    FakeProcessSupervisor processes{scheduler};
    ServiceEnvironment environment{database, clock, scheduler, credentials, "123456789012"};
    ZoneOutages zones;
    ServiceRegistry registry;
    Scope scope{"123456789012", "us-east-1"};

    static constexpr std::string_view kEndpoint = "http://127.0.0.1:4566";

    EcsWorld() {
        environment.processes = &processes;
        environment.zones = &zones;
        environment.local_endpoint = [] { return std::string(kEndpoint); };
        secretsmanager::register_service(registry, environment);
        ec2::register_service(registry, environment);
        logs::register_service(registry, environment);
        ecs::register_service(registry, environment);
        settle();
        ecs("CreateCluster", {{"clusterName", "default"}});
    }

    // Runs what is posted and what is due now.
    void settle() { scheduler.run_ready(); }
    void advance(Duration by) { scheduler.advance(by); }
    std::int64_t now_ms() const { return to_epoch_ms(clock.now()); }

    nlohmann::json call(std::string_view service, std::string_view operation,
                        nlohmann::json input = nlohmann::json::object()) {
        const ServiceDefinition* definition = registry.by_signing_name(service);
        REQUIRE(definition != nullptr);
        const RequestContext context{scope, "request-id", "", "", std::string(kEndpoint), &clock};
        return awsemu::testing::call_operation(database, *definition, context, operation,
                                               std::move(input));
    }
    nlohmann::json ecs(std::string_view operation,
                       nlohmann::json input = nlohmann::json::object()) {
        return call("ecs", operation, std::move(input));
    }
    CaughtError ecs_error(std::string_view operation, nlohmann::json input) {
        return awsemu::testing::caught_error(operation, [&] { ecs(operation, std::move(input)); });
    }

    // A container of image awsemu/host that runs `program` (its argv[0], which is how the fake
    // supervisor's processes are told apart).
    static nlohmann::json container(const std::string& name, const std::string& program,
                                    nlohmann::json extra = nlohmann::json::object()) {
        nlohmann::json out = {{"name", name}, {"image", "awsemu/host"}, {"entryPoint", {program}}};
        out.update(extra);
        return out;
    }

    // Registers a Fargate task definition of `containers`; answers its ARN.
    std::string register_definition(const std::string& family, nlohmann::json containers,
                                    nlohmann::json extra = nlohmann::json::object()) {
        nlohmann::json request = {{"family", family},
                                  {"networkMode", "awsvpc"},
                                  {"requiresCompatibilities", {"FARGATE"}},
                                  {"cpu", "256"},
                                  {"memory", "512"},
                                  {"containerDefinitions", std::move(containers)}};
        request.update(extra);
        return ecs("RegisterTaskDefinition", request)["taskDefinition"]["taskDefinitionArn"];
    }

    // awsvpcConfiguration over the default VPC's subnets.
    nlohmann::json network() {
        nlohmann::json subnets = nlohmann::json::array();
        for (const auto& subnet : ec2::default_subnets(database, scope)) {
            subnets.push_back(subnet.subnet_id);
        }
        return {{"awsvpcConfiguration", {{"subnets", subnets}}}};
    }

    // RunTask of `definition` on Fargate; answers the task as RunTask does.
    nlohmann::json run_task(const std::string& definition,
                            nlohmann::json extra = nlohmann::json::object()) {
        nlohmann::json request = {{"taskDefinition", definition},
                                  {"launchType", "FARGATE"},
                                  {"networkConfiguration", network()}};
        request.update(extra);
        const auto out = ecs("RunTask", request);
        REQUIRE(out["tasks"].size() == 1);
        return out["tasks"][0];
    }

    // Registers family "web" of one container "web" running web-server (with `extra` settings),
    // runs a task of it and lets it come up; answers the task as RunTask answered it.
    nlohmann::json start_web_task(nlohmann::json extra = nlohmann::json::object()) {
        const auto started = run_task(register_definition(
            "web", nlohmann::json::array({container("web", "web-server", std::move(extra))})));
        settle();
        return started;
    }

    static std::string task_id_of(const nlohmann::json& task) {
        const std::string arn = task["taskArn"];
        return arn.substr(arn.rfind('/') + 1);
    }

    // DescribeTasks of one task (by ARN); null when it is MISSING.
    nlohmann::json task(const std::string& task_arn) {
        const auto out = ecs("DescribeTasks", {{"tasks", {task_arn}}});
        return out["tasks"].empty() ? nlohmann::json() : out["tasks"][0];
    }

    static const nlohmann::json& container_of(const nlohmann::json& task, std::string_view name) {
        for (const auto& container : task["containers"]) {
            if (container["name"] == name) {
                return container;
            }
        }
        FAIL("no container " << name << " in " << task.dump());
        return task;
    }

    // The messages of a log stream, oldest first.
    std::vector<std::string> log_messages(const std::string& group, const std::string& stream) {
        const auto out =
            call("logs", "GetLogEvents",
                 {{"logGroupName", group}, {"logStreamName", stream}, {"startFromHead", true}});
        std::vector<std::string> messages;
        for (const auto& event : out["events"]) {
            messages.push_back(event["message"]);
        }
        return messages;
    }

    // A service on the default cluster (Fargate, default subnets).
    nlohmann::json create_service(const std::string& name, const std::string& definition,
                                  int desired_count,
                                  nlohmann::json extra = nlohmann::json::object()) {
        nlohmann::json request = {{"serviceName", name},
                                  {"taskDefinition", definition},
                                  {"desiredCount", desired_count},
                                  {"launchType", "FARGATE"},
                                  {"networkConfiguration", network()}};
        request.update(extra);
        return ecs("CreateService", request)["service"];
    }
    nlohmann::json service(const std::string& name) {
        const auto out = ecs("DescribeServices", {{"services", {name}}});
        REQUIRE(out["services"].size() == 1);
        return out["services"][0];
    }
    // The service's event messages, oldest first.
    std::vector<std::string> events(const std::string& name) {
        std::vector<std::string> out;
        const auto described = service(name);
        for (auto it = described["events"].rbegin(); it != described["events"].rend(); ++it) {
            out.push_back((*it)["message"]);
        }
        return out;
    }
    // The service's tasks that ListTasks answers for `desired_status`, described.
    std::vector<nlohmann::json> service_tasks(const std::string& name,
                                              const std::string& desired_status = "RUNNING") {
        const auto arns = ecs(
            "ListTasks", {{"serviceName", name}, {"desiredStatus", desired_status}})["taskArns"];
        std::vector<nlohmann::json> out;
        if (arns.empty()) {
            return out;
        }
        const auto described = ecs("DescribeTasks", {{"tasks", arns}});
        for (const auto& task : described["tasks"]) {
            out.push_back(task);
        }
        return out;
    }
};

}  // namespace awsemu::ecs::testing
