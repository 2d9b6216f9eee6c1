// CreateService, UpdateService, DeleteService, DescribeServices, ListServices.
#include "emulator/runtime/time_format.hpp"
#include "services/ecs/ecs_arns.hpp"
#include "services/ecs/ecs_errors.hpp"
#include "services/ecs/ecs_input.hpp"
#include "services/ecs/ecs_service.hpp"
#include "services/ecs/ecs_tasks.hpp"
#include "services/ecs/service_scheduler.hpp"

namespace awsemu::ecs {
namespace {

// availabilityZoneRebalancing, ENABLED or DISABLED; nullopt when the request has none.
std::optional<std::string> rebalancing_of(const Params& params) {
    auto value = params.optional_string("availabilityZoneRebalancing");
    if (value && *value != "ENABLED" && *value != "DISABLED") {
        throw AwsError(errors::InvalidParameterException,
                       "Invalid value for availabilityZoneRebalancing: " + *value +
                           ". Valid values are ENABLED and DISABLED.");
    }
    return value;
}

using nlohmann::json;

constexpr std::size_t kMaxDescribedServices = 10;

json described(EcsContext& ecs, const Scope& scope, const ServiceRecord& service, bool with_tags) {
    json out = service_json(service);
    out["tags"] = with_tags ? tags_json(ecs.store.tags_of(scope, service.arn)) : json::array();
    return out;
}

// A service by name or ARN in the cluster, any status; ServiceNotFoundException otherwise.
ServiceRecord require_service(ServiceScheduler& scheduler, const Scope& scope,
                              const Cluster& cluster, const std::string& reference) {
    const auto ref = parse_cluster_child_ref(reference, "service");
    if (ref && (!ref->cluster_name || *ref->cluster_name == cluster.name)) {
        if (auto service = scheduler.store.find(scope, cluster.arn, ref->id)) {
            return std::move(*service);
        }
    }
    throw AwsError(errors::ServiceNotFoundException, "Service not found.");
}

// The ACTIVE service UpdateService and DeleteService name (ServiceNotActiveException else).
ServiceRecord require_active_service(ServiceScheduler& scheduler, const Scope& scope,
                                     const Cluster& cluster, const Params& params) {
    ServiceRecord service =
        require_service(scheduler, scope, cluster, params.required_string("service"));
    if (service.status != "ACTIVE") {
        throw AwsError(errors::ServiceNotActiveException, "Service was not ACTIVE.");
    }
    return service;
}

void apply_deployment_configuration(ServiceRecord& service, const Params& params) {
    const json* configuration = params.optional_object("deploymentConfiguration");
    if (configuration == nullptr) {
        return;
    }
    const std::string path = "deploymentConfiguration";
    if (const auto maximum = json_int(*configuration, "maximumPercent", path)) {
        service.maximum_percent = static_cast<int>(*maximum);
    }
    if (const auto minimum = json_int(*configuration, "minimumHealthyPercent", path)) {
        service.minimum_healthy_percent = static_cast<int>(*minimum);
    }
    if (const json* breaker = json_object(*configuration, "deploymentCircuitBreaker", path)) {
        service.circuit_breaker =
            json_bool(*breaker, "enable", path + ".deploymentCircuitBreaker").value_or(false);
        service.circuit_breaker_rollback =
            json_bool(*breaker, "rollback", path + ".deploymentCircuitBreaker").value_or(false);
    }
    if (service.maximum_percent < 100 && service.minimum_healthy_percent >= 100) {
        throw AwsError(errors::InvalidParameterException,
                       "The maximumPercent must be at least 100 when minimumHealthyPercent is "
                       "100 or more.");
    }
    if (service.minimum_healthy_percent < 0 || service.minimum_healthy_percent > 100 ||
        service.maximum_percent < 0 || service.maximum_percent > 200 ||
        service.maximum_percent <= service.minimum_healthy_percent) {
        throw AwsError(errors::InvalidParameterException,
                       "The maximumPercent must be greater than minimumHealthyPercent, "
                       "minimumHealthyPercent must be 0-100 and maximumPercent 0-200.");
    }
}

std::int64_t desired_count_param(const Params& params, std::int64_t fallback) {
    const std::int64_t count = params.optional_int("desiredCount").value_or(fallback);
    if (count < 0) {
        throw AwsError(errors::InvalidParameterException,
                       "The desiredCount must be greater than or equal to 0.");
    }
    return count;
}

Deployment new_deployment(const ServiceRecord& service, std::int64_t now_ms) {
    Deployment deployment;
    deployment.id = new_deployment_id();
    deployment.task_definition_arn = service.task_definition_arn;
    deployment.desired_count = service.desired_count;
    deployment.created_ms = now_ms;
    deployment.updated_ms = now_ms;
    deployment.rollout_state_reason = "ECS deployment " + deployment.id + " in progress.";
    return deployment;
}

}  // namespace

LaunchParams launch_of(const ServiceRecord& service) {
    return {service.launch_type.empty() ? std::nullopt : std::optional(service.launch_type),
            service.network_configuration.is_null() ? nullptr : &service.network_configuration,
            service.launch_type.empty()};
}

namespace {

bool valid_service_name(std::string_view name) {
    return valid_cluster_name(name);  // the same rule: 1-255 letters, digits, - and _
}

json create_service(EcsContext& ecs, ServiceScheduler& scheduler, const RequestContext& context,
                    const Params& params) {
    const Cluster cluster = ecs.require_cluster(context.scope, params.optional_string("cluster"));
    const std::string name = params.required_string("serviceName");
    if (!valid_service_name(name)) {
        throw AwsError(errors::InvalidParameterException,
                       "Service names can have up to 255 characters: letters (uppercase and "
                       "lowercase), numbers, underscores, and hyphens.");
    }
    const auto existing = scheduler.store.find(context.scope, cluster.arn, name);
    if (existing && existing->status != "INACTIVE") {
        throw AwsError(errors::InvalidParameterException,
                       "Creation of service was not idempotent.");
    }
    const auto definition_ref = params.optional_string("taskDefinition");
    if (!definition_ref) {
        throw AwsError(errors::InvalidParameterException,
                       "TaskDefinition must be specified for the ECS deployment controller.");
    }
    const auto definition = runnable_definition(ecs, context.scope, *definition_ref);
    task_request_for(ecs, context.scope, definition, launch_params(params));  // checks them

    const auto now_ms = to_epoch_ms(context.now());
    ServiceRecord service;
    service.name = name;
    service.arn = service_arn(context.scope, cluster.name, name);
    service.cluster_arn = cluster.arn;
    service.task_definition_arn = definition.arn;
    service.desired_count = desired_count_param(params, 0);
    if (const json* strategy = params.optional_array("capacityProviderStrategy")) {
        service.capacity_provider_strategy = *strategy;
    } else {
        service.launch_type = params.optional_string("launchType").value_or("EC2");
    }
    apply_deployment_configuration(service, params);
    if (const json* network = params.optional_object("networkConfiguration")) {
        service.network_configuration = *network;
    }
    for (const auto& [member, target] :
         {std::pair{"loadBalancers", &service.load_balancers},
          std::pair{"serviceRegistries", &service.service_registries},
          std::pair{"placementConstraints", &service.placement_constraints},
          std::pair{"placementStrategy", &service.placement_strategy}}) {
        if (const json* list = params.optional_array(member)) {
            *target = *list;
        }
    }
    service.health_check_grace_period_seconds =
        params.optional_int("healthCheckGracePeriodSeconds");
    service.scheduling_strategy = params.optional_string("schedulingStrategy").value_or("REPLICA");
    service.propagate_tags = params.optional_string("propagateTags").value_or("NONE");
    service.enable_ecs_managed_tags = params.optional_bool("enableECSManagedTags").value_or(false);
    service.enable_execute_command = params.optional_bool("enableExecuteCommand").value_or(false);
    service.availability_zone_rebalancing = rebalancing_of(params).value_or("ENABLED");
    service.role_arn = params.optional_string("role");
    service.platform_version = params.optional_string("platformVersion");
    service.created_by = principal_of(context);
    service.created_ms = now_ms;
    service.deployments.push_back(new_deployment(service, now_ms));
    const auto tags = tags_param(params.optional_array("tags"));
    if (existing) {
        ecs.store.delete_tags_of(context.scope, service.arn);
    }
    if (!tags.empty()) {
        ecs.store.put_tags(context.scope, service.arn, tags);
    }
    scheduler.store.put(context.scope, service);
    scheduler.poke(context.scope, cluster.arn, name);
    return {{"service", described(ecs, context.scope, service, true)}};
}

json update_service(EcsContext& ecs, ServiceScheduler& scheduler, const RequestContext& context,
                    const Params& params) {
    const Cluster cluster = ecs.require_cluster(context.scope, params.optional_string("cluster"));
    ServiceRecord service = require_active_service(scheduler, context.scope, cluster, params);
    bool deploy = params.optional_bool("forceNewDeployment").value_or(false);
    std::optional<TaskDefinition> definition;
    if (const auto reference = params.optional_string("taskDefinition")) {
        definition = runnable_definition(ecs, context.scope, *reference);
        deploy = deploy || definition->arn != service.task_definition_arn;
        service.task_definition_arn = definition->arn;
    } else {
        definition = ecs.store.find_task_definition(context.scope, service.task_definition_arn);
    }
    if (const json* network = params.optional_object("networkConfiguration")) {
        deploy = deploy || *network != service.network_configuration;
        service.network_configuration = *network;
    }
    if (definition) {
        task_request_for(ecs, context.scope, *definition, launch_of(service));
    }
    service.desired_count = desired_count_param(params, service.desired_count);
    apply_deployment_configuration(service, params);
    if (const auto grace = params.optional_int("healthCheckGracePeriodSeconds")) {
        service.health_check_grace_period_seconds = grace;
    }
    if (const auto propagate = params.optional_string("propagateTags")) {
        service.propagate_tags = *propagate;
    }
    if (const auto enable = params.optional_bool("enableExecuteCommand")) {
        service.enable_execute_command = *enable;
    }
    if (const auto rebalancing = rebalancing_of(params)) {
        service.availability_zone_rebalancing = *rebalancing;
    }
    if (const auto enable = params.optional_bool("enableECSManagedTags")) {
        service.enable_ecs_managed_tags = *enable;
    }
    if (const json* list = params.optional_array("loadBalancers")) {
        service.load_balancers = *list;
    }
    if (const auto version = params.optional_string("platformVersion")) {
        service.platform_version = *version;
    }
    const auto now_ms = to_epoch_ms(context.now());
    if (deploy) {
        service.primary().status = "ACTIVE";
        service.deployments.insert(service.deployments.begin(), new_deployment(service, now_ms));
    }
    service.primary().desired_count = service.desired_count;
    service.primary().updated_ms = now_ms;
    service.steady_announced = false;
    scheduler.store.put(context.scope, service);
    scheduler.poke(context.scope, cluster.arn, service.name);
    return {{"service", described(ecs, context.scope, service, true)}};
}

json delete_service(EcsContext& ecs, ServiceScheduler& scheduler, const RequestContext& context,
                    const Params& params) {
    const Cluster cluster = ecs.require_cluster(context.scope, params.optional_string("cluster"));
    ServiceRecord service = require_active_service(scheduler, context.scope, cluster, params);
    if (service.desired_count > 0 && !params.optional_bool("force").value_or(false)) {
        throw AwsError(errors::InvalidParameterException,
                       "The service cannot be stopped while it is scaled above 0.");
    }
    service.status = "DRAINING";
    service.desired_count = 0;
    scheduler.store.put(context.scope, service);
    scheduler.poke(context.scope, cluster.arn, service.name);
    return {{"service", described(ecs, context.scope, service, true)}};
}

json describe_services(EcsContext& ecs, ServiceScheduler& scheduler, const RequestContext& context,
                       const Params& params) {
    const Cluster cluster = ecs.require_cluster(context.scope, params.optional_string("cluster"));
    const auto references = params.string_list("services");
    if (references.empty() || references.size() > kMaxDescribedServices) {
        throw AwsError(errors::InvalidParameterException,
                       "services must contain between 1 and 10 services.");
    }
    bool with_tags = false;
    for (const auto& item : params.string_list("include")) {
        with_tags = with_tags || item == "TAGS";
    }
    json services = json::array();
    json failures = json::array();
    for (const auto& reference : references) {
        try {
            const auto service = require_service(scheduler, context.scope, cluster, reference);
            services.push_back(described(ecs, context.scope, service, with_tags));
        } catch (const AwsError&) {
            const bool is_arn = reference.rfind("arn:", 0) == 0;
            failures.push_back(
                {{"arn", is_arn ? reference : service_arn(context.scope, cluster.name, reference)},
                 {"reason", "MISSING"}});
        }
    }
    return {{"services", std::move(services)}, {"failures", std::move(failures)}};
}

json list_services(EcsContext& ecs, ServiceScheduler& scheduler, const RequestContext& context,
                   const Params& params) {
    const Cluster cluster = ecs.require_cluster(context.scope, params.optional_string("cluster"));
    const std::size_t limit = max_results_param(params, 10);
    const std::string after = next_token_key(params).value_or("");
    auto arns = scheduler.store.list_arns(context.scope, cluster.arn,
                                          params.optional_string("launchType").value_or(""), after,
                                          limit + 1);
    const auto next = cut_page(arns, limit, [](const std::string& arn) {
        return arn.substr(arn.rfind('/') + 1);  // the task id or service name
    });
    json out = {{"serviceArns", arns}};
    if (next) {
        out["nextToken"] = *next;
    }
    return out;
}

}  // namespace

void add_service_operations(EcsOperations& operations, const std::shared_ptr<EcsContext>& ecs,
                            const std::shared_ptr<ServiceScheduler>& scheduler) {
    const auto bind = [&](const char* name, json (*handler)(EcsContext&, ServiceScheduler&,
                                                            const RequestContext&, const Params&)) {
        add_operation(operations, ecs, name,
                      [scheduler, handler](EcsContext& context, const RequestContext& request,
                                           const Params& params) {
                          return handler(context, *scheduler, request, params);
                      });
    };
    bind("CreateService", create_service);
    bind("UpdateService", update_service);
    bind("DeleteService", delete_service);
    bind("DescribeServices", describe_services);
    bind("ListServices", list_services);
}

}  // namespace awsemu::ecs
