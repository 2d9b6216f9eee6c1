#include "services/ec2/ec2_errors.hpp"
#include "services/ec2/ec2_input.hpp"
#include "services/ec2/ec2_service.hpp"

namespace awsemu::ec2 {
namespace {

nlohmann::json zone_json(const AvailabilityZone& zone) {
    return {{"ZoneName", zone.name},
            {"ZoneId", zone.zone_id},
            {"State", "available"},
            {"RegionName", zone.region},
            {"GroupName", zone.region},
            {"NetworkBorderGroup", zone.region},
            {"OptInStatus", "opt-in-not-required"},
            {"ZoneType", "availability-zone"},
            {"Messages", nlohmann::json::array()}};
}

FilterFields zone_fields(const AvailabilityZone& zone) {
    return {{"zone-name", zone.name},
            {"zone-id", zone.zone_id},
            {"region-name", zone.region},
            {"group-name", zone.region},
            {"network-border-group", zone.region},
            {"opt-in-status", "opt-in-not-required"},
            {"zone-type", "availability-zone"},
            {"state", "available"}};
}

}  // namespace

nlohmann::json Ec2Service::describe_availability_zones(const RequestContext& ctx,
                                                       const Params& in) {
    const auto filters = read_filters(
        in, {"zone-name", "zone-id", "region-name", "group-name", "network-border-group",
             "opt-in-status", "zone-type", "state", "message"});
    const auto names = in.string_list("ZoneNames");
    const auto ids = in.string_list("ZoneIds");
    for (const auto& name : names) {
        const auto zone = find_zone(ctx.scope.region, name);
        if (!zone || zone->name != name) {
            throw errors::invalid_value("ZoneName", name,
                                        "The zone '" + name + "' does not exist.");
        }
    }
    for (const auto& id : ids) {
        const auto zone = find_zone(ctx.scope.region, id);
        if (!zone || zone->zone_id != id) {
            throw errors::invalid_value("ZoneId", id, "The zone '" + id + "' does not exist.");
        }
    }
    nlohmann::json zones = nlohmann::json::array();
    for (const auto& zone : availability_zones(ctx.scope.region)) {
        const bool named = (names.empty() && ids.empty()) ||
                           std::find(names.begin(), names.end(), zone.name) != names.end() ||
                           std::find(ids.begin(), ids.end(), zone.zone_id) != ids.end();
        if (named && matches_filters(filters, zone_fields(zone))) {
            zones.push_back(zone_json(zone));
        }
    }
    return {{"AvailabilityZones", std::move(zones)}};
}

void Ec2Service::require_taggable(const Scope& scope, const std::string& id) {
    const std::string type = resource_type_of(id);
    if (type == "vpc") {
        require_vpc(scope, id);
    } else if (type == "subnet") {
        require_subnet(scope, id);
    } else if (type == "security-group") {
        require_group(scope, id);
    } else if (type == "security-group-rule") {
        if (!store_.find_rule(scope, id)) {
            throw AwsError(errors::InvalidSecurityGroupRuleIdNotFound,
                           "The security group rule ID '" + id + "' does not exist");
        }
    } else {
        throw AwsError(errors::InvalidID, "The ID '" + id + "' is not valid");
    }
}

nlohmann::json Ec2Service::create_tags(const RequestContext& ctx, const Params& in) {
    const auto resources = in.string_list("Resources");
    if (resources.empty()) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter resourceIdSet");
    }
    const auto tags = read_tag_list(in.optional_array("Tags"), /*for_delete=*/false);
    if (tags.empty()) {
        throw AwsError(errors::MissingParameter, "The request must contain the parameter tagSet");
    }
    for (const auto& id : resources) {
        require_taggable(ctx.scope, id);
        Tags existing = store_.tags_of(ctx.scope, id);
        std::size_t total = existing.size();
        for (const auto& tag : tags) {
            if (std::none_of(existing.begin(), existing.end(),
                             [&](const Tag& t) { return t.key == tag.key; })) {
                ++total;
            }
        }
        if (total > kMaxTags) {
            throw AwsError(errors::TagLimitExceeded,
                           "The maximum number of Tags for a resource has been reached.");
        }
    }
    for (const auto& id : resources) {
        for (const auto& tag : tags) {
            store_.put_tag(ctx.scope, id, {tag.key, *tag.value});
        }
    }
    return nlohmann::json::object();
}

nlohmann::json Ec2Service::delete_tags(const RequestContext& ctx, const Params& in) {
    const auto resources = in.string_list("Resources");
    if (resources.empty()) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter resourceIdSet");
    }
    const auto tags = read_tag_list(in.optional_array("Tags"), /*for_delete=*/true);
    for (const auto& id : resources) {
        require_taggable(ctx.scope, id);
    }
    for (const auto& id : resources) {
        if (!in.has("Tags")) {
            store_.delete_tags_of(ctx.scope, id);
            continue;
        }
        const Tags existing = store_.tags_of(ctx.scope, id);
        for (const auto& tag : tags) {
            const auto it = std::find_if(existing.begin(), existing.end(),
                                         [&](const Tag& t) { return t.key == tag.key; });
            if (it != existing.end() && (!tag.value || *tag.value == it->value)) {
                store_.delete_tag(ctx.scope, id, tag.key);
            }
        }
    }
    return nlohmann::json::object();
}

nlohmann::json Ec2Service::describe_tags(const RequestContext& ctx, const Params& in) {
    const auto filters = read_filters(in, {"resource-id", "resource-type", "key", "value"});
    std::vector<std::pair<std::string, nlohmann::json>> items;
    for (const auto& row : store_.tagged_resources(ctx.scope)) {
        const FilterFields fields = {{"resource-id", row.resource_id},
                                     {"resource-type", row.resource_type},
                                     {"key", row.key},
                                     {"value", row.value},
                                     {"tag:" + row.key, row.value}};
        if (matches_filters(filters, fields)) {
            items.emplace_back(row.resource_id + '\x01' + row.key,
                               nlohmann::json{{"ResourceId", row.resource_id},
                                              {"ResourceType", row.resource_type},
                                              {"Key", row.key},
                                              {"Value", row.value}});
        }
    }
    nlohmann::json result = nlohmann::json::object();
    write_page(std::move(items), in, "Tags", result);
    return result;
}

}  // namespace awsemu::ec2
