#include "services/ecs/ecs_service.hpp"

#include "services/ecs/ecs_errors.hpp"
#include "services/ecs/ecs_workloads.hpp"

namespace awsemu::ecs {

Cluster EcsContext::require_cluster(const Scope& scope,
                                    const std::optional<std::string>& reference) {
    const std::string given =
        reference && !reference->empty() ? *reference : std::string(kDefaultClusterName);
    const auto name = cluster_name_of(given);
    if (name) {
        auto cluster = store.find_cluster(scope, *name);
        if (cluster && cluster->status == "ACTIVE") {
            return std::move(*cluster);
        }
    }
    throw AwsError(errors::ClusterNotFoundException, std::string(errors::kClusterNotFound));
}

ClusterActivity EcsContext::activity_of(const Scope& scope, const Cluster& cluster) const {
    if (!hooks.cluster_activity) {
        return {};
    }
    return hooks.cluster_activity(scope, cluster);
}

TaskDefinition EcsContext::require_task_definition(const Scope& scope, std::string_view reference) {
    auto found = store.find_task_definition(scope, reference);
    if (!found) {
        throw AwsError(errors::ClientException,
                       std::string(errors::kUnableToDescribeTaskDefinition));
    }
    return std::move(*found);
}

std::string principal_of(const RequestContext& context) {
    return context.caller_arn.empty() ? account_root_arn(context.scope) : context.caller_arn;
}

void add_operation(EcsOperations& operations, const std::shared_ptr<EcsContext>& ecs,
                   std::string name, EcsHandler handler) {
    operations.emplace(std::move(name),
                       Operation{[ecs, handler = std::move(handler)](const RequestContext& context,
                                                                     const Params& params) {
                           return handler(*ecs, context, params);
                       }});
}

ServiceDefinition make_service_definition(Database& database, ServiceEnvironment* environment,
                                          std::shared_ptr<EcsContext>* context_out) {
    auto ecs = std::make_shared<EcsContext>(database, environment);
    ServiceDefinition definition;
    definition.name = "ecs";
    definition.signing_name = "ecs";
    definition.protocol = Protocol::AwsJson11;
    definition.json_target_prefix = "AmazonEC2ContainerServiceV20141113";
    add_task_definition_operations(definition.operations, ecs);
    add_cluster_operations(definition.operations, ecs);
    add_tag_operations(definition.operations, ecs);
    add_account_setting_operations(definition.operations, ecs);
    add_capacity_provider_operations(definition.operations, ecs);
    if (context_out != nullptr) {
        *context_out = ecs;
    }
    return definition;
}

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment) {
    std::shared_ptr<EcsContext> ecs;
    ServiceDefinition definition =
        make_service_definition(environment.database, &environment, &ecs);
    add_workloads(definition, ecs, environment);
    registry.add(std::move(definition));
}

}  // namespace awsemu::ecs
