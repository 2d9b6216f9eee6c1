#include "services/ecs/ecs_tasks.hpp"

#include "emulator/runtime/time_format.hpp"
#include "services/ecs/ecs_arns.hpp"

namespace awsemu::ecs {
namespace {

// AWS keeps a stopped task describable for at least an hour.
constexpr auto kStoppedTaskRetention = std::chrono::hours(1);
constexpr auto kPurgeInterval = std::chrono::minutes(5);

Task new_task(const Scope& scope, const Cluster& cluster, const TaskDefinition& definition,
              const TaskRequest& request, const PlacementChoice* placement, TimePoint now) {
    Task task;
    task.task_id = new_task_id();
    task.task_arn = task_arn(scope, cluster.name, task.task_id);
    task.cluster_arn = cluster.arn;
    task.task_definition_arn = definition.arn;
    task.family = definition.family;
    task.revision = definition.revision;
    task.launch_type = request.launch_type;
    task.group = request.group.empty() ? "family:" + definition.family : request.group;
    task.started_by = request.started_by;
    task.service_name = request.service_name;
    task.deployment_id = request.deployment_id;
    task.cpu = definition.cpu;
    task.memory = definition.memory;
    if (request.overrides.contains("cpu")) {
        task.cpu = request.overrides["cpu"].get<std::string>();
    }
    if (request.overrides.contains("memory")) {
        task.memory = request.overrides["memory"].get<std::string>();
    }
    task.network_mode = definition.network_mode;
    task.security_groups = request.security_groups;
    task.overrides = request.overrides;
    if (!task.overrides.contains("containerOverrides")) {
        task.overrides["containerOverrides"] = nlohmann::json::array();
    }
    if (!task.overrides.contains("inferenceAcceleratorOverrides")) {
        task.overrides["inferenceAcceleratorOverrides"] = nlohmann::json::array();
    }
    task.enable_execute_command = request.enable_execute_command;
    task.created_ms = to_epoch_ms(now);
    if (placement != nullptr) {
        task.availability_zone = placement->subnet.availability_zone;
        task.subnet_id = placement->subnet.subnet_id;
        task.private_ip = placement->private_ip;
        if (definition.network_mode == "awsvpc") {
            const std::string id = new_task_id();  // attachment ids are UUIDs
            task.attachment_id = id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) +
                                 "-" + id.substr(16, 4) + "-" + id.substr(20, 12);
        }
    }
    for (const auto& container : definition.containers) {
        TaskContainer reported;
        reported.name = container.name;
        reported.image = container.image;
        // Fargate's runtime ids: the task id and a ten-digit number.
        reported.runtime_id =
            task.task_id + "-" + std::to_string(1000000000 + task.containers.size());
        reported.container_arn = "arn:aws:ecs:" + scope.region + ":" + scope.account_id +
                                 ":container/" + cluster.name + "/" + task.task_id + "/" +
                                 new_task_id();
        reported.essential = container.essential;
        reported.cpu = std::to_string(container.cpu);
        if (container.memory) {
            reported.memory = std::to_string(*container.memory);
        }
        if (container.memory_reservation) {
            reported.memory_reservation = std::to_string(*container.memory_reservation);
        }
        for (const auto& mapping : container.port_mappings) {
            if (mapping.container_port) {
                reported.container_ports.push_back(*mapping.container_port);
            }
        }
        task.containers.push_back(std::move(reported));
    }
    return task;
}

}  // namespace

EcsTasks::EcsTasks(ServiceEnvironment& environment, ImageMap image_map)
    : store(environment.database),
      runtime({environment.database, environment.clock, environment.scheduler,
               *environment.processes, std::move(image_map), environment.local_endpoint}),
      environment_(environment) {
    runtime.on_task_changed = [this](const Scope& scope, const Task& task) {
        if (task.last_status == kStopped) {
            placement.release(task.private_ip);
        }
        if (on_task_changed) {
            on_task_changed(scope, task);
        }
    };
}

