#include "services/ecs/ecs_task.hpp"

#include <random>

#include "services/ecs/ecs_model.hpp"

namespace awsemu::ecs {
namespace {

using nlohmann::json;

void put_time(json& out, const char* key, const std::optional<std::int64_t>& ms) {
    if (ms) {
        out[key] = json_timestamp(*ms);
    }
}

std::optional<std::int64_t> time_of(const json& document, const char* key) {
    const auto it = document.find(key);
    if (it == document.end() || !it->is_number()) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(it->get<double>() * 1000.0 + 0.5);
}

std::optional<std::string> text_of(const json& document, const char* key) {
    const auto it = document.find(key);
    if (it == document.end() || !it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

json container_json(const Task& task, const TaskContainer& container) {
    json out = {
        {"containerArn", container.container_arn},
        {"taskArn", task.task_arn},
        {"name", container.name},
        {"image", container.image},
        {"runtimeId", container.runtime_id},
        {"lastStatus", container.last_status},
        {"healthStatus", container.health_status},
        {"cpu", container.cpu},
        {"networkBindings", json::array()},
        {"networkInterfaces", json::array()},
    };
    if (!task.attachment_id.empty()) {
        out["networkInterfaces"].push_back(
            {{"attachmentId", task.attachment_id}, {"privateIpv4Address", task.private_ip}});
    }
    if (container.exit_code) {
        out["exitCode"] = *container.exit_code;
    }
    if (container.reason) {
        out["reason"] = *container.reason;
    }
    if (container.memory) {
        out["memory"] = *container.memory;
    }
    if (container.memory_reservation) {
        out["memoryReservation"] = *container.memory_reservation;
    }
    return out;
}

TaskContainer container_from_json(const json& value, const json& ports) {
    TaskContainer container;
    container.name = value.value("name", "");
    container.image = value.value("image", "");
    container.runtime_id = value.value("runtimeId", "");
    container.container_arn = value.value("containerArn", "");
    container.last_status = value.value("lastStatus", "PENDING");
    container.health_status = value.value("healthStatus", "UNKNOWN");
    container.cpu = value.value("cpu", "0");
    if (value.contains("exitCode")) {
        container.exit_code = value["exitCode"].get<int>();
    }
    container.reason = text_of(value, "reason");
    container.memory = text_of(value, "memory");
    container.memory_reservation = text_of(value, "memoryReservation");
    container.essential = ports.value("essential", true);
    if (ports.contains("containerPorts")) {
        container.container_ports = ports["containerPorts"].get<std::vector<int>>();
    }
    return container;
}

}  // namespace

TaskContainer* Task::container(std::string_view name) {
    for (auto& container : containers) {
        if (container.name == name) {
            return &container;
        }
    }
    return nullptr;
}

const TaskContainer* Task::container(std::string_view name) const {
    return const_cast<Task*>(this)->container(name);
}

json task_json(const Task& task) {
    json containers = json::array();
    for (const auto& container : task.containers) {
        containers.push_back(container_json(task, container));
    }
    json out = {
        {"taskArn", task.task_arn},
        {"clusterArn", task.cluster_arn},
        {"taskDefinitionArn", task.task_definition_arn},
        {"group", task.group},
        {"launchType", task.launch_type},
        {"desiredStatus", task.desired_status},
        {"lastStatus", task.last_status},
        {"healthStatus", task.health_status},
        {"availabilityZone", task.availability_zone},
        {"connectivity", "CONNECTED"},
        {"containers", std::move(containers)},
        {"overrides", task.overrides},
        {"enableExecuteCommand", task.enable_execute_command},
        {"version", task.version},
        {"attributes", json::array({{{"name", "ecs.cpu-architecture"}, {"value", "x86_64"}}})},
        {"attachments", json::array()},
        {"tags", json::array()},
    };
    if (task.launch_type == "FARGATE") {
        out["platformVersion"] = "1.4.0";
        out["platformFamily"] = "Linux";
        out["ephemeralStorage"] = {{"sizeInGiB", 20}};
    }
    if (!task.attachment_id.empty()) {
        const bool attached = task.last_status != kStopped;
        out["attachments"].push_back({
            {"id", task.attachment_id},
            {"type", "ElasticNetworkInterface"},
            {"status", attached ? "ATTACHED" : "DELETED"},
            {"details", json::array({
                            {{"name", "subnetId"}, {"value", task.subnet_id}},
                            {{"name", "networkInterfaceId"},
                             {"value", "eni-" + task.attachment_id.substr(0, 17)}},
                            {{"name", "privateIPv4Address"}, {"value", task.private_ip}},
                        })},
        });
    }
    for (const auto& [key, value] :
         {std::pair{"cpu", task.cpu}, std::pair{"memory", task.memory},
          std::pair{"startedBy", task.started_by}, std::pair{"stopCode", task.stop_code},
          std::pair{"stoppedReason", task.stopped_reason}}) {
        if (value) {
            out[key] = *value;
        }
    }
    put_time(out, "createdAt", task.created_ms);
    put_time(out, "connectivityAt", task.created_ms);
    put_time(out, "pullStartedAt", task.pull_started_ms);
    put_time(out, "pullStoppedAt", task.pull_stopped_ms);
    put_time(out, "startedAt", task.started_ms);
    put_time(out, "stoppingAt", task.stopping_ms);
    put_time(out, "executionStoppedAt", task.execution_stopped_ms);
    put_time(out, "stoppedAt", task.stopped_ms);
    return out;
}

json task_document(const Task& task) {
    json document = task_json(task);
    json containers = json::array();
    for (const auto& container : task.containers) {
        containers.push_back(
            {{"essential", container.essential}, {"containerPorts", container.container_ports}});
    }
    document["awsemu"] = {{"serviceName", task.service_name},
                          {"deploymentId", task.deployment_id},
                          {"family", task.family},
                          {"revision", task.revision},
                          {"subnetId", task.subnet_id},
                          {"privateIp", task.private_ip},
                          {"networkMode", task.network_mode},
                          {"securityGroups", task.security_groups},
                          {"containers", std::move(containers)}};
    return document;
}

Task task_from_document(const json& document) {
    const json& own = document.at("awsemu");
    Task task;
    task.task_arn = document.value("taskArn", "");
    task.task_id = task.task_arn.substr(task.task_arn.rfind('/') + 1);
    task.cluster_arn = document.value("clusterArn", "");
    task.task_definition_arn = document.value("taskDefinitionArn", "");
    task.group = document.value("group", "");
    task.launch_type = document.value("launchType", "FARGATE");
    task.desired_status = document.value("desiredStatus", "RUNNING");
    task.last_status = document.value("lastStatus", std::string(kProvisioning));
    task.health_status = document.value("healthStatus", "UNKNOWN");
    task.availability_zone = document.value("availabilityZone", "");
    task.overrides = document.value("overrides", json::object());
    task.enable_execute_command = document.value("enableExecuteCommand", false);
    task.version = document.value("version", std::int64_t{1});
    task.cpu = text_of(document, "cpu");
    task.memory = text_of(document, "memory");
    task.started_by = text_of(document, "startedBy");
    task.stop_code = text_of(document, "stopCode");
    task.stopped_reason = text_of(document, "stoppedReason");
    task.created_ms = time_of(document, "createdAt").value_or(0);
    task.pull_started_ms = time_of(document, "pullStartedAt");
    task.pull_stopped_ms = time_of(document, "pullStoppedAt");
    task.started_ms = time_of(document, "startedAt");
    task.stopping_ms = time_of(document, "stoppingAt");
    task.execution_stopped_ms = time_of(document, "executionStoppedAt");
    task.stopped_ms = time_of(document, "stoppedAt");
    for (const auto& attachment : document.value("attachments", json::array())) {
        task.attachment_id = attachment.value("id", "");
    }
    task.service_name = own.value("serviceName", "");
    task.deployment_id = own.value("deploymentId", "");
    task.family = own.value("family", "");
    task.revision = own.value("revision", std::int64_t{0});
    task.subnet_id = own.value("subnetId", "");
    task.private_ip = own.value("privateIp", "");
    task.network_mode = own.value("networkMode", "awsvpc");
    task.security_groups = own.value("securityGroups", std::vector<std::string>{});
    const json& described = document.value("containers", json::array());
    const json& internal = own.value("containers", json::array());
    for (std::size_t i = 0; i < described.size(); ++i) {
        task.containers.push_back(
            container_from_json(described[i], i < internal.size() ? internal[i] : json::object()));
    }
    return task;
}

std::string new_task_id() {
    thread_local std::mt19937_64 random(std::random_device{}());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (auto& digit : id) {
        digit = kHex[random() % 16];
    }
    return id;
}

}  // namespace awsemu::ecs
