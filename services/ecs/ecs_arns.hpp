#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/service.hpp"

// ECS's ARNs: building them for a scope, and reading the names back out of an ARN or the short
// name AWS accepts in its place. Long ARN formats throughout (AWS's default since 2021):
//   arn:aws:ecs:REGION:ACCOUNT:cluster/NAME
//   arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION
//   arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/TASK_ID
//   arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE
//   arn:aws:ecs:REGION:ACCOUNT:container-instance/CLUSTER/ID
//   arn:aws:ecs:REGION:ACCOUNT:capacity-provider/NAME
//   arn:aws:ecs:REGION:ACCOUNT:task-set/CLUSTER/SERVICE/ID
namespace awsemu::ecs {

std::string cluster_arn(const Scope& scope, std::string_view cluster_name);
std::string task_definition_arn(const Scope& scope, std::string_view family, std::int64_t revision);
std::string task_arn(const Scope& scope, std::string_view cluster_name, std::string_view task_id);
std::string service_arn(const Scope& scope, std::string_view cluster_name,
                        std::string_view service_name);
std::string container_instance_arn(const Scope& scope, std::string_view cluster_name,
                                   std::string_view id);
std::string capacity_provider_arn(const Scope& scope, std::string_view name);
// The root principal of the scope's account: arn:aws:iam::ACCOUNT:root.
std::string account_root_arn(const Scope& scope);

// An ECS ARN taken apart. `resource_type` is what comes before the first '/' ("cluster",
// "task-definition", "task", "service", "container-instance", "capacity-provider", "task-set");
// `parts` the '/'-separated rest ("web:3" for a task definition, {"prod", "abc"} for a task).
struct EcsArn {
    std::string partition;
    std::string region;
    std::string account_id;
    std::string resource_type;
    std::vector<std::string> parts;
};

// nullopt when `text` is not arn:PARTITION:ecs:REGION:ACCOUNT:TYPE/...
std::optional<EcsArn> parse_ecs_arn(std::string_view text);

// The cluster a request names: a short name or a cluster ARN -> its name. nullopt for an ARN
// of anything but a cluster.
std::optional<std::string> cluster_name_of(std::string_view reference);

// What DescribeTaskDefinition, RunTask and CreateService accept: FAMILY (the latest ACTIVE
// revision), FAMILY:REVISION or a task definition ARN.
struct TaskDefinitionRef {
    std::string family;
    std::optional<std::int64_t> revision;
};
// nullopt for anything else (an ARN of another resource, a revision that is no number).
std::optional<TaskDefinitionRef> parse_task_definition_ref(std::string_view reference);

// The last name of a task, service or container instance reference: a short id or an ARN in
// the old (TYPE/ID) or the long (TYPE/CLUSTER/ID) format; the cluster when the ARN names one.
struct ClusterChildRef {
    std::string id;
    std::optional<std::string> cluster_name;
};
// `resource_type` is "task", "service" or "container-instance"; nullopt for an ARN of another
// type.
std::optional<ClusterChildRef> parse_cluster_child_ref(std::string_view reference,
                                                       std::string_view resource_type);

}  // namespace awsemu::ecs
