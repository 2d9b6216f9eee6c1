#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/ecs/ecs_arns.hpp"
#include "services/ecs/ecs_model.hpp"
#include "services/ecs/ecs_store.hpp"

// Amazon ECS (AWS JSON 1.1, target prefix AmazonEC2ContainerServiceV20141113, signing name
// "ecs"). The operation table is built area by area: each ecs_ops_<area>.cpp adds its
// operations through add_<area>_operations, all sharing one EcsContext. Tasks and services add
// their own areas (add_task_operations, add_service_operations) the same way, and plug into the
// control plane through EcsHooks.
namespace awsemu::ecs {

// What is running in a cluster, as DescribeClusters counts it and DeleteCluster refuses it.
struct ClusterActivity {
    std::int64_t running_tasks = 0;
    std::int64_t pending_tasks = 0;
    std::int64_t active_services = 0;
    std::int64_t draining_services = 0;
    std::int64_t registered_container_instances = 0;
};

// Where the task and service code plugs into the control plane. Unset hooks mean "nothing
// there": clusters are empty, and tags may be put on any well-formed task, service, task set or
// container instance ARN.
struct EcsHooks {
    // The cluster's running/pending tasks and active services: DescribeClusters' counts and
    // STATISTICS, and DeleteCluster's ClusterContainsTasksException /
    // ClusterContainsServicesException.
    std::function<ClusterActivity(const Scope&, const Cluster&)> cluster_activity;
    // Whether the resource an ARN of another type than cluster, task-definition or
    // capacity-provider names exists (task, service, task-set, container-instance), for
    // TagResource / UntagResource / ListTagsForResource. nullopt: not known here (taken as
    // existing).
    std::function<std::optional<bool>(const Scope&, const EcsArn&)> resource_exists;
};

// What every ECS operation shares: the store, the hooks, and the environment the service was
// registered in (nullptr in unit tests that build the table over a bare database).
struct EcsContext {
    EcsContext(Database& database, ServiceEnvironment* env) : store(database), environment(env) {}

    EcsStore store;
    EcsHooks hooks;
    ServiceEnvironment* environment = nullptr;

    // The ACTIVE cluster a request names (short name or ARN; the default cluster when
    // `reference` is empty or absent); ClusterNotFoundException otherwise.
    Cluster require_cluster(const Scope& scope, const std::optional<std::string>& reference);
    ClusterActivity activity_of(const Scope& scope, const Cluster& cluster) const;
    // The task definition a request names (family, family:revision, ARN), in any status;
    // ClientException "Unable to describe task definition." when there is none.
    TaskDefinition require_task_definition(const Scope& scope, std::string_view reference);
};

using EcsOperations = std::map<std::string, Operation, std::less<>>;
using EcsHandler = std::function<nlohmann::json(EcsContext&, const RequestContext&, const Params&)>;

// Adds one operation whose handler receives the shared context.
void add_operation(EcsOperations& operations, const std::shared_ptr<EcsContext>& ecs,
                   std::string name, EcsHandler handler);

// The value of an account setting in effect for `principal_arn`: its own, else the account
// default (PutAccountSettingDefault), else AWS's default.
std::string effective_account_setting(EcsContext& ecs, const Scope& scope,
                                      std::string_view principal_arn, std::string_view name);
// The caller's ARN (the account root for anonymous requests).
std::string principal_of(const RequestContext& context);

// One per area (ecs_ops_<area>.cpp).
void add_task_definition_operations(EcsOperations& operations,
                                    const std::shared_ptr<EcsContext>& ecs);
void add_cluster_operations(EcsOperations& operations, const std::shared_ptr<EcsContext>& ecs);
void add_tag_operations(EcsOperations& operations, const std::shared_ptr<EcsContext>& ecs);
void add_account_setting_operations(EcsOperations& operations,
                                    const std::shared_ptr<EcsContext>& ecs);
void add_capacity_provider_operations(EcsOperations& operations,
                                      const std::shared_ptr<EcsContext>& ecs);

// The operation table, for the registry and for tests. `context_out`, when given, receives the
// shared context (tests set hooks through it).
ServiceDefinition make_service_definition(Database& database,
                                          ServiceEnvironment* environment = nullptr,
                                          std::shared_ptr<EcsContext>* context_out = nullptr);

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment);

}  // namespace awsemu::ecs
