#include "services/ecs/service_record.hpp"

#include <random>

#include "services/ecs/ecs_model.hpp"
#include "services/ecs/ecs_task.hpp"

namespace awsemu::ecs {
namespace {

using nlohmann::json;

json deployment_json(const ServiceRecord& service, const Deployment& deployment) {
    json out = {
        {"id", deployment.id},
        {"status", deployment.status},
        {"taskDefinition", deployment.task_definition_arn},
        {"desiredCount", deployment.desired_count},
        {"pendingCount", deployment.pending_count},
        {"runningCount", deployment.running_count},
        {"failedTasks", deployment.failed_tasks},
        {"createdAt", json_timestamp(deployment.created_ms)},
        {"updatedAt", json_timestamp(deployment.updated_ms)},
        {"rolloutState", deployment.rollout_state},
        {"rolloutStateReason", deployment.rollout_state_reason},
    };
    if (!service.launch_type.empty()) {
        out["launchType"] = service.launch_type;
    } else {
        out["capacityProviderStrategy"] = service.capacity_provider_strategy;
    }
    if (service.launch_type == "FARGATE" || service.launch_type.empty()) {
        out["platformVersion"] = service.platform_version.value_or("1.4.0");
        out["platformFamily"] = "Linux";
    }
    if (!service.network_configuration.is_null()) {
        out["networkConfiguration"] = service.network_configuration;
    }
    return out;
}

Deployment deployment_from_json(const json& value) {
    Deployment deployment;
    deployment.id = value.value("id", "");
    deployment.status = value.value("status", "PRIMARY");
    deployment.task_definition_arn = value.value("taskDefinition", "");
    deployment.desired_count = value.value("desiredCount", std::int64_t{0});
    deployment.pending_count = value.value("pendingCount", std::int64_t{0});
    deployment.running_count = value.value("runningCount", std::int64_t{0});
    deployment.failed_tasks = value.value("failedTasks", std::int64_t{0});
    deployment.rollout_state = value.value("rolloutState", "IN_PROGRESS");
    deployment.rollout_state_reason = value.value("rolloutStateReason", "");
    deployment.created_ms = static_cast<std::int64_t>(value.value("createdAt", 0.0) * 1000 + 0.5);
    deployment.updated_ms = static_cast<std::int64_t>(value.value("updatedAt", 0.0) * 1000 + 0.5);
    return deployment;
}

}  // namespace

Deployment* ServiceRecord::deployment(const std::string& id) {
    for (auto& deployment : deployments) {
        if (deployment.id == id) {
            return &deployment;
        }
    }
    return nullptr;
}

std::string new_deployment_id() {
    thread_local std::mt19937_64 random(std::random_device{}());
    std::string digits =
        std::to_string(1'000'000'000'000'000'000ULL + random() % 8'000'000'000'000'000'000ULL);
    return "ecs-svc/" + digits;
}

void add_event(ServiceRecord& service, std::int64_t now_ms, const std::string& message) {
    const std::string id = new_task_id();
    service.events.insert(
        service.events.begin(),
        ServiceEvent{id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" +
                         id.substr(16, 4) + "-" + id.substr(20, 12),
                     now_ms, "(service " + service.name + ") " + message});
    if (service.events.size() > kMaxServiceEvents) {
        service.events.resize(kMaxServiceEvents);
    }
}

json service_json(const ServiceRecord& service) {
    json deployments = json::array();
    for (const auto& deployment : service.deployments) {
        deployments.push_back(deployment_json(service, deployment));
    }
    json events = json::array();
    for (const auto& event : service.events) {
        events.push_back({{"id", event.id},
                          {"createdAt", json_timestamp(event.created_ms)},
                          {"message", event.message}});
    }
    json out = {
        {"serviceArn", service.arn},
        {"serviceName", service.name},
        {"clusterArn", service.cluster_arn},
        {"loadBalancers", service.load_balancers},
        {"serviceRegistries", service.service_registries},
        {"status", service.status},
        {"desiredCount", service.desired_count},
        {"runningCount", service.running_count},
        {"pendingCount", service.pending_count},
        {"taskDefinition", service.task_definition_arn},
        {"deploymentConfiguration",
         {{"deploymentCircuitBreaker",
           {{"enable", service.circuit_breaker}, {"rollback", service.circuit_breaker_rollback}}},
          {"maximumPercent", service.maximum_percent},
          {"minimumHealthyPercent", service.minimum_healthy_percent}}},
        {"deployments", std::move(deployments)},
        {"events", std::move(events)},
        {"createdAt", json_timestamp(service.created_ms)},
        {"placementConstraints", service.placement_constraints},
        {"placementStrategy", service.placement_strategy},
        {"schedulingStrategy", service.scheduling_strategy},
        {"deploymentController", {{"type", "ECS"}}},
        {"createdBy", service.created_by},
        {"enableECSManagedTags", service.enable_ecs_managed_tags},
        {"propagateTags", service.propagate_tags},
        {"enableExecuteCommand", service.enable_execute_command},
        {"availabilityZoneRebalancing", service.availability_zone_rebalancing},
    };
    if (!service.launch_type.empty()) {
        out["launchType"] = service.launch_type;
    } else {
        out["capacityProviderStrategy"] = service.capacity_provider_strategy;
    }
    if (service.launch_type == "FARGATE" || service.launch_type.empty()) {
        out["platformVersion"] = service.platform_version.value_or("LATEST");
        out["platformFamily"] = "Linux";
    }
    if (!service.network_configuration.is_null()) {
        out["networkConfiguration"] = service.network_configuration;
    }
    if (service.health_check_grace_period_seconds) {
        out["healthCheckGracePeriodSeconds"] = *service.health_check_grace_period_seconds;
    }
    if (service.role_arn) {
        out["roleArn"] = *service.role_arn;
    }
    return out;
}

json service_document(const ServiceRecord& service) {
    json document = service_json(service);
    document["awsemu"] = {{"steadyAnnounced", service.steady_announced},
                          {"lastCompleted", service.last_completed_task_definition},
                          {"platformVersion", service.platform_version.value_or("")}};
    return document;
}

ServiceRecord service_from_document(const json& document) {
    ServiceRecord service;
    service.arn = document.value("serviceArn", "");
    service.name = document.value("serviceName", "");
    service.cluster_arn = document.value("clusterArn", "");
    service.load_balancers = document.value("loadBalancers", json::array());
    service.service_registries = document.value("serviceRegistries", json::array());
    service.status = document.value("status", "ACTIVE");
    service.desired_count = document.value("desiredCount", std::int64_t{0});
    service.running_count = document.value("runningCount", std::int64_t{0});
    service.pending_count = document.value("pendingCount", std::int64_t{0});
    service.task_definition_arn = document.value("taskDefinition", "");
    const json& configuration = document.value("deploymentConfiguration", json::object());
    service.maximum_percent = configuration.value("maximumPercent", 200);
    service.minimum_healthy_percent = configuration.value("minimumHealthyPercent", 100);
    const json& breaker = configuration.value("deploymentCircuitBreaker", json::object());
    service.circuit_breaker = breaker.value("enable", false);
    service.circuit_breaker_rollback = breaker.value("rollback", false);
    for (const auto& deployment : document.value("deployments", json::array())) {
        service.deployments.push_back(deployment_from_json(deployment));
    }
    for (const auto& event : document.value("events", json::array())) {
        service.events.push_back(
            {event.value("id", ""),
             static_cast<std::int64_t>(event.value("createdAt", 0.0) * 1000 + 0.5),
             event.value("message", "")});
    }
    service.created_ms = static_cast<std::int64_t>(document.value("createdAt", 0.0) * 1000 + 0.5);
    service.placement_constraints = document.value("placementConstraints", json::array());
    service.placement_strategy = document.value("placementStrategy", json::array());
    service.scheduling_strategy = document.value("schedulingStrategy", "REPLICA");
    service.created_by = document.value("createdBy", "");
    service.enable_ecs_managed_tags = document.value("enableECSManagedTags", false);
    service.propagate_tags = document.value("propagateTags", "NONE");
    service.enable_execute_command = document.value("enableExecuteCommand", false);
    // A service stored before awsemu kept it never had one set: AWS treats that as DISABLED.
    service.availability_zone_rebalancing =
        document.value("availabilityZoneRebalancing", "DISABLED");
    service.launch_type = document.value("launchType", "");
    service.capacity_provider_strategy = document.value("capacityProviderStrategy", json::array());
    service.network_configuration = document.value("networkConfiguration", json());
    if (document.contains("healthCheckGracePeriodSeconds")) {
        service.health_check_grace_period_seconds =
            document["healthCheckGracePeriodSeconds"].get<std::int64_t>();
    }
    if (document.contains("roleArn")) {
        service.role_arn = document["roleArn"].get<std::string>();
    }
    const json& own = document.value("awsemu", json::object());
    service.steady_announced = own.value("steadyAnnounced", false);
    service.last_completed_task_definition = own.value("lastCompleted", "");
    if (const std::string version = own.value("platformVersion", ""); !version.empty()) {
        service.platform_version = version;
    }
    return service;
}

}  // namespace awsemu::ecs
