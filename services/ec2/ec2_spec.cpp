#include "services/ec2/ec2_spec.hpp"

namespace awsemu::ec2 {
namespace {

// EC2 flattens every list: "SubnetId.1", "Filter.1.Value.1".
QueryShape list_of(QueryShape item) {
    return QueryShape::list(std::move(item), /*flattened=*/true);
}

QueryMember strings(std::string name, std::string wire) {
    return {std::move(name), list_of(QueryShape::string()), std::move(wire)};
}

QueryMember tag_list_in() {
    return {"Tags", list_of(QueryShape::structure({})), "Tag"};
}

QueryMember filters() {
    return {"Filters", list_of(QueryShape::structure({strings("Values", "Value")})), "Filter"};
}

QueryMember tag_specifications() {
    return {"TagSpecifications", list_of(QueryShape::structure({tag_list_in()})),
            "TagSpecification"};
}

QueryMember integer(std::string name) {
    return {std::move(name), QueryShape::integer()};
}

QueryMember boolean(std::string name) {
    return {std::move(name), QueryShape::boolean()};
}

// AttributeBooleanValue: {Value}
QueryMember boolean_value(std::string name) {
    return {std::move(name), QueryShape::structure({boolean("Value")})};
}

QueryMember ip_permissions() {
    const QueryShape permission = QueryShape::structure({
        integer("FromPort"),
        integer("ToPort"),
        {"UserIdGroupPairs", list_of(QueryShape::structure({})), "Groups"},
        {"IpRanges", list_of(QueryShape::structure({}))},
        {"Ipv6Ranges", list_of(QueryShape::structure({}))},
        {"PrefixListIds", list_of(QueryShape::structure({}))},
    });
    return {"IpPermissions", list_of(permission)};
}

std::vector<QueryMember> describe_members(std::vector<QueryMember> members) {
    members.push_back(filters());
    members.push_back(integer("MaxResults"));
    members.push_back(boolean("DryRun"));
    return members;
}

QueryMember tags_out() {
    return {"Tags", QueryShape::list(QueryShape::structure({})), "tagSet"};
}

QueryShape tagged_out() {
    return QueryShape::structure({tags_out()});
}

QueryShape security_group_rule_out() {
    return QueryShape::structure({tags_out()});
}

QueryShape ip_permission_out() {
    return QueryShape::structure(
        {{"UserIdGroupPairs", QueryShape::list(QueryShape::structure({})), "groups"}});
}

QueryShape security_group_out() {
    return QueryShape::structure({
        tags_out(),
        {"Description", QueryShape::string(), "groupDescription"},
        {"IpPermissions", QueryShape::list(ip_permission_out())},
        {"IpPermissionsEgress", QueryShape::list(ip_permission_out())},
    });
}

}  // namespace

QueryShape ec2_input_shape(std::string_view operation) {
    if (operation == "CreateVpc") {
        return QueryShape::structure({tag_specifications(), boolean("DryRun"),
                                      boolean("AmazonProvidedIpv6CidrBlock"),
                                      integer("Ipv4NetmaskLength"), integer("Ipv6NetmaskLength")});
    }
    if (operation == "DescribeVpcs") {
        return QueryShape::structure(describe_members({strings("VpcIds", "VpcId")}));
    }
    if (operation == "ModifyVpcAttribute") {
        return QueryShape::structure({boolean_value("EnableDnsHostnames"),
                                      boolean_value("EnableDnsSupport"),
                                      boolean_value("EnableNetworkAddressUsageMetrics")});
    }
    if (operation == "CreateSubnet") {
        return QueryShape::structure({tag_specifications(), boolean("DryRun"),
                                      boolean("Ipv6Native"), integer("Ipv4NetmaskLength"),
                                      integer("Ipv6NetmaskLength")});
    }
    if (operation == "DescribeSubnets") {
        return QueryShape::structure(describe_members({strings("SubnetIds", "SubnetId")}));
    }
    if (operation == "ModifySubnetAttribute") {
        return QueryShape::structure({
            boolean_value("AssignIpv6AddressOnCreation"),
            boolean_value("MapPublicIpOnLaunch"),
            boolean_value("MapCustomerOwnedIpOnLaunch"),
            boolean_value("EnableDns64"),
            boolean_value("EnableResourceNameDnsARecordOnLaunch"),
            boolean_value("EnableResourceNameDnsAAAARecordOnLaunch"),
            integer("EnableLniAtDeviceIndex"),
            boolean_value("DisableLniAtDeviceIndex"),
        });
    }
    if (operation == "CreateSecurityGroup") {
        return QueryShape::structure({{"Description", QueryShape::string(), "GroupDescription"},
                                      tag_specifications(),
                                      boolean("DryRun")});
    }
    if (operation == "DescribeSecurityGroups") {
        return QueryShape::structure(
            describe_members({strings("GroupIds", "GroupId"), strings("GroupNames", "GroupName")}));
    }
    if (operation == "AuthorizeSecurityGroupIngress" ||
        operation == "AuthorizeSecurityGroupEgress" || operation == "RevokeSecurityGroupIngress" ||
        operation == "RevokeSecurityGroupEgress") {
        return QueryShape::structure({ip_permissions(), integer("FromPort"), integer("ToPort"),
                                      tag_specifications(), boolean("DryRun"),
                                      strings("SecurityGroupRuleIds", "SecurityGroupRuleId")});
    }
    if (operation == "UpdateSecurityGroupRuleDescriptionsIngress" ||
        operation == "UpdateSecurityGroupRuleDescriptionsEgress") {
        return QueryShape::structure(
            {ip_permissions(),
             boolean("DryRun"),
             {"SecurityGroupRuleDescriptions", list_of(QueryShape::structure({})),
              "SecurityGroupRuleDescription"}});
    }
    if (operation == "ModifySecurityGroupRules") {
        return QueryShape::structure(
            {boolean("DryRun"),
             {"SecurityGroupRules",
              list_of(QueryShape::structure(
                  {{"SecurityGroupRule",
                    QueryShape::structure({integer("FromPort"), integer("ToPort")})}})),
              "SecurityGroupRule"}});
    }
    if (operation == "DescribeSecurityGroupRules") {
        return QueryShape::structure(
            describe_members({strings("SecurityGroupRuleIds", "SecurityGroupRuleId")}));
    }
    if (operation == "CreateTags" || operation == "DeleteTags") {
        return QueryShape::structure(
            {strings("Resources", "ResourceId"), tag_list_in(), boolean("DryRun")});
    }
    if (operation == "DescribeTags") {
        return QueryShape::structure(describe_members({}));
    }
    if (operation == "DescribeAvailabilityZones") {
        return QueryShape::structure({strings("ZoneNames", "ZoneName"),
                                      strings("ZoneIds", "ZoneId"), boolean("AllAvailabilityZones"),
                                      boolean("DryRun"), filters()});
    }
    if (operation == "DescribeNetworkAcls" || operation == "DescribeRouteTables" ||
        operation == "DescribeNetworkInterfaces") {
        return QueryShape::structure(describe_members(
            {strings("NetworkAclIds", "NetworkAclId"), strings("RouteTableIds", "RouteTableId"),
             strings("NetworkInterfaceIds", "NetworkInterfaceId")}));
    }
    return QueryShape::structure({boolean("DryRun")});
}

QueryShape ec2_output_shape(std::string_view operation) {
    if (operation == "CreateVpc") {
        return QueryShape::structure({{"Vpc", tagged_out()}});
    }
    if (operation == "DescribeVpcs") {
        return QueryShape::structure({{"Vpcs", QueryShape::list(tagged_out()), "vpcSet"}});
    }
    if (operation == "CreateSubnet") {
        return QueryShape::structure({{"Subnet", tagged_out()}});
    }
    if (operation == "DescribeSubnets") {
        return QueryShape::structure({{"Subnets", QueryShape::list(tagged_out()), "subnetSet"}});
    }
    if (operation == "CreateSecurityGroup") {
        return QueryShape::structure({tags_out()});
    }
    if (operation == "DescribeSecurityGroups") {
        return QueryShape::structure(
            {{"SecurityGroups", QueryShape::list(security_group_out()), "securityGroupInfo"}});
    }
    if (operation == "AuthorizeSecurityGroupIngress" ||
        operation == "AuthorizeSecurityGroupEgress" || operation == "DescribeSecurityGroupRules") {
        return QueryShape::structure(
            {{"SecurityGroupRules", QueryShape::list(security_group_rule_out()),
              "securityGroupRuleSet"}});
    }
    if (operation == "RevokeSecurityGroupIngress" || operation == "RevokeSecurityGroupEgress") {
        return QueryShape::structure(
            {{"UnknownIpPermissions", QueryShape::list(ip_permission_out()),
              "unknownIpPermissionSet"},
             {"RevokedSecurityGroupRules", QueryShape::list(QueryShape::structure({})),
              "revokedSecurityGroupRuleSet"}});
    }
    if (operation == "DescribeTags") {
        return QueryShape::structure({tags_out()});
    }
    if (operation == "DescribeAvailabilityZones") {
        return QueryShape::structure(
            {{"AvailabilityZones",
              QueryShape::list(QueryShape::structure(
                  {{"State", QueryShape::string(), "zoneState"},
                   {"Messages", QueryShape::list(QueryShape::structure({})), "messageSet"}})),
              "availabilityZoneInfo"}});
    }
    if (operation == "DescribeNetworkAcls") {
        return QueryShape::structure(
            {{"NetworkAcls",
              QueryShape::list(QueryShape::structure(
                  {tags_out(),
                   {"Entries", QueryShape::list(QueryShape::structure({})), "entrySet"},
                   {"Associations", QueryShape::list(QueryShape::structure({})), "associationSet"},
                   {"IsDefault", QueryShape::boolean(), "default"}})),
              "networkAclSet"}});
    }
    if (operation == "DescribeRouteTables") {
        return QueryShape::structure(
            {{"RouteTables",
              QueryShape::list(QueryShape::structure(
                  {tags_out(),
                   {"Routes", QueryShape::list(QueryShape::structure({})), "routeSet"},
                   {"Associations", QueryShape::list(QueryShape::structure({})), "associationSet"},
                   {"PropagatingVgws", QueryShape::list(QueryShape::structure({})),
                    "propagatingVgwSet"}})),
              "routeTableSet"}});
    }
    if (operation == "DescribeNetworkInterfaces") {
        return QueryShape::structure(
            {{"NetworkInterfaces", QueryShape::list(QueryShape::structure({})),
              "networkInterfaceSet"}});
    }
    return QueryShape::structure({});
}

}  // namespace awsemu::ec2
