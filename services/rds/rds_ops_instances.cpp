#include <algorithm>

#include "emulator/ascii.hpp"
#include "emulator/auth/crypto.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/ec2/ec2_api.hpp"
#include "services/rds/rds_errors.hpp"
#include "services/rds/rds_model.hpp"
#include "services/rds/rds_service.hpp"
#include "services/secretsmanager/secretsmanager_api.hpp"

namespace awsemu::rds {
namespace {

constexpr const char* kPasswordAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%^&*()_+-=[]{}|:,.<>?~";

// A master password as RDS generates one for a managed secret: 28 printable characters
// without the ones RDS forbids ('/', '@', '"', ' ').
std::string generated_password() {
    const std::string alphabet(kPasswordAlphabet);
    const std::string bytes = auth::random_bytes(28);
    std::string password;
    for (const unsigned char b : bytes) {
        password += alphabet[b % alphabet.size()];
    }
    return password;
}

std::string resource_id() {
    const std::string bytes = auth::random_bytes(13);
    constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string id = "db-";
    for (const unsigned char b : bytes) {
        id += kBase32[b % kBase32.size()];
    }
    return id;
}

std::vector<std::string> zones_of(const Json& subnet_group) {
    std::vector<std::string> zones;
    for (const auto& subnet : subnet_group.at("Subnets")) {
        const std::string zone = subnet.at("SubnetAvailabilityZone").value("Name", "");
        if (std::find(zones.begin(), zones.end(), zone) == zones.end()) {
            zones.push_back(zone);
        }
    }
    std::sort(zones.begin(), zones.end());
    return zones;
}

}  // namespace

Json RdsService::subnet_group_for(const Scope& scope, const std::optional<std::string>& name) {
    if (name && *name != "default") {
        const std::string key = ascii_lower(*name);
        auto group = store_.find(scope, Kind::SubnetGroup, key);
        if (!group) {
            throw AwsError(errors::DBSubnetGroupNotFoundFault,
                           "DBSubnetGroup " + *name + " not found.");
        }
        return *group;
    }
    Json subnets = Json::array();
    std::string vpc_id;
    for (const auto& subnet : ec2::default_subnets(environment_.database, scope)) {
        vpc_id = subnet.vpc_id;
        subnets.push_back({{"SubnetIdentifier", subnet.subnet_id},
                           {"SubnetAvailabilityZone", {{"Name", subnet.availability_zone}}},
                           {"SubnetOutpost", Json::object()},
                           {"SubnetStatus", "Active"}});
    }
    if (subnets.empty()) {
        throw AwsError(errors::InvalidVPCNetworkStateFault,
                       "There is no default VPC in this region: name a DBSubnetGroupName.");
    }
    return {{"DBSubnetGroupName", "default"},
            {"DBSubnetGroupDescription", "default"},
            {"VpcId", vpc_id},
            {"SubnetGroupStatus", "Complete"},
            {"Subnets", subnets},
            {"SupportedNetworkTypes", {"IPV4"}}};
}

Json RdsService::create_master_secret(const RequestContext& ctx, const std::string& instance_id,
                                      const std::string& username, const std::string& password) {
    secretsmanager::NewSecret secret;
    secret.name = "rds!db-" + auth::fast_uuid_v4();
    secret.description =
        "Secret associated with primary RDS DB instance: " + instance_arn(ctx.scope, instance_id);
    secret.secret_string = Json{{"username", username}, {"password", password}}.dump();
    secret.owning_service = "rds";
    secret.tags = {{"aws:rds:primaryDBInstanceArn", instance_arn(ctx.scope, instance_id)}};
    const auto created =
        secretsmanager::create_secret(environment_.database, environment_.clock, ctx.scope, secret);
    return {{"SecretArn", created.arn},
            {"SecretStatus", "active"},
            {"KmsKeyId", "arn:aws:kms:" + ctx.scope.region + ":" + ctx.scope.account_id +
                             ":alias/aws/secretsmanager"}};
}

Json RdsService::create_db_instance(const RequestContext& ctx, const Params& in) {
    return create_instance(ctx, in, Json::object());
}

Json RdsService::create_instance(const RequestContext& ctx, const Params& in,
                                 const Json& restored) {
    const std::string id =
        checked_identifier("DBInstanceIdentifier", in.required_string("DBInstanceIdentifier"));
    const std::string instance_class = in.required_string("DBInstanceClass");
    check_engine(in.required_string("Engine"));
    check_instance_class(instance_class);
    if (const auto version = in.optional_string("EngineVersion")) {
        check_engine_version(*version);
    }
    const std::string username = in.optional_string("MasterUsername").value_or("");
    check_master_username(username);
    const bool managed = in.optional_bool("ManageMasterUserPassword").value_or(false);
    const auto given_password = in.optional_string("MasterUserPassword");
    if (managed && given_password) {
        throw errors::invalid_combination(
            "You can't specify both MasterUserPassword and ManageMasterUserPassword.");
    }
    if (!managed) {
        if (!given_password || given_password->empty()) {
            throw errors::invalid_value(
                "The parameter MasterUserPassword must be provided and must not be blank.");
        }
        check_master_password(*given_password);
    }
    const auto db_name = in.optional_string("DBName");
    if (db_name) {
        check_database_name(*db_name);
    }
    const auto storage = in.optional_int("AllocatedStorage").value_or(0);
    check_allocated_storage(storage, in.optional_string("StorageType").value_or("gp2"));
    const auto retention = in.optional_int("BackupRetentionPeriod").value_or(1);
    check_backup_retention(retention);
    const bool multi_az = in.optional_bool("MultiAZ").value_or(false);
    const auto zone = in.optional_string("AvailabilityZone");
    if (multi_az && zone) {
        throw errors::invalid_combination(
            "Requesting a specific availability zone is not valid for Multi-AZ instances.");
    }
    if (store_.find(ctx.scope, Kind::Instance, id)) {
        throw AwsError(errors::DBInstanceAlreadyExists, "DB instance already exists");
    }
    const Json subnet_group = subnet_group_for(ctx.scope, in.optional_string("DBSubnetGroupName"));
    const auto zones = zones_of(subnet_group);
    if (zone && std::find(zones.begin(), zones.end(), *zone) == zones.end()) {
        throw errors::invalid_value("Cannot find the availability zone " + *zone +
                                    " in the DB subnet group's subnets.");
    }
    if (multi_az && zones.size() < 2) {
        throw AwsError(errors::DBSubnetGroupDoesNotCoverEnoughAZs,
                       "DB Subnet Group doesn't meet availability zone coverage requirement. "
                       "Please add subnets to cover at least 2 availability zones.");
    }
    const std::string primary_zone = zone.value_or(zones.front());

    Json security_groups = Json::array();
    for (const auto& group : in.string_list("VpcSecurityGroupIds")) {
        security_groups.push_back({{"VpcSecurityGroupId", group}, {"Status", "active"}});
    }
    if (security_groups.empty()) {
        if (const auto group = ec2::default_security_group(environment_.database, ctx.scope,
                                                           subnet_group.value("VpcId", ""))) {
            security_groups.push_back({{"VpcSecurityGroupId", *group}, {"Status", "active"}});
        }
    }
    const std::string major = postgres_ ? postgres_->major_version() : "15";
    const std::string password = managed ? generated_password() : *given_password;
    const bool encrypted = in.optional_bool("StorageEncrypted").value_or(false);
    Json d = {
        {"DBInstanceIdentifier", id},
        {"DBInstanceClass", instance_class},
        {"Engine", "postgres"},
        {"DBInstanceStatus", "creating"},
        {"MasterUsername", username},
        {"AllocatedStorage", storage},
        {"InstanceCreateTime", format_iso8601_millis(ctx.now())},
        {"PreferredBackupWindow",
         in.optional_string("PreferredBackupWindow").value_or("03:00-03:30")},
        {"BackupRetentionPeriod", retention},
        {"DBSecurityGroups", Json::array()},
        {"VpcSecurityGroups", security_groups},
        {"DBParameterGroups",
         {{{"DBParameterGroupName",
            in.optional_string("DBParameterGroupName").value_or("default.postgres" + major)},
           {"ParameterApplyStatus", "in-sync"}}}},
        {"AvailabilityZone", primary_zone},
        {"DBSubnetGroup", subnet_group},
        {"PreferredMaintenanceWindow",
         in.optional_string("PreferredMaintenanceWindow").value_or("sun:05:00-sun:05:30")},
        {"PendingModifiedValues", Json::object()},
        {"MultiAZ", multi_az},
        {"EngineVersion",
         postgres_ ? postgres_->version : in.optional_string("EngineVersion").value_or("15")},
        {"AutoMinorVersionUpgrade", in.optional_bool("AutoMinorVersionUpgrade").value_or(true)},
        {"ReadReplicaDBInstanceIdentifiers", Json::array()},
        {"LicenseModel", "postgresql-license"},
        {"OptionGroupMemberships",
         {{{"OptionGroupName", "default:postgres-" + major}, {"Status", "in-sync"}}}},
        {"PubliclyAccessible", in.optional_bool("PubliclyAccessible").value_or(false)},
        {"StorageType", in.optional_string("StorageType").value_or("gp2")},
        {"DbInstancePort", 0},
        {"StorageEncrypted", encrypted},
        {"DbiResourceId", resource_id()},
        {"CACertificateIdentifier", "rds-ca-rsa2048-g1"},
        {"DomainMemberships", Json::array()},
        {"CopyTagsToSnapshot", in.optional_bool("CopyTagsToSnapshot").value_or(false)},
        {"MonitoringInterval", in.optional_int("MonitoringInterval").value_or(0)},
        {"DBInstanceArn", instance_arn(ctx.scope, id)},
        {"IAMDatabaseAuthenticationEnabled",
         in.optional_bool("EnableIAMDatabaseAuthentication").value_or(false)},
        {"PerformanceInsightsEnabled",
         in.optional_bool("EnablePerformanceInsights").value_or(false)},
        {"DeletionProtection", in.optional_bool("DeletionProtection").value_or(false)},
        {"AssociatedRoles", Json::array()},
        {"CustomerOwnedIpEnabled", false},
        {"BackupTarget", "region"},
        {"NetworkType", "IPV4"},
        {"_MasterPassword", password},
    };
    if (db_name) {
        d["DBName"] = *db_name;
    }
    if (multi_az) {
        d["SecondaryAvailabilityZone"] =
            zones[(std::find(zones.begin(), zones.end(), primary_zone) - zones.begin() + 1) %
                  zones.size()];
    }
    if (encrypted) {
        d["KmsKeyId"] = in.optional_string("KmsKeyId")
                            .value_or("arn:aws:kms:" + ctx.scope.region + ":" +
                                      ctx.scope.account_id + ":key/aws-rds");
    }
    if (const auto max = in.optional_int("MaxAllocatedStorage")) {
        d["MaxAllocatedStorage"] = *max;
    }
    if (const Json* exports = in.optional_array("EnableCloudwatchLogsExports")) {
        d["EnabledCloudwatchLogsExports"] = *exports;
    }
    if (managed) {
        d["MasterUserSecret"] = create_master_secret(ctx, id, username, password);
    }
    for (const auto& [key, value] : restored.items()) {
        d[key] = value;
    }
    if (runtime_ != nullptr) {
        const auto port = runtime_->open_endpoint(ctx.scope, id);
        if (port == 0) {
            throw AwsError(awsemu::errors::InternalFailure,
                           "No local port could be reserved for the instance's endpoint.");
        }
        d["_EndpointPort"] = port;
        d["Endpoint"] = {
            {"Address", "127.0.0.1"}, {"Port", port}, {"HostedZoneId", "Z2R2ITUGPM61AM"}};
    }
    store_.put(ctx.scope, Kind::Instance, id, d);
    store_tags(ctx.scope, d.at("DBInstanceArn").get<std::string>(), in);
    record_event(ctx, id, "db-instance", "DB instance creating", "creation");
    if (runtime_ != nullptr) {
        runtime_->provision(ctx.scope, id);
    }
    return {{"DBInstance", describe_instance(ctx.scope, d)}};
}

Json RdsService::describe_db_instances(const RequestContext& ctx, const Params& in) {
    std::vector<Json> items;
    if (const auto identifier = in.optional_string("DBInstanceIdentifier")) {
        items.push_back(require_instance(ctx.scope, *identifier));
    } else {
        items = store_.list(ctx.scope, Kind::Instance);
    }
    items = filtered(std::move(items), in,
                     {{"db-instance-id", "DBInstanceIdentifier"},
                      {"dbi-resource-id", "DbiResourceId"},
                      {"engine", "Engine"}});
    for (auto& item : items) {
        item = describe_instance(ctx.scope, item);
    }
    return page_of(items, in, "DBInstances", "DBInstanceIdentifier");
}

Json RdsService::delete_db_instance(const RequestContext& ctx, const Params& in) {
    Json d = require_instance(ctx.scope, in.required_string("DBInstanceIdentifier"));
    const std::string id = d.at("DBInstanceIdentifier");
    const bool skip = in.optional_bool("SkipFinalSnapshot").value_or(false);
    const auto final_snapshot = in.optional_string("FinalDBSnapshotIdentifier");
    if (!skip && !final_snapshot) {
        throw errors::invalid_combination(
            "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
    }
    if (skip && final_snapshot) {
        throw errors::invalid_combination(
            "Cannot specify both SkipFinalSnapshot and FinalDBSnapshotIdentifier.");
    }
    if (d.value("DeletionProtection", false)) {
        throw errors::invalid_combination(
            "Cannot delete protected DB Instance, please disable deletion protection and try "
            "again.");
    }
    if (d.value("DBInstanceStatus", "") == "deleting") {
        throw AwsError(errors::InvalidDBInstanceState,
                       "Instance " + id + " is already being deleted.");
    }
    if (final_snapshot) {
        if (d.value("DBInstanceStatus", "") != "available") {
            throw AwsError(errors::InvalidDBInstanceState,
                           "Instance " + id +
                               " is not in available state: a final snapshot "
                               "cannot be taken.");
        }
        store_snapshot(ctx, d, checked_identifier("FinalDBSnapshotIdentifier", *final_snapshot),
                       in);
    }
    d["DBInstanceStatus"] = "deleting";
    store_.put(ctx.scope, Kind::Instance, id, d);
    record_event(ctx, id, "db-instance", "DB instance deleting", "deletion");
    if (d.contains("MasterUserSecret")) {
        secretsmanager::delete_secret(environment_.database, environment_.clock, ctx.scope,
                                      d["MasterUserSecret"].value("SecretArn", ""));
    }
    if (runtime_ != nullptr) {
        runtime_->remove(ctx.scope, id,
                         final_snapshot ? std::optional(checked_identifier(
                                              "FinalDBSnapshotIdentifier", *final_snapshot))
                                        : std::nullopt);
    }
    return {{"DBInstance", describe_instance(ctx.scope, d)}};
}

}  // namespace awsemu::rds
