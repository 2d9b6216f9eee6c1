#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/rds/instance_runtime.hpp"
#include "services/rds/postgres_installation.hpp"
#include "services/rds/rds_store.hpp"

namespace awsemu::rds {

// Amazon RDS for PostgreSQL (query protocol, 2014-10-31): DB instances backed by real
// PostgreSQL servers (instance_runtime), subnet groups over EC2's subnets, tags, events and the
// installed engine version. Handlers take decoded parameters and answer JSON.
class RdsService {
  public:
    // `runtime` may be null (unit tests): instances then stay in the statuses handlers give.
    RdsService(ServiceEnvironment& environment, std::optional<PostgresInstallation> postgres,
               InstanceRuntime* runtime);

    // DB instances (rds_ops_instances.cpp)
    Json create_db_instance(const RequestContext& ctx, const Params& in);
    Json describe_db_instances(const RequestContext& ctx, const Params& in);
    Json delete_db_instance(const RequestContext& ctx, const Params& in);
    // Changes to a running instance (rds_ops_lifecycle.cpp)
    Json modify_db_instance(const RequestContext& ctx, const Params& in);
    Json reboot_db_instance(const RequestContext& ctx, const Params& in);
    Json stop_db_instance(const RequestContext& ctx, const Params& in);
    Json start_db_instance(const RequestContext& ctx, const Params& in);
    // Subnet groups (rds_ops_subnet_groups.cpp)
    Json create_db_subnet_group(const RequestContext& ctx, const Params& in);
    Json describe_db_subnet_groups(const RequestContext& ctx, const Params& in);
    Json delete_db_subnet_group(const RequestContext& ctx, const Params& in);
    // Snapshots (rds_ops_snapshots.cpp)
    Json create_db_snapshot(const RequestContext& ctx, const Params& in);
    Json describe_db_snapshots(const RequestContext& ctx, const Params& in);
    Json delete_db_snapshot(const RequestContext& ctx, const Params& in);
    Json restore_db_instance_from_db_snapshot(const RequestContext& ctx, const Params& in);
    // Tags, events, engine versions (rds_ops_account.cpp)
    Json add_tags_to_resource(const RequestContext& ctx, const Params& in);
    Json remove_tags_from_resource(const RequestContext& ctx, const Params& in);
    Json list_tags_for_resource(const RequestContext& ctx, const Params& in);
    Json describe_events(const RequestContext& ctx, const Params& in);
    Json describe_db_engine_versions(const RequestContext& ctx, const Params& in);

  private:
    // CreateDBInstance; `restored` holds the members a restore adds (the snapshot's dump).
    Json create_instance(const RequestContext& ctx, const Params& in, const Json& restored);
    // A snapshot of the instance in `d` stored "creating" (DBSnapshotAlreadyExists when taken).
    Json store_snapshot(const RequestContext& ctx, const Json& d, const std::string& snapshot_id,
                        const Params& in);
    // The stored instance document, or DBInstanceNotFound.
    Json require_instance(const Scope& scope, const std::string& identifier);
    // As AWS describes it: without the emulator's '_' members, with its tags.
    Json describe_instance(const Scope& scope, const Json& document);
    // The subnet group document an instance is placed in: the named one, else "default" (the
    // default VPC's subnets).
    Json subnet_group_for(const Scope& scope, const std::optional<std::string>& name);
    void record_event(const RequestContext& ctx, const std::string& source_id,
                      const std::string& source_type, const std::string& message,
                      const std::string& category);
    void store_tags(const Scope& scope, const std::string& arn, const Params& in);
    // Creates the master user secret (ManageMasterUserPassword) and answers MasterUserSecret.
    Json create_master_secret(const RequestContext& ctx, const std::string& instance_id,
                              const std::string& username, const std::string& password);

    ServiceEnvironment& environment_;
    RdsStore store_;
    std::optional<PostgresInstallation> postgres_;
    InstanceRuntime* runtime_;
};

// One page of `items` (Marker/MaxRecords, default 100) as {list_name: [...], Marker}.
Json page_of(const std::vector<Json>& items, const Params& in, const char* list_name,
             const char* id_member);

// Keeps `items` that pass every filter of Filters.Filter.N; `fields` maps a filter name to the
// document member it compares. Unknown filter names are InvalidParameterValue.
std::vector<Json> filtered(std::vector<Json> items, const Params& in,
                           const std::vector<std::pair<std::string, std::string>>& fields);

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment);

}  // namespace awsemu::rds
