#include "services/ec2/ec2_defaults.hpp"
#include "services/ec2/ec2_errors.hpp"
#include "services/ec2/ec2_input.hpp"
#include "services/ec2/ec2_service.hpp"

namespace awsemu::ec2 {
namespace {

std::string group_arn(const Scope& scope, const std::string& group_id) {
    return resource_arn(scope, "security-group", group_id);
}

// A group's rules of one direction as IpPermissions: one per protocol and port range, in the
// order they were first authorized, each listing its peers.
nlohmann::json ip_permissions(const std::vector<SecurityGroupRule>& rules, bool egress) {
    nlohmann::json permissions = nlohmann::json::array();
    std::vector<std::tuple<std::string, int, int>> keys;
    for (const auto& rule : rules) {
        if (rule.is_egress != egress) {
            continue;
        }
        const auto key = std::make_tuple(rule.ip_protocol, rule.from_port, rule.to_port);
        auto at = std::find(keys.begin(), keys.end(), key);
        if (at == keys.end()) {
            nlohmann::json permission = {{"IpProtocol", rule.ip_protocol},
                                         {"IpRanges", nlohmann::json::array()},
                                         {"Ipv6Ranges", nlohmann::json::array()},
                                         {"PrefixListIds", nlohmann::json::array()},
                                         {"UserIdGroupPairs", nlohmann::json::array()}};
            if (rule.ip_protocol != "-1") {
                permission["FromPort"] = rule.from_port;
                permission["ToPort"] = rule.to_port;
            }
            keys.push_back(key);
            permissions.push_back(std::move(permission));
            at = keys.end() - 1;
        }
        nlohmann::json& permission = permissions[static_cast<std::size_t>(at - keys.begin())];
        nlohmann::json peer;
        const char* list = nullptr;
        if (!rule.cidr_ipv4.empty()) {
            peer = {{"CidrIp", rule.cidr_ipv4}};
            list = "IpRanges";
        } else if (!rule.cidr_ipv6.empty()) {
            peer = {{"CidrIpv6", rule.cidr_ipv6}};
            list = "Ipv6Ranges";
        } else if (!rule.prefix_list_id.empty()) {
            peer = {{"PrefixListId", rule.prefix_list_id}};
            list = "PrefixListIds";
        } else {
            peer = {{"GroupId", rule.referenced_group_id}, {"UserId", rule.referenced_user_id}};
            list = "UserIdGroupPairs";
        }
        if (!rule.description.empty()) {
            peer["Description"] = rule.description;
        }
        permission[list].push_back(std::move(peer));
    }
    return permissions;
}

nlohmann::json group_json(const SecurityGroup& group, const std::vector<SecurityGroupRule>& rules,
                          const Scope& scope) {
    nlohmann::json out = {{"OwnerId", scope.account_id},
                          {"GroupName", group.group_name},
                          {"Description", group.description},
                          {"GroupId", group.group_id},
                          {"VpcId", group.vpc_id},
                          {"SecurityGroupArn", group_arn(scope, group.group_id)},
                          {"IpPermissions", ip_permissions(rules, false)},
                          {"IpPermissionsEgress", ip_permissions(rules, true)}};
    if (!group.tags.empty()) {
        out["Tags"] = tags_json(group.tags);
    }
    return out;
}

FilterFields group_fields(const SecurityGroup& group, const std::vector<SecurityGroupRule>& rules,
                          const Scope& scope) {
    FilterFields fields = {{"group-id", group.group_id},
                           {"group-name", group.group_name},
                           {"description", group.description},
                           {"vpc-id", group.vpc_id},
                           {"owner-id", scope.account_id}};
    for (const auto& rule : rules) {
        const std::string prefix = rule.is_egress ? "egress.ip-permission." : "ip-permission.";
        fields.emplace(prefix + "protocol", rule.ip_protocol);
        fields.emplace(prefix + "from-port", std::to_string(rule.from_port));
        fields.emplace(prefix + "to-port", std::to_string(rule.to_port));
        if (!rule.cidr_ipv4.empty()) {
            fields.emplace(prefix + "cidr", rule.cidr_ipv4);
        }
        if (!rule.cidr_ipv6.empty()) {
            fields.emplace(prefix + "ipv6-cidr", rule.cidr_ipv6);
        }
        if (!rule.prefix_list_id.empty()) {
            fields.emplace(prefix + "prefix-list-id", rule.prefix_list_id);
        }
        if (!rule.referenced_group_id.empty()) {
            fields.emplace(prefix + "group-id", rule.referenced_group_id);
            fields.emplace(prefix + "user-id", rule.referenced_user_id);
        }
    }
    add_tag_fields(fields, group.tags);
    return fields;
}

}  // namespace

nlohmann::json Ec2Service::create_security_group(const RequestContext& ctx, const Params& in) {
    const auto name = in.optional_string("GroupName");
    if (!name) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter groupName");
    }
    const auto description = in.optional_string("Description");
    if (!description) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter groupDescription");
    }
    if (name->empty() || name->size() > 255) {
        throw errors::invalid_value("GroupName", *name,
                                    "Length must be between 1 and 255 characters.");
    }
    if (name->starts_with("sg-")) {
        throw AwsError(errors::InvalidParameterValue, "Group names may not be in the format sg-*.");
    }
    if (*name == "default") {
        throw AwsError(errors::InvalidParameterValue,
                       "Cannot use reserved security group name: default");
    }
    if (description->size() > 255) {
        throw errors::invalid_value("GroupDescription", *description,
                                    "Length must be between 0 and 255 characters.");
    }
    std::string vpc_id;
    if (const auto given = in.optional_string("VpcId")) {
        vpc_id = require_vpc(ctx.scope, *given).vpc_id;
    } else if (const auto vpc = store_.default_vpc(ctx.scope)) {
        vpc_id = vpc->vpc_id;
    } else {
        throw AwsError(errors::VPCIdNotSpecified, "No default VPC for this user");
    }
    if (store_.find_group_by_name(ctx.scope, vpc_id, *name)) {
        throw AwsError(
            errors::InvalidGroupDuplicate,
            "The security group '" + *name + "' already exists for VPC '" + vpc_id + "'");
    }
    SecurityGroup group{new_resource_id("sg"), *name, *description, vpc_id,
                        tags_from_specifications(in, "security-group")};
    store_.insert_group(ctx.scope, group);
    put_tags(ctx.scope, group.group_id, group.tags);
    insert_allow_all_egress(store_, ctx.scope, group.group_id);
    nlohmann::json result = {{"GroupId", group.group_id},
                             {"SecurityGroupArn", group_arn(ctx.scope, group.group_id)}};
    if (!group.tags.empty()) {
        result["Tags"] = tags_json(group.tags);
    }
    return result;
}

