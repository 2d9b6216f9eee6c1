// Log groups, log streams, retention policies and tags.
#include <algorithm>
#include <charconv>

#include "emulator/protocol/page_token.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/logs/logs_errors.hpp"
#include "services/logs/logs_service.hpp"

namespace awsemu::logs {
namespace {

constexpr std::int64_t kDefaultDescribeLimit = 50;

nlohmann::json group_json(const Scope& scope, const LogGroup& group, bool brief) {
    nlohmann::json out = nlohmann::json::object();
    out["logGroupName"] = group.name;
    out["creationTime"] = group.created_ms;
    out["arn"] = log_group_star_arn(scope, group.name);
    if (brief) {
        return out;
    }
    if (group.retention_days) {
        out["retentionInDays"] = *group.retention_days;
    }
    out["metricFilterCount"] = 0;
    out["storedBytes"] = group.stored_bytes;
    if (group.kms_key_id) {
        out["kmsKeyId"] = *group.kms_key_id;
    }
    out["logGroupClass"] = group.log_group_class;
    out["logGroupArn"] = log_group_arn(scope, group.name);
    return out;
}

nlohmann::json stream_json(const Scope& scope, std::string_view group, const LogStream& stream) {
    nlohmann::json out = nlohmann::json::object();
    out["logStreamName"] = stream.name;
    out["creationTime"] = stream.created_ms;
    if (stream.first_event_ms) {
        out["firstEventTimestamp"] = *stream.first_event_ms;
    }
    if (stream.last_event_ms) {
        out["lastEventTimestamp"] = *stream.last_event_ms;
    }
    if (stream.last_ingestion_ms) {
        out["lastIngestionTime"] = *stream.last_ingestion_ms;
    }
    out["uploadSequenceToken"] = upload_sequence_token(stream.last_sequence);
    out["arn"] = log_stream_arn(scope, group, stream.name);
    out["storedBytes"] = 0;
    return out;
}

nlohmann::json tags_json(const std::vector<std::pair<std::string, std::string>>& tags) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : tags) {
        out[key] = value;
    }
    return out;
}

std::int64_t describe_limit(const Params& params) {
    const std::int64_t limit = params.optional_int("limit").value_or(kDefaultDescribeLimit);
    validate_limit(limit, 50);
    return limit;
}

}  // namespace

void LogsService::add_tags(const Scope& scope, std::string_view group, const Params& params,
                           std::string_view member) {
    const auto map = params.string_map(member);
    std::vector<std::pair<std::string, std::string>> tags(map.begin(), map.end());
    validate_tags(tags);
    auto existing = store_.tags(scope, group);
    std::size_t total = existing.size();
    for (const auto& [key, value] : tags) {
        const bool known = std::any_of(existing.begin(), existing.end(),
                                       [&](const auto& tag) { return tag.first == key; });
        total += known ? 0 : 1;
    }
    if (total > 50) {
        throw AwsError(errors::TooManyTagsException, "A resource can have no more than 50 tags.");
    }
    for (const auto& [key, value] : tags) {
        store_.put_tag(scope, group, key, value);
    }
}

nlohmann::json LogsService::create_log_group(const RequestContext& context, const Params& params) {
    LogGroup group;
    group.name = params.required_string("logGroupName");
    validate_group_name(group.name);
    group.kms_key_id = params.optional_string("kmsKeyId");
    group.log_group_class = params.optional_string("logGroupClass").value_or("STANDARD");
    if (group.log_group_class != "STANDARD" && group.log_group_class != "INFREQUENT_ACCESS" &&
        group.log_group_class != "DELIVERY") {
        throw AwsError(errors::InvalidParameterException,
                       "1 validation error detected: Value '" + group.log_group_class +
                           "' at 'logGroupClass' failed to satisfy constraint: Member must "
                           "satisfy enum value set: [DELIVERY, STANDARD, INFREQUENT_ACCESS]");
    }
    group.created_ms = to_epoch_ms(context.now());
    if (!store_.insert_group(context.scope, group)) {
        throw AwsError(errors::ResourceAlreadyExistsException,
                       "The specified log group already exists");
    }
    add_tags(context.scope, group.name, params, "tags");
    return nlohmann::json::object();
}

nlohmann::json LogsService::delete_log_group(const RequestContext& context, const Params& params) {
    const auto name = params.required_string("logGroupName");
    validate_group_name(name);
    require_group_named(context.scope, name);
    store_.delete_group(context.scope, name);
    return nlohmann::json::object();
}

