#include "services/rds/rds_spec.hpp"

namespace awsemu::rds {
namespace {

using S = QueryShape;

S strings(const char* member = "member") {
    return S::list(S::string(), false, member);
}

S tags() {
    return S::list(S::structure({}), false, "Tag");
}

S filters() {
    return S::list(S::structure({{"Values", strings("Value")}}), false, "Filter");
}

std::vector<QueryMember> instance_input_members() {
    return {
        {"AllocatedStorage", S::integer()},
        {"BackupRetentionPeriod", S::integer()},
        {"Port", S::integer()},
        {"DBPortNumber", S::integer()},
        {"MultiAZ", S::boolean()},
        {"AutoMinorVersionUpgrade", S::boolean()},
        {"Iops", S::integer()},
        {"StorageThroughput", S::integer()},
        {"PubliclyAccessible", S::boolean()},
        {"StorageEncrypted", S::boolean()},
        {"CopyTagsToSnapshot", S::boolean()},
        {"MonitoringInterval", S::integer()},
        {"PromotionTier", S::integer()},
        {"EnableIAMDatabaseAuthentication", S::boolean()},
        {"EnablePerformanceInsights", S::boolean()},
        {"PerformanceInsightsRetentionPeriod", S::integer()},
        {"DeletionProtection", S::boolean()},
        {"MaxAllocatedStorage", S::integer()},
        {"ManageMasterUserPassword", S::boolean()},
        {"RotateMasterUserPassword", S::boolean()},
        {"ApplyImmediately", S::boolean()},
        {"AllowMajorVersionUpgrade", S::boolean()},
        {"VpcSecurityGroupIds", strings("VpcSecurityGroupId")},
        {"DBSecurityGroups", strings("DBSecurityGroupName")},
        {"EnableCloudwatchLogsExports", strings()},
        {"Tags", tags()},
    };
}

S instance() {
    return S::structure({
        {"Endpoint", S::structure({{"Port", S::integer()}})},
        {"AllocatedStorage", S::integer()},
        {"BackupRetentionPeriod", S::integer()},
        {"DBSecurityGroups", S::list(S::structure({}), false, "DBSecurityGroup")},
        {"VpcSecurityGroups", S::list(S::structure({}), false, "VpcSecurityGroupMembership")},
        {"DBParameterGroups", S::list(S::structure({}), false, "DBParameterGroup")},
        {"DBSubnetGroup", S::structure({{"Subnets", S::list(S::structure({}), false, "Subnet")},
                                        {"SupportedNetworkTypes", strings()}})},
        {"PendingModifiedValues", S::structure({})},
        {"MultiAZ", S::boolean()},
        {"ReadReplicaDBInstanceIdentifiers", strings("ReadReplicaDBInstanceIdentifier")},
        {"OptionGroupMemberships", S::list(S::structure({}), false, "OptionGroupMembership")},
        {"StatusInfos", S::list(S::structure({}), false, "DBInstanceStatusInfo")},
        {"DbInstancePort", S::integer()},
        {"EnabledCloudwatchLogsExports", strings()},
        {"AssociatedRoles", S::list(S::structure({}), false, "DBInstanceRole")},
        {"TagList", tags()},
        {"DomainMemberships", S::list(S::structure({}), false, "DomainMembership")},
    });
}

S subnet_group() {
    return S::structure({{"Subnets", S::list(S::structure({}), false, "Subnet")},
                         {"SupportedNetworkTypes", strings()}});
}

}  // namespace

QueryShape query_input_shape(std::string_view operation) {
    if (operation == "CreateDBInstance" || operation == "ModifyDBInstance" ||
        operation == "RestoreDBInstanceFromDBSnapshot") {
        return S::structure(instance_input_members());
    }
    if (operation == "DescribeDBInstances" || operation == "DescribeDBSubnetGroups" ||
        operation == "DescribeDBSnapshots" || operation == "ListTagsForResource") {
        return S::structure({{"Filters", filters()}, {"MaxRecords", S::integer()}});
    }
    if (operation == "DescribeDBEngineVersions") {
        return S::structure({{"Filters", filters()},
                             {"MaxRecords", S::integer()},
                             {"DefaultOnly", S::boolean()},
                             {"IncludeAll", S::boolean()},
                             {"ListSupportedCharacterSets", S::boolean()},
                             {"ListSupportedTimezones", S::boolean()}});
    }
    if (operation == "DescribeEvents") {
        return S::structure({{"Filters", filters()},
                             {"MaxRecords", S::integer()},
                             {"Duration", S::integer()},
                             {"EventCategories", strings("EventCategory")}});
    }
    if (operation == "CreateDBSubnetGroup" || operation == "ModifyDBSubnetGroup") {
        return S::structure({{"SubnetIds", strings("SubnetIdentifier")}, {"Tags", tags()}});
    }
    if (operation == "AddTagsToResource" || operation == "CreateDBSnapshot") {
        return S::structure({{"Tags", tags()}});
    }
    if (operation == "RemoveTagsFromResource") {
        return S::structure({{"TagKeys", strings()}});
    }
    if (operation == "DeleteDBInstance") {
        return S::structure({{"SkipFinalSnapshot", S::boolean()},
                             {"DeleteAutomatedBackups", S::boolean()},
                             {"Tags", tags()}});
    }
    if (operation == "RebootDBInstance") {
        return S::structure({{"ForceFailover", S::boolean()}});
    }
    return S::structure({});
}

QueryShape query_output_shape(std::string_view operation) {
    if (operation == "DescribeDBInstances") {
        return S::structure({{"DBInstances", S::list(instance(), false, "DBInstance")}});
    }
    if (operation == "CreateDBInstance" || operation == "ModifyDBInstance" ||
        operation == "DeleteDBInstance" || operation == "RebootDBInstance" ||
        operation == "StopDBInstance" || operation == "StartDBInstance" ||
        operation == "RestoreDBInstanceFromDBSnapshot") {
        return S::structure({{"DBInstance", instance()}});
    }
    if (operation == "DescribeDBSubnetGroups") {
        return S::structure({{"DBSubnetGroups", S::list(subnet_group(), false, "DBSubnetGroup")}});
    }
    if (operation == "CreateDBSubnetGroup" || operation == "ModifyDBSubnetGroup") {
        return S::structure({{"DBSubnetGroup", subnet_group()}});
    }
    if (operation == "DescribeEvents") {
        return S::structure(
            {{"Events", S::list(S::structure({{"EventCategories", strings("EventCategory")}}),
                                false, "Event")}});
    }
    if (operation == "DescribeDBEngineVersions") {
        return S::structure(
            {{"DBEngineVersions",
              S::list(S::structure({{"ExportableLogTypes", strings()},
                                    {"ValidUpgradeTarget",
                                     S::list(S::structure({}), false, "UpgradeTarget")},
                                    {"SupportedFeatureNames", strings()},
                                    {"SupportedEngineModes", strings()},
                                    {"SupportedCACertificateIdentifiers", strings()}}),
                      false, "DBEngineVersion")}});
    }
    if (operation == "ListTagsForResource") {
        return S::structure({{"TagList", tags()}});
    }
    const S snapshot =
        S::structure({{"AllocatedStorage", S::integer()},
                      {"Port", S::integer()},
                      {"PercentProgress", S::integer()},
                      {"TagList", tags()},
                      {"ProcessorFeatures", S::list(S::structure({}), false, "ProcessorFeature")}});
    if (operation == "DescribeDBSnapshots") {
        return S::structure({{"DBSnapshots", S::list(snapshot, false, "DBSnapshot")}});
    }
    if (operation == "CreateDBSnapshot" || operation == "DeleteDBSnapshot") {
        return S::structure({{"DBSnapshot", snapshot}});
    }
    return S::structure({});
}

}  // namespace awsemu::rds