std::vector<Task> EcsTasks::start_tasks(const Scope& scope, const Cluster& cluster,
                                        const TaskDefinition& definition,
                                        const TaskRequest& request, int count,
                                        const std::map<std::string, int>& tasks_per_az,
                                        TimePoint now) {
    const auto subnets =
        placement.resolve_subnets(environment_.database, scope, request.subnet_ids);
    std::map<std::string, int> per_az = tasks_per_az;
    std::vector<std::uint16_t> ports;
    for (const auto& container : definition.containers) {
        for (const auto& mapping : container.port_mappings) {
            if (mapping.container_port && mapping.protocol == "tcp") {
                ports.push_back(static_cast<std::uint16_t>(*mapping.container_port));
            }
        }
    }
    std::vector<Task> tasks;
    for (int i = 0; i < count; ++i) {
        const auto choice = placement.place(subnets, per_az, ports);
        if (!choice) {
            break;
        }
        Task task = new_task(scope, cluster, definition, request, &*choice, now);
        store.put(scope, task);
        runtime.launch(scope, task.task_id, definition);
        tasks.push_back(std::move(task));
    }
    return tasks;
}

Task EcsTasks::stop_task(const Scope& scope, Task task, const std::string& stop_code,
                         const std::string& reason, TimePoint now) {
    if (task.last_status == kStopped || task.desired_status == kStopped) {
        return task;
    }
    task.desired_status = std::string(kStopped);
    task.stop_code = stop_code;
    task.stopped_reason = reason;
    task.stopping_ms = to_epoch_ms(now);
    if (task.last_status == kProvisioning) {
        // Not brought up yet: nothing to signal.
        task.last_status = std::string(kStopped);
        task.execution_stopped_ms = task.stopping_ms;
        task.stopped_ms = task.stopping_ms;
        for (auto& container : task.containers) {
            container.last_status = std::string(kStopped);
        }
        placement.release(task.private_ip);
    } else {
        runtime.stop(scope, task.task_id, stop_code, reason);
    }
    ++task.version;
    store.put(scope, task);
    if (task.last_status == kStopped) {
        // The runtime never had it, so it tells no one: its service must hear it stopped.
        environment_.scheduler.post([this, scope, task] {
            if (on_task_changed) {
                on_task_changed(scope, task);
            }
        });
    }
    return task;
}

void EcsTasks::availability_zone_lost(const std::string& zone, TimePoint now) {
    auto transaction = environment_.database.transaction();
    for (auto& [scope, task] : store.all_unstopped()) {
        if (task.availability_zone == zone) {
            stop_task(scope, std::move(task), std::string(kTerminationNotice),
                      "Task stopped because availability zone " + zone + " became unavailable",
                      now);
        }
    }
    transaction.commit();
}

void EcsTasks::forget_all() {
    runtime.forget_all();
    placement.forget_all();
}

void EcsTasks::stop_orphaned_tasks(TimePoint now) {
    auto transaction = environment_.database.transaction();
    for (auto& [scope, task] : store.all_unstopped()) {
        const auto at = to_epoch_ms(now);
        task.desired_status = std::string(kStopped);
        task.last_status = std::string(kStopped);
        task.stop_code = std::string(kTerminationNotice);
        task.stopped_reason =
            "Task stopped because awsemu restarted: its processes did not survive the restart";
        task.stopping_ms = task.stopping_ms.value_or(at);
        task.execution_stopped_ms = at;
        task.stopped_ms = at;
        for (auto& container : task.containers) {
            if (container.last_status != kStopped) {
                container.last_status = std::string(kStopped);
                container.reason = "awsemu restarted";
            }
        }
        ++task.version;
        store.put(scope, task);
    }
    transaction.commit();
}

void EcsTasks::schedule_purge() {
    environment_.scheduler.at(environment_.clock.now() + kPurgeInterval, [this] {
        {
            auto transaction = environment_.database.transaction();
            store.purge_stopped_before(
                to_epoch_ms(environment_.clock.now() - kStoppedTaskRetention));
            transaction.commit();
        }
        schedule_purge();
    });
}

}  // namespace awsemu::ecs
