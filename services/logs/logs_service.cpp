#include "services/logs/logs_service.hpp"

#include "emulator/runtime/scheduler.hpp"
#include "services/logs/logs_errors.hpp"

namespace awsemu::logs {

LogGroup LogsService::require_group_named(const Scope& scope, const std::string& name) {
    auto group = store_.find_group(scope, name);
    if (!group) {
        throw AwsError(errors::ResourceNotFoundException,
                       "The specified log group does not exist.");
    }
    return std::move(*group);
}

LogGroup LogsService::require_group(const Scope& scope, const Params& params) {
    const auto name = params.optional_string("logGroupName");
    const auto identifier = params.optional_string("logGroupIdentifier");
    if (name && identifier) {
        throw AwsError(errors::InvalidParameterException,
                       "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
    }
    if (!name && !identifier) {
        throw AwsError(errors::InvalidParameterException,
                       "Should provide either name or ARN of a log group.");
    }
    if (name) {
        validate_group_name(*name);
        return require_group_named(scope, *name);
    }
    if (identifier->starts_with("arn:")) {
        const auto group = group_from_arn(scope, *identifier);
        if (!group) {
            throw AwsError(errors::ResourceNotFoundException,
                           "The specified log group does not exist.");
        }
        return require_group_named(scope, *group);
    }
    return require_group_named(scope, *identifier);
}

LogGroup LogsService::require_group_arn(const Scope& scope, const std::string& arn) {
    const auto name = group_from_arn(scope, arn);
    if (!name) {
        if (!arn.starts_with("arn:")) {
            throw AwsError(errors::InvalidParameterException,
                           "1 validation error detected: Value '" + arn +
                               "' at 'resourceArn' failed to satisfy constraint: Member must "
                               "satisfy regular expression pattern: [\\w+=/:,.@\\-*]*");
        }
        throw AwsError(errors::ResourceNotFoundException, "The specified resource does not exist.");
    }
    auto group = store_.find_group(scope, *name);
    if (!group) {
        throw AwsError(errors::ResourceNotFoundException, "The specified resource does not exist.");
    }
    return std::move(*group);
}

LogStream LogsService::require_stream(const Scope& scope, std::string_view group,
                                      const std::string& name) {
    validate_stream_name(name);
    auto stream = store_.find_stream(scope, group, name);
    if (!stream) {
        throw AwsError(errors::ResourceNotFoundException,
                       "The specified log stream does not exist.");
    }
    return std::move(*stream);
}

namespace {

ServiceDefinition definition_for(const std::shared_ptr<LogsService>& service) {
    ServiceDefinition definition;
    definition.name = "logs";
    definition.signing_name = "logs";
    definition.protocol = Protocol::AwsJson11;
    definition.json_target_prefix = "Logs_20140328";
    definition.param_errors.missing = errors::InvalidParameterException;
    using S = LogsService;
    const std::pair<const char*, nlohmann::json (S::*)(const RequestContext&, const Params&)>
        operations[] = {
            {"CreateLogGroup", &S::create_log_group},
            {"CreateLogStream", &S::create_log_stream},
            {"DeleteLogGroup", &S::delete_log_group},
            {"DeleteLogStream", &S::delete_log_stream},
            {"DeleteRetentionPolicy", &S::delete_retention_policy},
            {"DescribeLogGroups", &S::describe_log_groups},
            {"DescribeLogStreams", &S::describe_log_streams},
            {"DescribeMetricFilters", &S::describe_metric_filters},
            {"DescribeSubscriptionFilters", &S::describe_subscription_filters},
            {"FilterLogEvents", &S::filter_log_events},
            {"GetLogEvents", &S::get_log_events},
            {"ListTagsForResource", &S::list_tags_for_resource},
            {"ListTagsLogGroup", &S::list_tags_log_group},
            {"PutLogEvents", &S::put_log_events},
            {"PutRetentionPolicy", &S::put_retention_policy},
            {"TagLogGroup", &S::tag_log_group},
            {"TagResource", &S::tag_resource},
            {"UntagLogGroup", &S::untag_log_group},
            {"UntagResource", &S::untag_resource},
        };
    for (const auto& [name, method] : operations) {
        definition.operations.emplace(name, Operation{bind_operation(service, method)});
    }
    return definition;
}

}  // namespace

ServiceDefinition make_service_definition(Database& database) {
    return definition_for(std::make_shared<LogsService>(database));
}

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment) {
    auto service = std::make_shared<LogsService>(environment.database);
    registry.add(definition_for(service));
    start_retention_sweep(service, environment.database, environment.clock, environment.scheduler);
}

}  // namespace awsemu::logs
