#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

// An ECS service as DescribeServices reports it: its deployments and events, as plain structs,
// and its JSON. Times are epoch milliseconds of the emulated clock.
namespace awsemu::ecs {

struct ServiceEvent {
    std::string id;
    std::int64_t created_ms = 0;
    std::string message;
};

struct Deployment {
    std::string id;                  // ecs-svc/<19 digits>
    std::string status = "PRIMARY";  // PRIMARY, ACTIVE, INACTIVE
    std::string task_definition_arn;
    std::int64_t desired_count = 0;
    std::int64_t pending_count = 0;
    std::int64_t running_count = 0;
    std::int64_t failed_tasks = 0;
    std::string rollout_state = "IN_PROGRESS";  // IN_PROGRESS, COMPLETED, FAILED
    std::string rollout_state_reason;
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;
};

struct ServiceRecord {
    std::string name;
    std::string arn;
    std::string cluster_arn;
    std::string status = "ACTIVE";  // ACTIVE, DRAINING, INACTIVE
    std::int64_t desired_count = 0;
    std::int64_t running_count = 0;
    std::int64_t pending_count = 0;
    std::string launch_type;  // empty with a capacity provider strategy
    nlohmann::json capacity_provider_strategy = nlohmann::json::array();
    std::string task_definition_arn;
    int maximum_percent = 200;
    int minimum_healthy_percent = 100;
    bool circuit_breaker = false;
    bool circuit_breaker_rollback = false;
    nlohmann::json network_configuration;  // as given; null when none
    nlohmann::json load_balancers = nlohmann::json::array();
    nlohmann::json service_registries = nlohmann::json::array();
    nlohmann::json placement_constraints = nlohmann::json::array();
    nlohmann::json placement_strategy = nlohmann::json::array();
    std::optional<std::int64_t> health_check_grace_period_seconds;
    std::string scheduling_strategy = "REPLICA";
    std::string propagate_tags = "NONE";
    bool enable_ecs_managed_tags = false;
    bool enable_execute_command = false;
    // ENABLED: the scheduler moves tasks between zones to keep them balanced.
    std::string availability_zone_rebalancing = "ENABLED";
    std::optional<std::string> role_arn;
    std::optional<std::string> platform_version;
    std::string created_by;
    std::int64_t created_ms = 0;
    std::vector<Deployment> deployments;  // PRIMARY first
    std::vector<ServiceEvent> events;     // newest first, at most kMaxServiceEvents
    // The scheduler's memory: whether the last steady state was announced, and the task
    // definition of the last deployment that completed (what the circuit breaker rolls back to).
    bool steady_announced = false;
    std::string last_completed_task_definition;

    Deployment& primary() { return deployments.front(); }
    const Deployment& primary() const { return deployments.front(); }
    Deployment* deployment(const std::string& id);
};

inline constexpr std::size_t kMaxServiceEvents = 100;

// A new deployment id: "ecs-svc/" and 19 digits.
std::string new_deployment_id();
// Adds an event in AWS's wording: "(service NAME) MESSAGE".
void add_event(ServiceRecord& service, std::int64_t now_ms, const std::string& message);

// DescribeServices' service (tags are added by the caller).
nlohmann::json service_json(const ServiceRecord& service);
// The stored form, and back.
nlohmann::json service_document(const ServiceRecord& service);
ServiceRecord service_from_document(const nlohmann::json& document);

}  // namespace awsemu::ecs
