// RunTask, StartTask, StopTask, DescribeTasks, ListTasks.
#include "services/ec2/ec2_api.hpp"
#include "services/ecs/ecs_arns.hpp"
#include "services/ecs/ecs_errors.hpp"
#include "services/ecs/ecs_input.hpp"
#include "services/ecs/ecs_service.hpp"
#include "services/ecs/ecs_tasks.hpp"
#include "services/ecs/task_environment.hpp"

namespace awsemu::ecs {
namespace {

using nlohmann::json;

constexpr std::int64_t kMaxRunTaskCount = 10;
constexpr std::size_t kMaxDescribedTasks = 100;
constexpr std::size_t kMaxStartedByLength = 36;

json tasks_with_tags(EcsContext& ecs, const Scope& scope, const std::vector<Task>& tasks,
                     bool with_tags) {
    json out = json::array();
    for (const auto& task : tasks) {
        json described = task_json(task);
        if (with_tags) {
            described["tags"] = tags_json(ecs.store.tags_of(scope, task.task_arn));
        }
        out.push_back(std::move(described));
    }
    return out;
}

bool includes_tags(const Params& params) {
    for (const auto& item : params.string_list("include")) {
        if (item == "TAGS") {
            return true;
        }
    }
    return false;
}

void check_overrides(const TaskDefinition& definition, const json& overrides) {
    const json* list = json_array(overrides, "containerOverrides", "overrides");
    if (list == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = "overrides.containerOverrides[" + std::to_string(i) + "]";
        expect_object((*list)[i], path);
        const auto name = json_string((*list)[i], "name", path);
        json_string_list((*list)[i], "command", path);
        if (const json* environment = json_array((*list)[i], "environment", path)) {
            for (const auto& variable : *environment) {
                expect_object(variable, path + ".environment");
            }
        }
        if (name && definition.container(*name) == nullptr) {
            throw AwsError(errors::InvalidParameterException,
                           "Override for container named " + *name +
                               " is not a container in the TaskDefinition.");
        }
    }
}

}  // namespace

TaskDefinition runnable_definition(EcsContext& ecs, const Scope& scope,
                                   const std::string& reference) {
    auto definition = ecs.store.find_task_definition(scope, reference);
    if (!definition) {
        throw AwsError(errors::ClientException, "TaskDefinition not found.");
    }
    if (definition->status != "ACTIVE") {
        throw AwsError(errors::ClientException, "TaskDefinition is inactive");
    }
    return std::move(*definition);
}

LaunchParams launch_params(const Params& params) {
    return {params.optional_string("launchType"), params.optional_object("networkConfiguration"),
            params.has("capacityProviderStrategy")};
}

TaskRequest task_request_for(EcsContext& ecs, const Scope& scope, const TaskDefinition& definition,
                             const LaunchParams& launch) {
    TaskRequest request;
    if (const auto& launch_type = launch.launch_type) {
        if (*launch_type != "FARGATE" && *launch_type != "EC2" && *launch_type != "EXTERNAL") {
            throw AwsError(errors::InvalidParameterException,
                           "launchType must be one of EC2, FARGATE, EXTERNAL.");
        }
        bool compatible = false;
        for (const auto& compatibility : definition.compatibilities) {
            compatible = compatible || compatibility == *launch_type;
        }
        if (!compatible) {
            throw AwsError(errors::ClientException,
                           "Task definition does not support launch_type " + *launch_type + ".");
        }
        request.launch_type = *launch_type;
    } else {
        // Without a launch type a capacity provider strategy places the task on Fargate; the
        // EC2 default has no container instances here, so awsemu runs those tasks itself too.
        request.launch_type = launch.has_capacity_provider_strategy ? "FARGATE" : "EC2";
    }
    const json* network = launch.network_configuration;
    const json* awsvpc = network != nullptr
                             ? json_object(*network, "awsvpcConfiguration", "networkConfiguration")
                             : nullptr;
    if (definition.network_mode == "awsvpc") {
        if (awsvpc == nullptr) {
            throw AwsError(errors::InvalidParameterException,
                           "Network Configuration must be provided when networkMode 'awsvpc' is "
                           "specified.");
        }
        request.subnet_ids =
            json_string_list(*awsvpc, "subnets", "networkConfiguration.awsvpcConfiguration");
        if (request.subnet_ids.empty()) {
            throw AwsError(errors::InvalidParameterException, "subnets can not be empty.");
        }
        request.security_groups =
            json_string_list(*awsvpc, "securityGroups", "networkConfiguration.awsvpcConfiguration");
        for (const auto& group : request.security_groups) {
            if (!ec2::security_group_exists(ecs.environment->database, scope, group)) {
                throw AwsError(errors::InvalidParameterException,
                               "Error retrieving security group information for [" + group +
                                   "]: The security group '" + group +
                                   "' does not exist (Service: AmazonEC2; Status Code: 400; "
                                   "Error Code: InvalidGroup.NotFound)");
            }
        }
    } else if (awsvpc != nullptr) {
        throw AwsError(errors::InvalidParameterException,
                       "Network Configuration is not valid for the given networkMode of this "
                       "task definition.");
    }
    return request;
}

namespace {

json run_task(EcsContext& ecs, EcsTasks& tasks, const RequestContext& context,
              const Params& params) {
    const Cluster cluster = ecs.require_cluster(context.scope, params.optional_string("cluster"));
    const TaskDefinition definition =
        runnable_definition(ecs, context.scope, params.required_string("taskDefinition"));
    const std::int64_t count = params.optional_int("count").value_or(1);
    if (count < 1 || count > kMaxRunTaskCount) {
        throw AwsError(errors::InvalidParameterException, "count must be between 1 and 10.");
    }
    TaskRequest request = task_request_for(ecs, context.scope, definition, launch_params(params));
    request.enable_execute_command = params.optional_bool("enableExecuteCommand").value_or(false);
    if (const json* overrides = params.optional_object("overrides")) {
        check_overrides(definition, *overrides);
        request.overrides = *overrides;
    }
    request.started_by = params.optional_string("startedBy");
    if (request.started_by && request.started_by->size() > kMaxStartedByLength) {
        throw AwsError(errors::InvalidParameterException,
                       "startedBy must be at most 36 characters long.");
    }
    request.group = params.optional_string("group").value_or("");
    std::vector<Tag> tags = tags_param(params.optional_array("tags"));
    if (params.optional_string("propagateTags").value_or("") == "TASK_DEFINITION") {
        auto inherited = ecs.store.tags_of(context.scope, definition.arn);
        merge_tags(inherited, tags);
        tags = std::move(inherited);
    }

    // Spread over zones counting the tasks of the same group already running.
    std::map<std::string, int> per_zone;
    const auto started = tasks.start_tasks(context.scope, cluster, definition, request,
                                           static_cast<int>(count), per_zone, context.now());
    json failures = json::array();
    for (auto i = static_cast<std::int64_t>(started.size()); i < count; ++i) {
        failures.push_back({{"reason", "RESOURCE:ENI"},
                            {"detail",
                             "No free address in the given subnets, or their "
                             "availability zones are down."}});
    }
    for (const auto& task : started) {
        if (!tags.empty()) {
            ecs.store.put_tags(context.scope, task.task_arn, tags);
        }
    }
    return {{"tasks", tasks_with_tags(ecs, context.scope, started, true)},
            {"failures", std::move(failures)}};
}

json start_task(EcsContext& ecs, EcsTasks&, const RequestContext& context, const Params& params) {
    ecs.require_cluster(context.scope, params.optional_string("cluster"));
    ecs.require_task_definition(context.scope, params.required_string("taskDefinition"));
    const auto instances = params.string_list("containerInstances");
    if (instances.empty()) {
        throw AwsError(errors::InvalidParameterException, "Container instances cannot be empty.");
    }
    // awsemu's tasks run without container instances, so none that StartTask names exists.
    json failures = json::array();
    for (const auto& instance : instances) {
        failures.push_back({{"arn", instance}, {"reason", "MISSING"}});
    }
    return {{"tasks", json::array()}, {"failures", std::move(failures)}};
}

// The task a request names in a cluster, or nullopt.
std::optional<Task> find_task(EcsTasks& tasks, const Scope& scope, const Cluster& cluster,
                              const std::string& reference) {
    const auto ref = parse_cluster_child_ref(reference, "task");
    if (!ref || (ref->cluster_name && *ref->cluster_name != cluster.name)) {
        return std::nullopt;
    }
    auto task = tasks.store.find(scope, ref->id);
    if (!task || task->cluster_arn != cluster.arn) {
        return std::nullopt;
    }
    return task;
}

json stop_task(EcsContext& ecs, EcsTasks& tasks, const RequestContext& context,
               const Params& params) {
    const Cluster cluster = ecs.require_cluster(context.scope, params.optional_string("cluster"));
    const std::string reference = params.required_string("task");
    auto task = find_task(tasks, context.scope, cluster, reference);
    if (!task) {
        throw AwsError(errors::InvalidParameterException, "The referenced task was not found.");
    }
    const std::string reason = params.optional_string("reason").value_or("Task stopped by user");
    const Task stopped = tasks.stop_task(context.scope, std::move(*task),
                                         std::string(kUserInitiated), reason, context.now());
    return {{"task", tasks_with_tags(ecs, context.scope, {stopped}, true)[0]}};
}

json describe_tasks(EcsContext& ecs, EcsTasks& tasks, const RequestContext& context,
                    const Params& params) {
    const Cluster cluster = ecs.require_cluster(context.scope, params.optional_string("cluster"));
    const auto references = params.string_list("tasks");
    if (references.empty()) {
        throw AwsError(errors::InvalidParameterException, "Tasks cannot be empty.");
    }
    if (references.size() > kMaxDescribedTasks) {
        throw AwsError(errors::InvalidParameterException,
                       "Too many tasks were provided. Provide no more than 100 tasks.");
    }
    std::vector<Task> found;
    json failures = json::array();
    for (const auto& reference : references) {
        if (auto task = find_task(tasks, context.scope, cluster, reference)) {
            found.push_back(std::move(*task));
        } else {
            const bool is_arn = reference.rfind("arn:", 0) == 0;
            failures.push_back(
                {{"arn", is_arn ? reference : task_arn(context.scope, cluster.name, reference)},
                 {"reason", "MISSING"}});
        }
    }
    return {{"tasks", tasks_with_tags(ecs, context.scope, found, includes_tags(params))},
            {"failures", std::move(failures)}};
}

json list_tasks(EcsContext& ecs, EcsTasks& tasks, const RequestContext& context,
                const Params& params) {
    const Cluster cluster = ecs.require_cluster(context.scope, params.optional_string("cluster"));
    TaskFilter filter;
    filter.cluster_arn = cluster.arn;
    filter.family = params.optional_string("family");
    filter.service_name = params.optional_string("serviceName");
    if (filter.service_name) {
        if (const auto ref = parse_cluster_child_ref(*filter.service_name, "service")) {
            filter.service_name = ref->id;
        }
    }
    filter.started_by = params.optional_string("startedBy");
    filter.launch_type = params.optional_string("launchType");
    filter.desired_status = params.optional_string("desiredStatus").value_or("RUNNING");
    if (filter.desired_status != "RUNNING" && filter.desired_status != "PENDING" &&
        filter.desired_status != "STOPPED") {
        throw AwsError(errors::InvalidParameterException,
                       "desiredStatus must be one of RUNNING, PENDING, STOPPED.");
    }
    const std::size_t limit = max_results_param(params);
    const std::string after = next_token_key(params).value_or("");
    auto arns = tasks.store.list_arns(context.scope, filter, after, limit + 1);
    const auto next = cut_page(arns, limit, [](const std::string& arn) {
        return arn.substr(arn.rfind('/') + 1);  // the task id or service name
    });
    json out = {{"taskArns", arns}};
    if (next) {
        out["nextToken"] = *next;
    }
    return out;
}

}  // namespace

void add_task_operations(EcsOperations& operations, const std::shared_ptr<EcsContext>& ecs,
                         const std::shared_ptr<EcsTasks>& tasks) {
    const auto bind = [&](const char* name, json (*handler)(EcsContext&, EcsTasks&,
                                                            const RequestContext&, const Params&)) {
        add_operation(operations, ecs, name,
                      [tasks, handler](EcsContext& context, const RequestContext& request,
                                       const Params& params) {
                          return handler(context, *tasks, request, params);
                      });
    };
    bind("RunTask", run_task);
    bind("StartTask", start_task);
    bind("StopTask", stop_task);
    bind("DescribeTasks", describe_tasks);
    bind("ListTasks", list_tasks);
}

}  // namespace awsemu::ecs
