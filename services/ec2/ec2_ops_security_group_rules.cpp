#include "services/ec2/ec2_errors.hpp"
#include "services/ec2/ec2_input.hpp"
#include "services/ec2/ec2_service.hpp"

namespace awsemu::ec2 {
namespace {

nlohmann::json rule_json(const SecurityGroupRule& rule, const Scope& scope) {
    nlohmann::json out = {
        {"SecurityGroupRuleId", rule.rule_id},
        {"GroupId", rule.group_id},
        {"GroupOwnerId", scope.account_id},
        {"IsEgress", rule.is_egress},
        {"IpProtocol", rule.ip_protocol},
        {"FromPort", rule.from_port},
        {"ToPort", rule.to_port},
        {"Tags", tags_json(rule.tags)},
        {"SecurityGroupRuleArn", resource_arn(scope, "security-group-rule", rule.rule_id)},
    };
    if (!rule.cidr_ipv4.empty()) {
        out["CidrIpv4"] = rule.cidr_ipv4;
    }
    if (!rule.cidr_ipv6.empty()) {
        out["CidrIpv6"] = rule.cidr_ipv6;
    }
    if (!rule.prefix_list_id.empty()) {
        out["PrefixListId"] = rule.prefix_list_id;
    }
    if (!rule.referenced_group_id.empty()) {
        out["ReferencedGroupInfo"] = {{"GroupId", rule.referenced_group_id},
                                      {"UserId", rule.referenced_user_id}};
    }
    if (!rule.description.empty()) {
        out["Description"] = rule.description;
    }
    return out;
}

std::string peer_text(const SecurityGroupRule& rule) {
    if (!rule.cidr_ipv4.empty()) {
        return rule.cidr_ipv4;
    }
    if (!rule.cidr_ipv6.empty()) {
        return rule.cidr_ipv6;
    }
    if (!rule.prefix_list_id.empty()) {
        return rule.prefix_list_id;
    }
    return rule.referenced_group_id;
}

// AWS's words for a rule in InvalidPermission.Duplicate.
std::string rule_text(const SecurityGroupRule& rule) {
    std::string protocol = rule.ip_protocol == "-1" ? "ALL" : rule.ip_protocol;
    std::transform(protocol.begin(), protocol.end(), protocol.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return "peer: " + peer_text(rule) + ", " + protocol +
           ", from port: " + std::to_string(rule.from_port) +
           ", to port: " + std::to_string(rule.to_port) + ", ALLOW";
}

std::optional<int> json_int(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_number_integer()) {
        return std::nullopt;
    }
    return it->get<int>();
}

std::string json_string(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

// The rules one request's permissions stand for, one per peer, checked as AWS checks them.
std::vector<SecurityGroupRule> Ec2Service::requested_rules(const RequestContext& ctx,
                                                           const Params& in,
                                                           const SecurityGroup& group,
                                                           bool egress) {
    nlohmann::json permissions = nlohmann::json::array();
    if (const auto* list = in.optional_array("IpPermissions")) {
        permissions = *list;
    }
    // The older form: one permission in top-level parameters.
    if (in.has("IpProtocol") || in.has("CidrIp") || in.has("SourceSecurityGroupName")) {
        nlohmann::json permission = {
            {"IpProtocol", in.optional_string("IpProtocol").value_or("-1")}};
        if (const auto from = in.optional_int("FromPort")) {
            permission["FromPort"] = *from;
        }
        if (const auto to = in.optional_int("ToPort")) {
            permission["ToPort"] = *to;
        }
        if (const auto cidr = in.optional_string("CidrIp")) {
            permission["IpRanges"] = {{{"CidrIp", *cidr}}};
        }
        if (const auto source = in.optional_string("SourceSecurityGroupName")) {
            permission["UserIdGroupPairs"] = {{{"GroupName", *source}}};
        }
        permissions.push_back(std::move(permission));
    }
    if (permissions.empty()) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter ipPermissions");
    }
    std::vector<SecurityGroupRule> rules;
    for (const auto& permission : permissions) {
        for (auto& rule : permission_rules(ctx, permission, group, egress)) {
            rules.push_back(std::move(rule));
        }
    }
    return rules;
}

// One IpPermission's rules, one per peer.
std::vector<SecurityGroupRule> Ec2Service::permission_rules(const RequestContext& ctx,
                                                            const nlohmann::json& permission,
                                                            const SecurityGroup& group,
                                                            bool egress) {
    std::vector<SecurityGroupRule> rules;
    const std::string given_protocol = json_string(permission, "IpProtocol");
    if (given_protocol.empty()) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter ipProtocol");
    }
    const auto protocol = normalize_protocol(given_protocol);
    if (!protocol) {
        throw AwsError(errors::InvalidParameterValue,
                       "Invalid value '" + given_protocol + "' for IP protocol. Unknown protocol.");
    }
    SecurityGroupRule base;
    base.group_id = group.group_id;
    base.is_egress = egress;
    base.ip_protocol = *protocol;
    if (*protocol == "tcp" || *protocol == "udp") {
        const auto from = json_int(permission, "FromPort");
        const auto to = json_int(permission, "ToPort");
        if (!from || !to) {
            throw AwsError(errors::InvalidParameterValue,
                           "Invalid value 'Must specify both from and to ports with TCP/UDP.' "
                           "for portRange");
        }
        if (*from < 0 || *to > 65535 || *from > *to) {
            throw AwsError(
                errors::InvalidParameterValue,
                "Invalid port range (" + std::to_string(*from) + ", " + std::to_string(*to) + ").");
        }
        base.from_port = *from;
        base.to_port = *to;
    } else if (*protocol == "icmp" || *protocol == "icmpv6") {
        base.from_port = json_int(permission, "FromPort").value_or(-1);
        base.to_port = json_int(permission, "ToPort").value_or(-1);
        if (base.from_port < -1 || base.from_port > 255 || base.to_port < -1 ||
            base.to_port > 255) {
            throw AwsError(errors::InvalidParameterValue, "Invalid value for ICMP type or code (" +
                                                              std::to_string(base.from_port) +
                                                              ", " + std::to_string(base.to_port) +
                                                              ").");
        }
    }
    std::size_t peers = 0;
    const auto each = [&](const char* list, auto&& read) {
        const auto it = permission.find(list);
        if (it == permission.end() || !it->is_array()) {
            return;
        }
        for (const auto& item : *it) {
            SecurityGroupRule rule = base;
            rule.description = json_string(item, "Description");
            read(item, rule);
            rules.push_back(std::move(rule));
            ++peers;
        }
    };
    each("IpRanges", [&](const nlohmann::json& item, SecurityGroupRule& rule) {
        const std::string cidr = json_string(item, "CidrIp");
        const auto parsed = parse_cidr(cidr);
        if (!parsed) {
            throw AwsError(errors::InvalidParameterValue, "CIDR block " + cidr + " is malformed");
        }
        rule.cidr_ipv4 = parsed->str();
    });
    each("Ipv6Ranges", [&](const nlohmann::json& item, SecurityGroupRule& rule) {
        rule.cidr_ipv6 = json_string(item, "CidrIpv6");
        if (!is_ipv6_cidr(rule.cidr_ipv6)) {
            throw AwsError(errors::InvalidParameterValue,
                           "CIDR block " + rule.cidr_ipv6 + " is malformed");
        }
    });
    each("PrefixListIds", [&](const nlohmann::json& item, SecurityGroupRule& rule) {
        rule.prefix_list_id = json_string(item, "PrefixListId");
        if (!rule.prefix_list_id.starts_with("pl-")) {
            throw AwsError(errors::InvalidParameterValue,
                           "The prefix list ID '" + rule.prefix_list_id + "' is malformed");
        }
    });
    each("UserIdGroupPairs", [&](const nlohmann::json& item, SecurityGroupRule& rule) {
        const std::string id = json_string(item, "GroupId");
        const std::string name = json_string(item, "GroupName");
        if (!id.empty()) {
            rule.referenced_group_id = require_group(ctx.scope, id).group_id;
        } else if (!name.empty()) {
            const auto peer = store_.find_group_by_name(ctx.scope, group.vpc_id, name);
            if (!peer) {
                throw AwsError(errors::InvalidGroupNotFound,
                               "The security group '" + name + "' does not exist");
            }
            rule.referenced_group_id = peer->group_id;
        } else {
            throw AwsError(errors::MissingParameter,
                           "The request must contain the parameter groupId or groupName");
        }
        const std::string user = json_string(item, "UserId");
        rule.referenced_user_id = user.empty() ? ctx.scope.account_id : user;
    });
    if (peers == 0) {
        throw AwsError(errors::InvalidParameterValue,
                       "The request must contain at least one of IpRanges, Ipv6Ranges, "
                       "PrefixListIds or UserIdGroupPairs in each IpPermission");
    }
    return rules;
}

nlohmann::json Ec2Service::authorize(const RequestContext& ctx, const Params& in, bool egress) {
    const SecurityGroup group = named_group(ctx.scope, in);
    std::vector<SecurityGroupRule> rules = requested_rules(ctx, in, group, egress);
    const auto existing = store_.rules(ctx.scope, group.group_id);
    const Tags tags = tags_from_specifications(in, "security-group-rule");
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const auto same = [&](const SecurityGroupRule& r) { return r.same_permission(rules[i]); };
        if (std::any_of(existing.begin(), existing.end(), same) ||
            std::any_of(rules.begin(), rules.begin() + static_cast<std::ptrdiff_t>(i), same)) {
            throw AwsError(errors::InvalidPermissionDuplicate,
                           "the specified rule \"" + rule_text(rules[i]) + "\" already exists");
        }
    }
    nlohmann::json created = nlohmann::json::array();
    for (auto& rule : rules) {
        rule.rule_id = new_resource_id("sgr");
        rule.tags = tags;
        store_.insert_rule(ctx.scope, rule);
        put_tags(ctx.scope, rule.rule_id, tags);
        created.push_back(rule_json(rule, ctx.scope));
    }
    return {{"Return", true}, {"SecurityGroupRules", std::move(created)}};
}

