#include "services/rds/rds_errors.hpp"
#include "services/rds/rds_model.hpp"
#include "services/rds/rds_service.hpp"
#include "services/secretsmanager/secretsmanager_api.hpp"

namespace awsemu::rds {
namespace {

void require_status(const Json& d, std::string_view wanted, const std::string& message) {
    if (d.value("DBInstanceStatus", "") != wanted) {
        throw AwsError(errors::InvalidDBInstanceState, message);
    }
}

}  // namespace

Json RdsService::modify_db_instance(const RequestContext& ctx, const Params& in) {
    Json d = require_instance(ctx.scope, in.required_string("DBInstanceIdentifier"));
    const std::string id = d.at("DBInstanceIdentifier");
    if (!accepts_changes(d.value("DBInstanceStatus", ""))) {
        throw AwsError(errors::InvalidDBInstanceState,
                       "Database instance is not in available state.");
    }
    const auto password = in.optional_string("MasterUserPassword");
    const auto manage = in.optional_bool("ManageMasterUserPassword");
    const bool managed = d.contains("MasterUserSecret");
    if (password && manage.value_or(false)) {
        throw errors::invalid_combination(
            "You can't specify both MasterUserPassword and ManageMasterUserPassword.");
    }
    if (password && managed && !manage.has_value()) {
        throw errors::invalid_combination(
            "You can't specify MasterUserPassword for an instance with ManageMasterUserPassword "
            "enabled.");
    }
    if (password) {
        check_master_password(*password);
    }
    if (const auto storage = in.optional_int("AllocatedStorage")) {
        const std::string type =
            in.optional_string("StorageType").value_or(d.value("StorageType", "gp2"));
        check_allocated_storage(*storage, type);
        if (*storage < d.value("AllocatedStorage", 0)) {  // storage only grows
            throw invalid_storage_size(*storage, type);
        }
        d["AllocatedStorage"] = *storage;
    }
    if (const auto retention = in.optional_int("BackupRetentionPeriod")) {
        check_backup_retention(*retention);
        d["BackupRetentionPeriod"] = *retention;
    }
    if (const auto instance_class = in.optional_string("DBInstanceClass")) {
        check_instance_class(*instance_class);
        d["DBInstanceClass"] = *instance_class;
    }
    if (const auto version = in.optional_string("EngineVersion")) {
        check_engine_version(*version);
    }
    const std::pair<const char*, const char*> booleans[] = {
        {"DeletionProtection", "DeletionProtection"},
        {"PubliclyAccessible", "PubliclyAccessible"},
        {"AutoMinorVersionUpgrade", "AutoMinorVersionUpgrade"},
        {"CopyTagsToSnapshot", "CopyTagsToSnapshot"},
        {"EnableIAMDatabaseAuthentication", "IAMDatabaseAuthenticationEnabled"},
        {"EnablePerformanceInsights", "PerformanceInsightsEnabled"},
    };
    for (const auto& [param, member] : booleans) {
        if (const auto value = in.optional_bool(param)) {
            d[member] = *value;
        }
    }
    for (const char* member :
         {"PreferredBackupWindow", "PreferredMaintenanceWindow", "StorageType"}) {
        if (const auto value = in.optional_string(member)) {
            d[member] = *value;
        }
    }
    if (const auto max = in.optional_int("MaxAllocatedStorage")) {
        d["MaxAllocatedStorage"] = *max;
    }
    if (in.has("VpcSecurityGroupIds")) {
        Json groups = Json::array();
        for (const auto& group : in.string_list("VpcSecurityGroupIds")) {
            groups.push_back({{"VpcSecurityGroupId", group}, {"Status", "active"}});
        }
        d["VpcSecurityGroups"] = groups;
    }
    if (const auto multi_az = in.optional_bool("MultiAZ")) {
        if (runtime_ != nullptr && *multi_az != d.value("MultiAZ", false)) {
            runtime_->set_multi_az(ctx.scope, id, *multi_az);
        }
        d["MultiAZ"] = *multi_az;
        if (*multi_az && !d.contains("SecondaryAvailabilityZone")) {
            for (const auto& subnet : d.at("DBSubnetGroup").at("Subnets")) {
                const std::string zone = subnet.at("SubnetAvailabilityZone").value("Name", "");
                if (zone != d.value("AvailabilityZone", "")) {
                    d["SecondaryAvailabilityZone"] = zone;
                    break;
                }
            }
        } else if (!*multi_az) {
            d.erase("SecondaryAvailabilityZone");
        }
    }
    std::optional<std::string> new_password = password;
    if (manage.has_value() && *manage && !managed) {
        const std::string current = d.value("_MasterPassword", "");
        d["MasterUserSecret"] =
            create_master_secret(ctx, id, d.value("MasterUsername", ""), current);
    } else if (manage.has_value() && !*manage && managed) {
        if (!password) {
            throw errors::invalid_combination(
                "You must specify MasterUserPassword when turning off ManageMasterUserPassword.");
        }
        secretsmanager::delete_secret(environment_.database, environment_.clock, ctx.scope,
                                      d["MasterUserSecret"].value("SecretArn", ""));
        d.erase("MasterUserSecret");
    }
    if (new_password && runtime_ != nullptr) {
        d["DBInstanceStatus"] = "resetting-master-credentials";
        runtime_->change_master_password(ctx.scope, id, *new_password);
    } else if (new_password) {
        d["_MasterPassword"] = *new_password;
    }
    store_.put(ctx.scope, Kind::Instance, id, d);
    record_event(ctx, id, "db-instance", "Modified DB instance", "configuration change");
    return {{"DBInstance", describe_instance(ctx.scope, d)}};
}

Json RdsService::reboot_db_instance(const RequestContext& ctx, const Params& in) {
    Json d = require_instance(ctx.scope, in.required_string("DBInstanceIdentifier"));
    const std::string id = d.at("DBInstanceIdentifier");
    require_status(d, "available", "Instance " + id + " is not in available state.");
    const bool failover = in.optional_bool("ForceFailover").value_or(false);
    if (failover && !d.value("MultiAZ", false)) {
        throw errors::invalid_combination("Failover is only supported for Multi-AZ DB instances.");
    }
    d["DBInstanceStatus"] = "rebooting";
    store_.put(ctx.scope, Kind::Instance, id, d);
    record_event(ctx, id, "db-instance", "DB instance restarting", "availability");
    if (runtime_ != nullptr) {
        runtime_->reboot(ctx.scope, id, failover);
    }
    return {{"DBInstance", describe_instance(ctx.scope, d)}};
}

Json RdsService::stop_db_instance(const RequestContext& ctx, const Params& in) {
    Json d = require_instance(ctx.scope, in.required_string("DBInstanceIdentifier"));
    const std::string id = d.at("DBInstanceIdentifier");
    require_status(d, "available",
                   "Instance " + id + " is not in available state and cannot be stopped.");
    d["DBInstanceStatus"] = "stopping";
    store_.put(ctx.scope, Kind::Instance, id, d);
    record_event(ctx, id, "db-instance", "DB instance stopping", "notification");
    if (runtime_ != nullptr) {
        runtime_->stop(ctx.scope, id);
    }
    return {{"DBInstance", describe_instance(ctx.scope, d)}};
}

Json RdsService::start_db_instance(const RequestContext& ctx, const Params& in) {
    Json d = require_instance(ctx.scope, in.required_string("DBInstanceIdentifier"));
    const std::string id = d.at("DBInstanceIdentifier");
    require_status(d, "stopped", "Instance " + id + " is not stopped, it cannot be started.");
    d["DBInstanceStatus"] = "starting";
    store_.put(ctx.scope, Kind::Instance, id, d);
    record_event(ctx, id, "db-instance", "DB instance starting", "notification");
    if (runtime_ != nullptr) {
        runtime_->start(ctx.scope, id);
    }
    return {{"DBInstance", describe_instance(ctx.scope, d)}};
}

}  // namespace awsemu::rds
