#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/service.hpp"

// RDS's names, ARNs and the pure checks of its parameters; no I/O.
namespace awsemu::rds {

inline constexpr std::string_view kEngine = "postgres";
inline constexpr int kDefaultPort = 5432;
inline constexpr int kMinStorage = 20;
inline constexpr int kMaxStorage = 65536;

std::string instance_arn(const Scope& scope, std::string_view id);
std::string subnet_group_arn(const Scope& scope, std::string_view name);
std::string snapshot_arn(const Scope& scope, std::string_view id);

// An ARN's resource type ("db", "subgrp", "snapshot") and name; nullopt when it is not an RDS
// ARN of this scope's partition.
struct ArnParts {
    std::string type;
    std::string name;
};
std::optional<ArnParts> parse_arn(std::string_view arn);

// DBInstanceIdentifier, DBSnapshotIdentifier: 1-63 letters, digits and hyphens, a letter
// first, no trailing or double hyphen. Answers it in lower case, as RDS stores it; throws
// InvalidParameterValue with RDS's message naming `parameter`.
std::string checked_identifier(std::string_view parameter, std::string_view value);
// DBName and MasterUsername for PostgreSQL: a letter first, then letters, digits, '_'.
void check_database_name(std::string_view value);
void check_master_username(std::string_view value);
void check_master_password(std::string_view value);
// AllocatedStorage within RDS's limits for PostgreSQL; InvalidParameterCombination (RDS names
// the engine and the storage type) otherwise.
void check_allocated_storage(std::int64_t gibibytes, std::string_view storage_type);
AwsError invalid_storage_size(std::int64_t gibibytes, std::string_view storage_type);
void check_backup_retention(std::int64_t days);
void check_instance_class(std::string_view value);
// The engine must be postgres; an EngineVersion must look like one ("16", "15.4").
void check_engine(std::string_view engine);
void check_engine_version(std::string_view version);
// MaxRecords: 20-100.
void check_max_records(std::int64_t value);

// Statuses the instance may be modified, rebooted or stopped in.
bool accepts_changes(std::string_view status);

}  // namespace awsemu::rds