nlohmann::json Ec2Service::describe_security_groups(const RequestContext& ctx, const Params& in) {
    const auto filters = read_filters(in, {"group-id",
                                           "group-name",
                                           "description",
                                           "vpc-id",
                                           "owner-id",
                                           "tag-key",
                                           "tag-value",
                                           "ip-permission.protocol",
                                           "ip-permission.from-port",
                                           "ip-permission.to-port",
                                           "ip-permission.cidr",
                                           "ip-permission.ipv6-cidr",
                                           "ip-permission.prefix-list-id",
                                           "ip-permission.group-id",
                                           "ip-permission.user-id",
                                           "egress.ip-permission.protocol",
                                           "egress.ip-permission.from-port",
                                           "egress.ip-permission.to-port",
                                           "egress.ip-permission.cidr",
                                           "egress.ip-permission.ipv6-cidr",
                                           "egress.ip-permission.prefix-list-id",
                                           "egress.ip-permission.group-id",
                                           "egress.ip-permission.user-id"});
    std::vector<std::string> ids = in.string_list("GroupIds");
    for (const auto& id : ids) {
        require_group(ctx.scope, id);
    }
    const auto names = in.string_list("GroupNames");
    if (!names.empty()) {
        const auto vpc = store_.default_vpc(ctx.scope);
        for (const auto& name : names) {
            const auto group =
                vpc ? store_.find_group_by_name(ctx.scope, vpc->vpc_id, name) : std::nullopt;
            if (!group) {
                throw AwsError(errors::InvalidGroupNotFound,
                               "The security group '" + name + "' does not exist in default VPC '" +
                                   (vpc ? vpc->vpc_id : std::string("none")) + "'");
            }
            ids.push_back(group->group_id);
        }
    }
    const auto all_rules = store_.rules(ctx.scope);
    std::vector<std::pair<std::string, nlohmann::json>> items;
    for (const auto& group : store_.groups(ctx.scope)) {
        if (!ids.empty() && std::find(ids.begin(), ids.end(), group.group_id) == ids.end()) {
            continue;
        }
        std::vector<SecurityGroupRule> rules;
        std::copy_if(all_rules.begin(), all_rules.end(), std::back_inserter(rules),
                     [&](const SecurityGroupRule& r) { return r.group_id == group.group_id; });
        if (matches_filters(filters, group_fields(group, rules, ctx.scope))) {
            items.emplace_back(group.group_id, group_json(group, rules, ctx.scope));
        }
    }
    nlohmann::json result = nlohmann::json::object();
    write_page(std::move(items), in, "SecurityGroups", result);
    return result;
}

nlohmann::json Ec2Service::delete_security_group(const RequestContext& ctx, const Params& in) {
    const SecurityGroup group = named_group(ctx.scope, in);
    if (group.group_name == "default") {
        throw AwsError(errors::CannotDelete,
                       "the specified group: \"" + group.group_id +
                           "\" name: \"default\" cannot be deleted by a user");
    }
    if (store_.count_rules_referencing(ctx.scope, group.group_id) > 0) {
        throw AwsError(errors::DependencyViolation,
                       "resource " + group.group_id + " has a dependent object");
    }
    store_.delete_group(ctx.scope, group.group_id);
    return {{"Return", true}, {"GroupId", group.group_id}};
}

}  // namespace awsemu::ec2
