#include <algorithm>

#include "emulator/runtime/time_format.hpp"
#include "services/rds/rds_errors.hpp"
#include "services/rds/rds_model.hpp"
#include "services/rds/rds_service.hpp"

namespace awsemu::rds {
namespace {

constexpr std::int64_t kDefaultEventMinutes = 60;

}  // namespace

// The tagged resource an ARN names must exist: its kind's not-found error otherwise.
static void require_resource(RdsStore& store, const Scope& scope, const std::string& arn) {
    const auto parts = parse_arn(arn);
    if (parts && parts->type == "db" && store.find(scope, Kind::Instance, parts->name)) {
        return;
    }
    if (parts && parts->type == "subgrp" && store.find(scope, Kind::SubnetGroup, parts->name)) {
        return;
    }
    if (parts && parts->type == "snapshot" && store.find(scope, Kind::Snapshot, parts->name)) {
        return;
    }
    if (parts && parts->type == "subgrp") {
        throw AwsError(errors::DBSubnetGroupNotFoundFault,
                       "DBSubnetGroup " + parts->name + " not found.");
    }
    if (parts && parts->type == "snapshot") {
        throw AwsError(errors::DBSnapshotNotFound, "DBSnapshot " + parts->name + " not found.");
    }
    throw AwsError(errors::DBInstanceNotFound,
                   "DBInstance " + (parts ? parts->name : arn) + " not found.");
}

Json RdsService::add_tags_to_resource(const RequestContext& ctx, const Params& in) {
    const std::string arn = in.required_string("ResourceName");
    require_resource(store_, ctx.scope, arn);
    store_tags(ctx.scope, arn, in);
    return Json::object();
}

Json RdsService::remove_tags_from_resource(const RequestContext& ctx, const Params& in) {
    const std::string arn = in.required_string("ResourceName");
    require_resource(store_, ctx.scope, arn);
    for (const auto& key : in.string_list("TagKeys")) {
        store_.remove_tag(ctx.scope, arn, key);
    }
    return Json::object();
}

Json RdsService::list_tags_for_resource(const RequestContext& ctx, const Params& in) {
    const std::string arn = in.required_string("ResourceName");
    require_resource(store_, ctx.scope, arn);
    Json tags = Json::array();
    for (const auto& [key, value] : store_.tags(ctx.scope, arn)) {
        tags.push_back({{"Key", key}, {"Value", value}});
    }
    return {{"TagList", tags}};
}

Json RdsService::describe_events(const RequestContext& ctx, const Params& in) {
    const auto now_ms = to_epoch_ms(ctx.now());
    std::int64_t since_ms =
        now_ms - in.optional_int("Duration").value_or(kDefaultEventMinutes) * 60'000;
    std::int64_t until_ms = now_ms;
    if (const auto start = in.optional_string("StartTime")) {
        const auto parsed = parse_iso8601(*start);
        if (!parsed) {
            throw errors::invalid_value("Invalid StartTime: " + *start);
        }
        since_ms = to_epoch_ms(*parsed);
    }
    if (const auto end = in.optional_string("EndTime")) {
        const auto parsed = parse_iso8601(*end);
        if (!parsed) {
            throw errors::invalid_value("Invalid EndTime: " + *end);
        }
        until_ms = to_epoch_ms(*parsed);
    }
    const auto source_id = in.optional_string("SourceIdentifier");
    const auto source_type = in.optional_string("SourceType");
    if (source_id && !source_type) {
        throw errors::invalid_combination("Cannot specify source identifier without source type");
    }
    const auto categories = in.string_list("EventCategories");
    std::vector<Json> items;
    for (const auto& event : store_.events(ctx.scope, since_ms)) {
        if (event.date_ms > until_ms || (source_id && event.source_identifier != *source_id) ||
            (source_type && event.source_type != *source_type)) {
            continue;
        }
        if (!categories.empty() &&
            std::none_of(event.categories.begin(), event.categories.end(), [&](const auto& c) {
                return std::find(categories.begin(), categories.end(), c) != categories.end();
            })) {
            continue;
        }
        items.push_back({{"SourceIdentifier", event.source_identifier},
                         {"SourceType", event.source_type},
                         {"Message", event.message},
                         {"EventCategories", event.categories},
                         {"Date", format_iso8601_millis(from_epoch_ms(event.date_ms))},
                         {"SourceArn", event.source_arn},
                         {"_Seq", std::to_string(1000000000000 + items.size())}});
    }
    Json page = page_of(items, in, "Events", "_Seq");
    for (auto& event : page["Events"]) {
        event.erase("_Seq");
    }
    return page;
}

Json RdsService::describe_db_engine_versions(const RequestContext& /*ctx*/, const Params& in) {
    Json versions = Json::array();
    const auto engine = in.optional_string("Engine");
    const auto version = in.optional_string("EngineVersion");
    const std::string installed = postgres_ ? postgres_->version : "";
    const std::string major = postgres_ ? postgres_->major_version() : "";
    const bool matches_version = !version || *version == installed || *version == major ||
                                 (version->starts_with(major + ".") && !major.empty());
    if (postgres_ && (!engine || *engine == kEngine) && matches_version) {
        versions.push_back({
            {"Engine", "postgres"},
            {"EngineVersion", installed},
            {"DBParameterGroupFamily", "postgres" + major},
            {"DBEngineDescription", "PostgreSQL"},
            {"DBEngineVersionDescription", "PostgreSQL " + installed + " (installed)"},
            {"ExportableLogTypes", {"postgresql", "upgrade"}},
            {"SupportsLogExportsToCloudwatchLogs", true},
            {"SupportsReadReplica", true},
            {"SupportedFeatureNames", Json::array()},
            {"Status", "available"},
            {"SupportsParallelQuery", false},
            {"SupportsGlobalDatabases", false},
            {"SupportsBabelfish", false},
            {"SupportsCertificateRotationWithoutRestart", true},
            {"SupportsLocalWriteForwarding", false},
            {"SupportsIntegrations", false},
            {"ValidUpgradeTarget", Json::array()},
        });
    }
    std::vector<Json> items(versions.begin(), versions.end());
    return page_of(items, in, "DBEngineVersions", "EngineVersion");
}

}  // namespace awsemu::rds
