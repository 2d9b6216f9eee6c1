#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/logs/logs_store.hpp"

namespace awsemu {
class Scheduler;
}

namespace awsemu::logs {

// Amazon CloudWatch Logs (JSON 1.1, target prefix "Logs_20140328"). Handlers take decoded
// parameters and answer the response structure; the store holds the state. Split by resource:
// logs_ops_groups.cpp (groups, streams, retention, tags) and logs_ops_events.cpp (PutLogEvents,
// GetLogEvents, FilterLogEvents); retention_sweep.cpp applies retention on the clock.
class LogsService {
  public:
    explicit LogsService(Database& database) : database_(database), store_(database) {}

    // Groups, streams, retention, tags
    nlohmann::json create_log_group(const RequestContext& context, const Params& params);
    nlohmann::json delete_log_group(const RequestContext& context, const Params& params);
    nlohmann::json describe_log_groups(const RequestContext& context, const Params& params);
    nlohmann::json create_log_stream(const RequestContext& context, const Params& params);
    nlohmann::json delete_log_stream(const RequestContext& context, const Params& params);
    nlohmann::json describe_log_streams(const RequestContext& context, const Params& params);
    nlohmann::json put_retention_policy(const RequestContext& context, const Params& params);
    nlohmann::json delete_retention_policy(const RequestContext& context, const Params& params);
    nlohmann::json tag_resource(const RequestContext& context, const Params& params);
    nlohmann::json untag_resource(const RequestContext& context, const Params& params);
    nlohmann::json list_tags_for_resource(const RequestContext& context, const Params& params);
    nlohmann::json tag_log_group(const RequestContext& context, const Params& params);
    nlohmann::json untag_log_group(const RequestContext& context, const Params& params);
    nlohmann::json list_tags_log_group(const RequestContext& context, const Params& params);
    // Metric and subscription filters are not kept: both lists are empty (for Terraform and
    // the CLI, which read them).
    nlohmann::json describe_metric_filters(const RequestContext& context, const Params& params);
    nlohmann::json describe_subscription_filters(const RequestContext& context,
                                                 const Params& params);

    // Events
    nlohmann::json put_log_events(const RequestContext& context, const Params& params);
    nlohmann::json get_log_events(const RequestContext& context, const Params& params);
    nlohmann::json filter_log_events(const RequestContext& context, const Params& params);

    // Deletes the events that retention policies no longer keep, as of `now`; answers how many.
    std::int64_t apply_retention(TimePoint now);

    LogsStore& store() { return store_; }

  private:
    // The group a request names by logGroupName or logGroupIdentifier (name or ARN, with or
    // without ":*"); throws ResourceNotFoundException when it does not exist.
    LogGroup require_group(const Scope& scope, const Params& params);
    LogGroup require_group_named(const Scope& scope, const std::string& name);
    LogStream require_stream(const Scope& scope, std::string_view group, const std::string& name);
    // The group a tagging request's resourceArn names.
    LogGroup require_group_arn(const Scope& scope, const std::string& arn);
    void add_tags(const Scope& scope, std::string_view group, const Params& params,
                  std::string_view member);

    Database& database_;
    LogsStore store_;
};

// The operation table, for the registry and for tests.
ServiceDefinition make_service_definition(Database& database);

// Runs apply_retention now and then every kRetentionSweepInterval of the clock.
void start_retention_sweep(const std::shared_ptr<LogsService>& service, Database& database,
                           const Clock& clock, Scheduler& scheduler);
inline constexpr auto kRetentionSweepInterval = std::chrono::minutes(10);

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment);

}  // namespace awsemu::logs