nlohmann::json LogsService::describe_log_groups(const RequestContext& context,
                                                const Params& params) {
    const Scope& scope = context.scope;
    const std::int64_t limit = describe_limit(params);
    const auto prefix = params.optional_string("logGroupNamePrefix").value_or("");
    const auto pattern = params.optional_string("logGroupNamePattern");
    const auto identifiers = params.string_list("logGroupIdentifiers");
    if (!prefix.empty() && pattern) {
        throw AwsError(errors::InvalidParameterException,
                       "LogGroup name prefix and LogGroup name pattern are mutually exclusive "
                       "parameters.");
    }
    if (!identifiers.empty() && (!prefix.empty() || pattern)) {
        throw AwsError(errors::InvalidParameterException,
                       "logGroupIdentifiers cannot be combined with logGroupNamePrefix or "
                       "logGroupNamePattern.");
    }
    if (!prefix.empty()) {
        validate_group_name(prefix, "logGroupNamePrefix");
    }
    const auto after = decode_key_token(params.optional_string("nextToken"));
    if (!after) {
        errors::invalid_next_token();
    }
    const auto class_filter = params.optional_string("logGroupClass");
    std::vector<std::string> wanted;
    for (const auto& identifier : identifiers) {
        wanted.push_back(group_from_arn(scope, identifier).value_or(identifier));
    }
    const auto keep = [&](const LogGroup& group) {
        if (pattern && group.name.find(*pattern) == std::string::npos) {
            return false;
        }
        if (class_filter && group.log_group_class != *class_filter) {
            return false;
        }
        return wanted.empty() ||
               std::find(wanted.begin(), wanted.end(), group.name) != wanted.end();
    };
    // One more than asked for tells whether a next page exists.
    std::vector<LogGroup> page;
    std::string cursor = *after;
    while (static_cast<std::int64_t>(page.size()) <= limit) {
        auto batch = store_.list_groups(scope, cursor, prefix, 200);
        if (batch.empty()) {
            break;
        }
        cursor = batch.back().name;
        for (auto& group : batch) {
            if (keep(group) && static_cast<std::int64_t>(page.size()) <= limit) {
                page.push_back(std::move(group));
            }
        }
    }
    nlohmann::json out = {{"logGroups", nlohmann::json::array()}};
    const bool more = static_cast<std::int64_t>(page.size()) > limit;
    if (more) {
        page.pop_back();
        out["nextToken"] = encode_key_token(page.back().name);
    }
    for (const auto& group : page) {
        out["logGroups"].push_back(group_json(scope, group, pattern.has_value()));
    }
    return out;
}

nlohmann::json LogsService::create_log_stream(const RequestContext& context, const Params& params) {
    const auto group = params.required_string("logGroupName");
    const auto name = params.required_string("logStreamName");
    validate_group_name(group);
    validate_stream_name(name);
    require_group_named(context.scope, group);
    LogStream stream;
    stream.name = name;
    stream.created_ms = to_epoch_ms(context.now());
    if (!store_.insert_stream(context.scope, group, stream)) {
        throw AwsError(errors::ResourceAlreadyExistsException,
                       "The specified log stream already exists");
    }
    return nlohmann::json::object();
}

nlohmann::json LogsService::delete_log_stream(const RequestContext& context, const Params& params) {
    const auto group = params.required_string("logGroupName");
    const auto name = params.required_string("logStreamName");
    validate_group_name(group);
    require_group_named(context.scope, group);
    require_stream(context.scope, group, name);
    store_.delete_stream(context.scope, group, name);
    return nlohmann::json::object();
}

