#include "services/rds/rds_service.hpp"

#include <algorithm>

#include "emulator/ascii.hpp"
#include "emulator/chaos/zone_outages.hpp"
#include "emulator/protocol/page_token.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/rds/rds_errors.hpp"
#include "services/rds/rds_model.hpp"
#include "services/rds/rds_spec.hpp"

namespace awsemu::rds {

Json page_of(const std::vector<Json>& items, const Params& in, const char* list_name,
             const char* id_member) {
    const auto max_records = in.optional_int("MaxRecords").value_or(100);
    check_max_records(max_records);
    std::size_t start = 0;
    if (const auto marker = in.optional_string("Marker")) {
        const auto last = decode_key_token(marker);
        if (!last) {
            throw errors::invalid_value("Invalid marker: " + *marker);
        }
        start = static_cast<std::size_t>(
            std::find_if(items.begin(), items.end(),
                         [&](const Json& item) { return item.value(id_member, "") > *last; }) -
            items.begin());
    }
    Json list = Json::array();
    std::size_t index = start;
    for (; index < items.size() && list.size() < static_cast<std::size_t>(max_records); ++index) {
        list.push_back(items[index]);
    }
    Json result = {{list_name, list}};
    if (index < items.size()) {
        result["Marker"] = encode_key_token(items[index - 1].value(id_member, ""));
    }
    return result;
}

std::vector<Json> filtered(std::vector<Json> items, const Params& in,
                           const std::vector<std::pair<std::string, std::string>>& fields) {
    const Json* filters = in.optional_array("Filters");
    if (filters == nullptr) {
        return items;
    }
    for (const auto& filter : *filters) {
        const std::string name = filter.value("Name", "");
        const auto field = std::find_if(fields.begin(), fields.end(),
                                        [&](const auto& f) { return f.first == name; });
        if (field == fields.end()) {
            throw errors::invalid_value("Unrecognized filter name: " + name);
        }
        std::vector<std::string> values;
        if (filter.contains("Values") && filter["Values"].is_array()) {
            for (const auto& value : filter["Values"]) {
                values.push_back(value.get<std::string>());
            }
        }
        std::erase_if(items, [&](const Json& item) {
            const std::string actual = item.value(field->second, "");
            // Identifiers may also be given as ARNs.
            return std::none_of(values.begin(), values.end(), [&](const std::string& v) {
                const auto parts = parse_arn(v);
                return v == actual || (parts && parts->name == actual);
            });
        });
    }
    return items;
}

RdsService::RdsService(ServiceEnvironment& environment,
                       std::optional<PostgresInstallation> postgres, InstanceRuntime* runtime)
    : environment_(environment),
      store_(environment.database),
      postgres_(std::move(postgres)),
      runtime_(runtime) {}

Json RdsService::require_instance(const Scope& scope, const std::string& identifier) {
    std::string id = identifier;
    if (const auto parts = parse_arn(identifier); parts && parts->type == "db") {
        id = parts->name;
    }
    id = ascii_lower(id);
    auto document = store_.find(scope, Kind::Instance, id);
    if (!document) {
        throw AwsError(errors::DBInstanceNotFound, "DBInstance " + identifier + " not found.");
    }
    return std::move(*document);
}

Json RdsService::describe_instance(const Scope& scope, const Json& document) {
    Json out = Json::object();
    for (const auto& [key, value] : document.items()) {
        if (!key.starts_with("_")) {
            out[key] = value;
        }
    }
    Json tags = Json::array();
    for (const auto& [key, value] : store_.tags(scope, document.value("DBInstanceArn", ""))) {
        tags.push_back({{"Key", key}, {"Value", value}});
    }
    out["TagList"] = tags;
    return out;
}

void RdsService::record_event(const RequestContext& ctx, const std::string& source_id,
                              const std::string& source_type, const std::string& message,
                              const std::string& category) {
    const std::string arn = source_type == "db-instance" ? instance_arn(ctx.scope, source_id)
                                                         : subnet_group_arn(ctx.scope, source_id);
    store_.add_event(
        ctx.scope, Event{source_id, source_type, arn, message, {category}, to_epoch_ms(ctx.now())});
}

void RdsService::store_tags(const Scope& scope, const std::string& arn, const Params& in) {
    if (const Json* tags = in.optional_array("Tags")) {
        for (const auto& tag : *tags) {
            const std::string key = tag.value("Key", "");
            if (key.empty()) {
                throw errors::invalid_value("Tag key must not be empty");
            }
            store_.set_tag(scope, arn, key, tag.value("Value", ""));
        }
    }
}

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment) {
    auto postgres = find_postgres();
    std::shared_ptr<InstanceRuntime> runtime;
    if (environment.processes != nullptr && environment.local_ports != nullptr) {
        runtime = std::make_shared<InstanceRuntime>(InstanceRuntime::Dependencies{
            environment.database, environment.clock, environment.scheduler, *environment.processes,
            *environment.local_ports, environment.data_dir, postgres});
        environment.scheduler.post([runtime] { runtime->recover_all(); });
        if (environment.zones != nullptr) {
            environment.zones->on_change([weak = std::weak_ptr<InstanceRuntime>(runtime)](
                                             const std::string& zone, bool available) {
                if (const auto self = weak.lock()) {
                    if (available) {
                        self->availability_zone_restored(zone);
                    } else {
                        self->availability_zone_lost(zone);
                    }
                }
            });
        }
        environment.apis["rds"] = std::shared_ptr<RdsApi>(runtime);
    }
    auto service = std::shared_ptr<RdsService>(new RdsService(environment, postgres, runtime.get()),
                                               [runtime](RdsService* s) { delete s; });
    ServiceDefinition definition;
    definition.name = "rds";
    definition.signing_name = "rds";
    definition.protocol = Protocol::Query;
    definition.query_version = std::string(kQueryVersion);
    definition.xml_namespace = "http://rds.amazonaws.com/doc/2014-10-31/";
    definition.param_errors =
        ParamErrors{errors::MissingParameter, errors::InvalidParameterValue, true};
    if (runtime) {
        definition.before_reset = [runtime] { runtime->forget_all(); };
    }
    using S = RdsService;
    const std::pair<const char*, Json (S::*)(const RequestContext&, const Params&)> operations[] = {
        {"AddTagsToResource", &S::add_tags_to_resource},
        {"CreateDBInstance", &S::create_db_instance},
        {"CreateDBSnapshot", &S::create_db_snapshot},
        {"CreateDBSubnetGroup", &S::create_db_subnet_group},
        {"DeleteDBInstance", &S::delete_db_instance},
        {"DeleteDBSnapshot", &S::delete_db_snapshot},
        {"DeleteDBSubnetGroup", &S::delete_db_subnet_group},
        {"DescribeDBEngineVersions", &S::describe_db_engine_versions},
        {"DescribeDBInstances", &S::describe_db_instances},
        {"DescribeDBSnapshots", &S::describe_db_snapshots},
        {"DescribeDBSubnetGroups", &S::describe_db_subnet_groups},
        {"DescribeEvents", &S::describe_events},
        {"ListTagsForResource", &S::list_tags_for_resource},
        {"ModifyDBInstance", &S::modify_db_instance},
        {"RebootDBInstance", &S::reboot_db_instance},
        {"RemoveTagsFromResource", &S::remove_tags_from_resource},
        {"RestoreDBInstanceFromDBSnapshot", &S::restore_db_instance_from_db_snapshot},
        {"StartDBInstance", &S::start_db_instance},
        {"StopDBInstance", &S::stop_db_instance},
    };
    for (const auto& [name, method] : operations) {
        definition.operations.emplace(
            name, Operation{bind_operation(service, method), query_input_shape(name),
                            query_output_shape(name)});
    }
    registry.add(std::move(definition));
}

}  // namespace awsemu::rds
