#include <filesystem>

#include "emulator/runtime/time_format.hpp"
#include "services/rds/rds_errors.hpp"
#include "services/rds/rds_model.hpp"
#include "services/rds/rds_service.hpp"

namespace awsemu::rds {
namespace {

Json described_snapshot(const Json& document) {
    Json out = Json::object();
    for (const auto& [key, value] : document.items()) {
        if (!key.starts_with("_")) {
            out[key] = value;
        }
    }
    return out;
}

}  // namespace

Json RdsService::store_snapshot(const RequestContext& ctx, const Json& d,
                                const std::string& snapshot_id, const Params& in) {
    if (store_.find(ctx.scope, Kind::Snapshot, snapshot_id)) {
        throw AwsError(errors::DBSnapshotAlreadyExists,
                       "Cannot create the snapshot because a snapshot with the identifier " +
                           snapshot_id + " already exists.");
    }
    const std::string arn = snapshot_arn(ctx.scope, snapshot_id);
    Json snapshot = {
        {"DBSnapshotIdentifier", snapshot_id},
        {"DBInstanceIdentifier", d.at("DBInstanceIdentifier")},
        {"SnapshotCreateTime", format_iso8601_millis(ctx.now())},
        {"Engine", "postgres"},
        {"AllocatedStorage", d.value("AllocatedStorage", 20)},
        {"Status", runtime_ != nullptr ? "creating" : "available"},
        {"Port", kDefaultPort},
        {"AvailabilityZone", d.value("AvailabilityZone", "")},
        {"VpcId", d.at("DBSubnetGroup").value("VpcId", "")},
        {"InstanceCreateTime", d.value("InstanceCreateTime", "")},
        {"MasterUsername", d.value("MasterUsername", "")},
        {"EngineVersion", d.value("EngineVersion", "")},
        {"LicenseModel", "postgresql-license"},
        {"SnapshotType", "manual"},
        {"PercentProgress", 0},
        {"StorageType", d.value("StorageType", "gp2")},
        {"Encrypted", d.value("StorageEncrypted", false)},
        {"DBSnapshotArn", arn},
        {"IAMDatabaseAuthenticationEnabled", d.value("IAMDatabaseAuthenticationEnabled", false)},
        {"DbiResourceId", d.value("DbiResourceId", "")},
        {"SnapshotTarget", "region"},
        {"_MasterPassword", d.value("_MasterPassword", "")},
        {"_DBName", d.value("DBName", "")},
    };
    store_.put(ctx.scope, Kind::Snapshot, snapshot_id, snapshot);
    if (const Json* tags = in.optional_array("Tags")) {
        for (const auto& tag : *tags) {
            store_.set_tag(ctx.scope, arn, tag.value("Key", ""), tag.value("Value", ""));
        }
    }
    store_.add_event(ctx.scope, Event{snapshot_id,
                                      "db-snapshot",
                                      arn,
                                      "Creating manual snapshot",
                                      {"creation"},
                                      to_epoch_ms(ctx.now())});
    return snapshot;
}

Json RdsService::create_db_snapshot(const RequestContext& ctx, const Params& in) {
    const std::string snapshot_id =
        checked_identifier("DBSnapshotIdentifier", in.required_string("DBSnapshotIdentifier"));
    Json d = require_instance(ctx.scope, in.required_string("DBInstanceIdentifier"));
    const std::string id = d.at("DBInstanceIdentifier");
    if (d.value("DBInstanceStatus", "") != "available") {
        throw AwsError(errors::InvalidDBInstanceState,
                       "Cannot create a snapshot because the database instance " + id +
                           " is not currently in the available state.");
    }
    const Json snapshot = store_snapshot(ctx, d, snapshot_id, in);
    if (runtime_ != nullptr) {
        d["DBInstanceStatus"] = "backing-up";
        store_.put(ctx.scope, Kind::Instance, id, d);
        runtime_->take_snapshot(ctx.scope, id, snapshot_id);
    }
    Json out = described_snapshot(snapshot);
    out["TagList"] = in.optional_array("Tags") ? *in.optional_array("Tags") : Json::array();
    return {{"DBSnapshot", out}};
}

Json RdsService::describe_db_snapshots(const RequestContext& ctx, const Params& in) {
    std::vector<Json> items;
    if (const auto snapshot_id = in.optional_string("DBSnapshotIdentifier")) {
        auto snapshot = store_.find(ctx.scope, Kind::Snapshot, *snapshot_id);
        if (!snapshot) {
            throw AwsError(errors::DBSnapshotNotFound,
                           "DBSnapshot " + *snapshot_id + " not found.");
        }
        items.push_back(std::move(*snapshot));
    } else {
        items = store_.list(ctx.scope, Kind::Snapshot);
    }
    if (const auto instance = in.optional_string("DBInstanceIdentifier")) {
        std::erase_if(
            items, [&](const Json& s) { return s.value("DBInstanceIdentifier", "") != *instance; });
    }
    items = filtered(std::move(items), in,
                     {{"db-snapshot-id", "DBSnapshotIdentifier"},
                      {"db-instance-id", "DBInstanceIdentifier"},
                      {"snapshot-type", "SnapshotType"},
                      {"engine", "Engine"}});
    for (auto& item : items) {
        Json tags = Json::array();
        for (const auto& [key, value] : store_.tags(ctx.scope, item.value("DBSnapshotArn", ""))) {
            tags.push_back({{"Key", key}, {"Value", value}});
        }
        item = described_snapshot(item);
        item["TagList"] = tags;
    }
    return page_of(items, in, "DBSnapshots", "DBSnapshotIdentifier");
}

Json RdsService::delete_db_snapshot(const RequestContext& ctx, const Params& in) {
    const std::string snapshot_id = in.required_string("DBSnapshotIdentifier");
    auto snapshot = store_.find(ctx.scope, Kind::Snapshot, snapshot_id);
    if (!snapshot) {
        throw AwsError(errors::DBSnapshotNotFound, "DBSnapshot " + snapshot_id + " not found.");
    }
    if (snapshot->value("Status", "") == "creating") {
        throw AwsError(errors::InvalidDBSnapshotState,
                       "Cannot delete the snapshot because it is being created.");
    }
    store_.erase(ctx.scope, Kind::Snapshot, snapshot_id);
    store_.remove_tags(ctx.scope, snapshot->value("DBSnapshotArn", ""));
    if (runtime_ != nullptr) {
        std::error_code ignored;
        std::filesystem::remove(runtime_->snapshot_file(ctx.scope, snapshot_id), ignored);
    }
    (*snapshot)["Status"] = "deleted";
    return {{"DBSnapshot", described_snapshot(*snapshot)}};
}

Json RdsService::restore_db_instance_from_db_snapshot(const RequestContext& ctx, const Params& in) {
    const std::string snapshot_id = in.required_string("DBSnapshotIdentifier");
    const auto snapshot = store_.find(ctx.scope, Kind::Snapshot, snapshot_id);
    if (!snapshot) {
        throw AwsError(errors::DBSnapshotNotFound, "DBSnapshot " + snapshot_id + " not found.");
    }
    if (snapshot->value("Status", "") != "available") {
        throw AwsError(errors::InvalidDBSnapshotState,
                       "Snapshot " + snapshot_id + " is not in available state.");
    }
    Json input = in.json();
    input["Engine"] = "postgres";
    input["MasterUsername"] = snapshot->value("MasterUsername", "");
    input["MasterUserPassword"] = snapshot->value("_MasterPassword", "");
    input.erase("ManageMasterUserPassword");
    if (!input.contains("AllocatedStorage")) {
        input["AllocatedStorage"] = snapshot->value("AllocatedStorage", 20);
    }
    if (!input.contains("DBInstanceClass")) {
        input["DBInstanceClass"] = "db.t3.micro";
    }
    Json restored = {{"_DatabaseCreated", false}};
    if (runtime_ != nullptr) {
        restored["_RestoreFile"] = runtime_->snapshot_file(ctx.scope, snapshot_id);
    }
    if (const std::string name = snapshot->value("_DBName", ""); !name.empty()) {
        restored["DBName"] = name;
    }
    return create_instance(
        ctx,
        Params(std::move(input),
               ParamErrors{errors::MissingParameter, errors::InvalidParameterValue, true}),
        restored);
}

}  // namespace awsemu::rds