nlohmann::json Ec2Service::revoke(const RequestContext& ctx, const Params& in, bool egress) {
    const SecurityGroup group = named_group(ctx.scope, in);
    const auto existing = store_.rules(ctx.scope, group.group_id);
    std::vector<SecurityGroupRule> revoked;
    for (const auto& id : in.string_list("SecurityGroupRuleIds")) {
        const auto it = std::find_if(existing.begin(), existing.end(), [&](const auto& r) {
            return r.rule_id == id && r.is_egress == egress;
        });
        if (it == existing.end()) {
            throw AwsError(errors::InvalidSecurityGroupRuleIdNotFound,
                           "The security group rule ID '" + id + "' does not exist");
        }
        revoked.push_back(*it);
    }
    if (in.has("IpPermissions") || in.has("IpProtocol") || in.has("CidrIp") ||
        in.has("SourceSecurityGroupName") || revoked.empty()) {
        for (const auto& wanted : requested_rules(ctx, in, group, egress)) {
            const auto it = std::find_if(existing.begin(), existing.end(),
                                         [&](const auto& r) { return r.same_permission(wanted); });
            if (it == existing.end()) {
                throw AwsError(errors::InvalidPermissionNotFound,
                               "The specified rule does not exist in this security group.");
            }
            revoked.push_back(*it);
        }
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& rule : revoked) {
        store_.delete_rule(ctx.scope, rule.rule_id);
        nlohmann::json item = rule_json(rule, ctx.scope);
        item.erase("Tags");
        item.erase("GroupOwnerId");
        item.erase("SecurityGroupRuleArn");
        if (item.contains("ReferencedGroupInfo")) {
            item["ReferencedGroupId"] = item["ReferencedGroupInfo"]["GroupId"];
            item.erase("ReferencedGroupInfo");
        }
        list.push_back(std::move(item));
    }
    return {{"Return", true}, {"RevokedSecurityGroupRules", std::move(list)}};
}

