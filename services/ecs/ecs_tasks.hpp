#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/auth/credentials.hpp"
#include "emulator/params.hpp"
#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/ecs/ecs_model.hpp"
#include "services/ecs/ecs_task.hpp"
#include "services/ecs/ecs_task_store.hpp"
#include "services/ecs/task_definition.hpp"
#include "services/ecs/task_placement.hpp"
#include "services/ecs/task_runtime.hpp"

// Tasks as RunTask and the service scheduler start them: the store, the placement and the
// runtime together, and the one function that makes a task.
namespace awsemu::ecs {

// How a task is asked for, besides its definition and cluster.
struct TaskRequest {
    std::string launch_type = "FARGATE";
    std::vector<std::string> subnet_ids;  // awsvpcConfiguration.subnets (empty: default VPC)
    std::vector<std::string> security_groups;
    nlohmann::json overrides = nlohmann::json::object();
    std::optional<std::string> started_by;
    std::string group;  // default "family:FAMILY"
    std::string service_name;
    std::string deployment_id;
    bool enable_execute_command = false;
};

// Also the source of the credentials tasks get for their role (strict mode checks them).
class EcsTasks final : public CredentialSource {
  public:
    EcsTasks(ServiceEnvironment& environment, ImageMap image_map);

    std::optional<ResolvedCredential> find(std::string_view access_key_id) const override {
        return runtime.credential(access_key_id);
    }

    // Stores `count` new tasks PROVISIONING, each placed in the zone with the fewest of the
    // group's tasks, and launches them after the current request. Fewer than `count` when the
    // subnets are full or their zones are down. Throws AwsError for bad subnets.
    std::vector<Task> start_tasks(const Scope& scope, const Cluster& cluster,
                                  const TaskDefinition& definition, const TaskRequest& request,
                                  int count, const std::map<std::string, int>& tasks_per_az,
                                  TimePoint now);
    // StopTask and the schedulers: a live task is signalled; one that has not come up yet is
    // stopped at once. Answers the task as it is now (desiredStatus STOPPED).
    Task stop_task(const Scope& scope, Task task, const std::string& stop_code,
                   const std::string& reason, TimePoint now);

    // A zone went down: its tasks stop at once (their services replace them elsewhere, as
    // placement skips zones that are down).
    void availability_zone_lost(const std::string& zone, TimePoint now);
    // All state is being emptied: no task runs any more.
    void forget_all();
    // After a restart nothing runs: tasks stored as running are reported stopped.
    void stop_orphaned_tasks(TimePoint now);
    // Forgets tasks stopped more than an hour ago, as AWS does; then again every few minutes.
    void schedule_purge();

    // Told, on the event loop, when a task reaches RUNNING, stops or changes health
    // (the service scheduler listens).
    std::function<void(const Scope&, const Task&)> on_task_changed;

    TaskStore store;
    TaskPlacement placement;
    TaskRuntime runtime;

  private:
    ServiceEnvironment& environment_;
};

struct EcsContext;
using EcsOperations = std::map<std::string, Operation, std::less<>>;

// RunTask, StartTask, StopTask, DescribeTasks and ListTasks (ecs_ops_tasks.cpp).
void add_task_operations(EcsOperations& operations, const std::shared_ptr<EcsContext>& ecs,
                         const std::shared_ptr<EcsTasks>& tasks);

// The definition RunTask, CreateService and UpdateService may run: it exists (ClientException
// "TaskDefinition not found.") and is ACTIVE.
TaskDefinition runnable_definition(EcsContext& ecs, const Scope& scope,
                                   const std::string& reference);

// How RunTask, CreateService and UpdateService ask for a launch.
struct LaunchParams {
    std::optional<std::string> launch_type;
    const nlohmann::json* network_configuration = nullptr;  // null when none was given
    bool has_capacity_provider_strategy = false;
};
LaunchParams launch_params(const Params& params);

// The launch type and awsvpc configuration of a task, checked against the definition
// (ClientException, InvalidParameterException as ECS words them) and EC2 (subnets, groups).
TaskRequest task_request_for(EcsContext& ecs, const Scope& scope, const TaskDefinition& definition,
                             const LaunchParams& launch);

}  // namespace awsemu::ecs