nlohmann::json LogsService::describe_log_streams(const RequestContext& context,
                                                 const Params& params) {
    const Scope& scope = context.scope;
    const LogGroup group = require_group(scope, params);
    const std::int64_t limit = describe_limit(params);
    const auto prefix = params.optional_string("logStreamNamePrefix").value_or("");
    const auto order = params.optional_string("orderBy").value_or("LogStreamName");
    const bool descending = params.optional_bool("descending").value_or(false);
    if (order != "LogStreamName" && order != "LastEventTime") {
        throw AwsError(errors::InvalidParameterException,
                       "1 validation error detected: Value '" + order +
                           "' at 'orderBy' failed to satisfy constraint: Member must satisfy "
                           "enum value set: [LogStreamName, LastEventTime]");
    }
    if (order == "LastEventTime" && !prefix.empty()) {
        throw AwsError(errors::InvalidParameterException,
                       "Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    const auto after = decode_key_token(params.optional_string("nextToken"));
    if (!after) {
        errors::invalid_next_token();
    }
    std::vector<LogStream> streams;
    if (order == "LogStreamName") {
        streams =
            store_.list_streams_by_name(scope, group.name, prefix, *after, descending, limit + 1);
    } else {
        std::optional<std::pair<std::int64_t, std::string>> key;
        if (!after->empty()) {
            const auto tab = after->find('\t');
            std::int64_t time = 0;
            if (tab == std::string::npos ||
                std::from_chars(after->data(), after->data() + tab, time).ptr !=
                    after->data() + tab) {
                errors::invalid_next_token();
            }
            key.emplace(time, after->substr(tab + 1));
        }
        streams = store_.list_streams_by_time(scope, group.name, key, descending, limit + 1);
    }
    nlohmann::json out = {{"logStreams", nlohmann::json::array()}};
    if (static_cast<std::int64_t>(streams.size()) > limit) {
        streams.pop_back();
        const LogStream& last = streams.back();
        out["nextToken"] = encode_key_token(order == "LogStreamName"
                                                ? last.name
                                                : std::to_string(last.last_event_ms.value_or(0)) +
                                                      "\t" + last.name);
    }
    for (const auto& stream : streams) {
        out["logStreams"].push_back(stream_json(scope, group.name, stream));
    }
    return out;
}

nlohmann::json LogsService::put_retention_policy(const RequestContext& context,
                                                 const Params& params) {
    const auto name = params.required_string("logGroupName");
    const auto days = params.optional_int("retentionInDays");
    if (!days) {
        throw AwsError(errors::InvalidParameterException,
                       "1 validation error detected: Value null at 'retentionInDays' failed to "
                       "satisfy constraint: Member must not be null");
    }
    validate_group_name(name);
    validate_retention(*days);
    require_group_named(context.scope, name);
    store_.set_retention(context.scope, name, *days);
    return nlohmann::json::object();
}

nlohmann::json LogsService::delete_retention_policy(const RequestContext& context,
                                                    const Params& params) {
    const auto name = params.required_string("logGroupName");
    validate_group_name(name);
    require_group_named(context.scope, name);
    store_.set_retention(context.scope, name, std::nullopt);
    return nlohmann::json::object();
}

nlohmann::json LogsService::tag_resource(const RequestContext& context, const Params& params) {
    const auto arn = params.required_string("resourceArn");
    if (!params.optional_object("tags")) {
        params.required_array("tags");  // throws: missing
    }
    const LogGroup group = require_group_arn(context.scope, arn);
    add_tags(context.scope, group.name, params, "tags");
    return nlohmann::json::object();
}

nlohmann::json LogsService::untag_resource(const RequestContext& context, const Params& params) {
    const auto arn = params.required_string("resourceArn");
    params.required_array("tagKeys");
    const LogGroup group = require_group_arn(context.scope, arn);
    for (const auto& key : params.string_list("tagKeys")) {
        store_.remove_tag(context.scope, group.name, key);
    }
    return nlohmann::json::object();
}

nlohmann::json LogsService::list_tags_for_resource(const RequestContext& context,
                                                   const Params& params) {
    const auto arn = params.required_string("resourceArn");
    const LogGroup group = require_group_arn(context.scope, arn);
    return {{"tags", tags_json(store_.tags(context.scope, group.name))}};
}

nlohmann::json LogsService::tag_log_group(const RequestContext& context, const Params& params) {
    const auto name = params.required_string("logGroupName");
    if (!params.optional_object("tags")) {
        params.required_array("tags");  // throws: missing
    }
    validate_group_name(name);
    require_group_named(context.scope, name);
    add_tags(context.scope, name, params, "tags");
    return nlohmann::json::object();
}

nlohmann::json LogsService::untag_log_group(const RequestContext& context, const Params& params) {
    const auto name = params.required_string("logGroupName");
    params.required_array("tags");
    validate_group_name(name);
    require_group_named(context.scope, name);
    for (const auto& key : params.string_list("tags")) {
        store_.remove_tag(context.scope, name, key);
    }
    return nlohmann::json::object();
}

nlohmann::json LogsService::list_tags_log_group(const RequestContext& context,
                                                const Params& params) {
    const auto name = params.required_string("logGroupName");
    validate_group_name(name);
    require_group_named(context.scope, name);
    return {{"tags", tags_json(store_.tags(context.scope, name))}};
}

nlohmann::json LogsService::describe_metric_filters(const RequestContext& context,
                                                    const Params& params) {
    if (const auto name = params.optional_string("logGroupName")) {
        validate_group_name(*name);
        require_group_named(context.scope, *name);
    }
    return {{"metricFilters", nlohmann::json::array()}};
}

nlohmann::json LogsService::describe_subscription_filters(const RequestContext& context,
                                                          const Params& params) {
    const auto name = params.required_string("logGroupName");
    validate_group_name(name);
    require_group_named(context.scope, name);
    return {{"subscriptionFilters", nlohmann::json::array()}};
}

}  // namespace awsemu::logs
