#include <algorithm>

#include "services/elbv2/elbv2_errors.hpp"
#include "services/elbv2/elbv2_service.hpp"

namespace awsemu::elbv2 {
namespace {

// The resource an ARN of any kind names, or that kind's not-found error.
ResourceKind kind_of(const std::string& arn) {
    const auto parts = parse_arn(arn);
    if (!parts) {
        throw errors::validation("'" + arn + "' is not a valid Elastic Load Balancing ARN");
    }
    return parts->kind;
}

std::vector<std::string> resource_arns(const Params& in) {
    const auto arns = in.string_list("ResourceArns");
    in.required_array("ResourceArns");
    if (arns.empty() || arns.size() > 20) {
        throw errors::validation("Between 1 and 20 resource ARNs must be specified");
    }
    return arns;
}

}  // namespace

Json Elbv2Service::add_tags(const RequestContext& ctx, const Params& in) {
    const auto arns = resource_arns(in);
    const Tags tags = tag_list(&in.required_array("Tags"));
    if (tags.empty()) {
        throw errors::validation("At least one tag must be specified");
    }
    for (const auto& arn : arns) {
        require(ctx.scope, arn, kind_of(arn));
        auto current = store_.tags(ctx.scope, arn);
        std::size_t count = current.size();
        for (const auto& [key, value] : tags) {
            if (std::none_of(current.begin(), current.end(),
                             [&](const auto& tag) { return tag.first == key; })) {
                ++count;
            }
        }
        if (count > static_cast<std::size_t>(kMaxTags)) {
            throw AwsError(errors::TooManyTags,
                           "You've reached the limit on the number of tags for this resource");
        }
        for (const auto& [key, value] : tags) {
            store_.set_tag(ctx.scope, arn, key, value);
        }
    }
    return Json::object();
}

Json Elbv2Service::remove_tags(const RequestContext& ctx, const Params& in) {
    const auto arns = resource_arns(in);
    in.required_array("TagKeys");
    const auto keys = in.string_list("TagKeys");
    for (const auto& arn : arns) {
        require(ctx.scope, arn, kind_of(arn));
        for (const auto& key : keys) {
            store_.remove_tag(ctx.scope, arn, key);
        }
    }
    return Json::object();
}

Json Elbv2Service::describe_tags(const RequestContext& ctx, const Params& in) {
    Json list = Json::array();
    for (const auto& arn : resource_arns(in)) {
        require(ctx.scope, arn, kind_of(arn));
        list.push_back({{"ResourceArn", arn}, {"Tags", tags_json(store_.tags(ctx.scope, arn))}});
    }
    return {{"TagDescriptions", list}};
}

Json Elbv2Service::describe_ssl_policies(const RequestContext&, const Params& in) {
    const auto names = in.string_list("Names");
    Json policies = ssl_policies();
    if (!names.empty()) {
        Json chosen = Json::array();
        for (const auto& name : names) {
            const auto it = std::find_if(policies.begin(), policies.end(),
                                         [&](const Json& p) { return p.at("Name") == name; });
            if (it == policies.end()) {
                throw AwsError(errors::SSLPolicyNotFound, "SSL policy '" + name + "' not found");
            }
            chosen.push_back(*it);
        }
        policies = std::move(chosen);
    }
    return {{"SslPolicies", policies}};
}

Json Elbv2Service::describe_account_limits(const RequestContext&, const Params&) {
    Json limits = Json::array();
    for (const auto& [name, max] : std::vector<std::pair<const char*, int>>{
             {"application-load-balancers", 50},
             {"target-groups", 3000},
             {"targets-per-application-load-balancer", 1000},
             {"listeners-per-application-load-balancer", kMaxListenersPerLoadBalancer},
             {"rules-per-application-load-balancer", kMaxRulesPerListener},
             {"certificates-per-application-load-balancer", kMaxCertificatesPerListener},
             {"target-groups-per-application-load-balancer", 100},
             {"targets-per-target-group", kMaxTargetsPerGroup},
             {"target-groups-per-action-on-application-load-balancer", kMaxTargetGroupsPerForward},
         }) {
        limits.push_back({{"Name", name}, {"Max", std::to_string(max)}});
    }
    return {{"Limits", limits}};
}

}  // namespace awsemu::elbv2