nlohmann::json Ec2Service::update_descriptions(const RequestContext& ctx, const Params& in,
                                               bool egress) {
    const SecurityGroup group = named_group(ctx.scope, in);
    const auto existing = store_.rules(ctx.scope, group.group_id);
    std::vector<std::pair<std::string, std::string>> updates;  // rule id, description
    if (const auto* by_id = in.optional_array("SecurityGroupRuleDescriptions")) {
        for (const auto& item : *by_id) {
            const std::string id = json_string(item, "SecurityGroupRuleId");
            const auto it = std::find_if(existing.begin(), existing.end(), [&](const auto& r) {
                return r.rule_id == id && r.is_egress == egress;
            });
            if (it == existing.end()) {
                throw AwsError(errors::InvalidSecurityGroupRuleIdNotFound,
                               "The security group rule ID '" + id + "' does not exist");
            }
            updates.emplace_back(id, json_string(item, "Description"));
        }
    }
    if (in.has("IpPermissions") || updates.empty()) {
        for (const auto& wanted : requested_rules(ctx, in, group, egress)) {
            const auto it = std::find_if(existing.begin(), existing.end(),
                                         [&](const auto& r) { return r.same_permission(wanted); });
            if (it == existing.end()) {
                throw AwsError(errors::InvalidPermissionNotFound,
                               "The specified rule does not exist in this security group.");
            }
            updates.emplace_back(it->rule_id, wanted.description);
        }
    }
    for (const auto& [id, description] : updates) {
        store_.update_rule_description(ctx.scope, id, description);
    }
    return {{"Return", true}};
}

nlohmann::json Ec2Service::modify_security_group_rules(const RequestContext& ctx,
                                                       const Params& in) {
    const SecurityGroup group = require_group(ctx.scope, in.required_string("GroupId"));
    const auto* changes = in.optional_array("SecurityGroupRules");
    if (changes == nullptr || changes->empty()) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter SecurityGroupRule");
    }
    auto existing = store_.rules(ctx.scope, group.group_id);
    std::vector<SecurityGroupRule> updated;
    for (const auto& change : *changes) {
        const std::string id = json_string(change, "SecurityGroupRuleId");
        const auto it = std::find_if(existing.begin(), existing.end(),
                                     [&](const SecurityGroupRule& r) { return r.rule_id == id; });
        if (it == existing.end()) {
            throw AwsError(errors::InvalidSecurityGroupRuleIdNotFound,
                           "The security group rule ID '" + id + "' does not exist");
        }
        // The request's rule as the one-peer IpPermission it stands for.
        const nlohmann::json request = change.value("SecurityGroupRule", nlohmann::json::object());
        nlohmann::json permission = {{"IpProtocol", json_string(request, "IpProtocol")}};
        for (const char* port : {"FromPort", "ToPort"}) {
            if (request.contains(port)) {
                permission[port] = request[port];
            }
        }
        nlohmann::json peer = {{"Description", json_string(request, "Description")}};
        if (!json_string(request, "CidrIpv4").empty()) {
            peer["CidrIp"] = json_string(request, "CidrIpv4");
            permission["IpRanges"] = {peer};
        } else if (!json_string(request, "CidrIpv6").empty()) {
            peer["CidrIpv6"] = json_string(request, "CidrIpv6");
            permission["Ipv6Ranges"] = {peer};
        } else if (!json_string(request, "PrefixListId").empty()) {
            peer["PrefixListId"] = json_string(request, "PrefixListId");
            permission["PrefixListIds"] = {peer};
        } else if (!json_string(request, "ReferencedGroupId").empty()) {
            peer["GroupId"] = json_string(request, "ReferencedGroupId");
            permission["UserIdGroupPairs"] = {peer};
        }
        SecurityGroupRule rule = permission_rules(ctx, permission, group, it->is_egress).front();
        rule.rule_id = id;
        const auto same = [&](const SecurityGroupRule& r) {
            return r.rule_id != id && r.same_permission(rule);
        };
        if (std::any_of(existing.begin(), existing.end(), same)) {
            throw AwsError(errors::InvalidPermissionDuplicate,
                           "the specified rule \"" + rule_text(rule) + "\" already exists");
        }
        *it = rule;
        updated.push_back(std::move(rule));
    }
    for (const auto& rule : updated) {
        store_.update_rule(ctx.scope, rule);
    }
    return {{"Return", true}};
}

nlohmann::json Ec2Service::update_security_group_rule_descriptions_ingress(
    const RequestContext& ctx, const Params& in) {
    return update_descriptions(ctx, in, false);
}

nlohmann::json Ec2Service::update_security_group_rule_descriptions_egress(const RequestContext& ctx,
                                                                          const Params& in) {
    return update_descriptions(ctx, in, true);
}

nlohmann::json Ec2Service::authorize_security_group_ingress(const RequestContext& ctx,
                                                            const Params& in) {
    return authorize(ctx, in, false);
}

nlohmann::json Ec2Service::authorize_security_group_egress(const RequestContext& ctx,
                                                           const Params& in) {
    return authorize(ctx, in, true);
}

nlohmann::json Ec2Service::revoke_security_group_ingress(const RequestContext& ctx,
                                                         const Params& in) {
    return revoke(ctx, in, false);
}

nlohmann::json Ec2Service::revoke_security_group_egress(const RequestContext& ctx,
                                                        const Params& in) {
    return revoke(ctx, in, true);
}

nlohmann::json Ec2Service::describe_security_group_rules(const RequestContext& ctx,
                                                         const Params& in) {
    const auto filters =
        read_filters(in, {"group-id", "security-group-rule-id", "tag-key", "tag-value"});
    const auto ids = in.string_list("SecurityGroupRuleIds");
    std::vector<std::pair<std::string, nlohmann::json>> items;
    const auto rules = store_.rules(ctx.scope);
    for (const auto& id : ids) {
        if (std::none_of(rules.begin(), rules.end(),
                         [&](const SecurityGroupRule& r) { return r.rule_id == id; })) {
            throw AwsError(errors::InvalidSecurityGroupRuleIdNotFound,
                           "The security group rule ID '" + id + "' does not exist");
        }
    }
    for (const auto& rule : rules) {
        if (!ids.empty() && std::find(ids.begin(), ids.end(), rule.rule_id) == ids.end()) {
            continue;
        }
        FilterFields fields = {{"group-id", rule.group_id},
                               {"security-group-rule-id", rule.rule_id}};
        add_tag_fields(fields, rule.tags);
        if (matches_filters(filters, fields)) {
            items.emplace_back(rule.rule_id, rule_json(rule, ctx.scope));
        }
    }
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    nlohmann::json result = nlohmann::json::object();
    write_page(std::move(items), in, "SecurityGroupRules", result);
    return result;
}

}  // namespace awsemu::ec2
