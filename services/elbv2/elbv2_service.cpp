#include "services/elbv2/elbv2_service.hpp"

#include "emulator/chaos/zone_outages.hpp"
#include "emulator/protocol/page_token.hpp"
#include "services/elbv2/data_plane.hpp"
#include "services/elbv2/elbv2_errors.hpp"
#include "services/elbv2/elbv2_spec.hpp"

namespace awsemu::elbv2 {

std::int64_t epoch_ms(TimePoint time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

Json page_of(const std::vector<Resource>& items, const Params& in, const char* list_name,
             const std::function<Json(const Resource&)>& to_json) {
    const auto page_size = in.optional_int("PageSize").value_or(kDefaultPageSize);
    if (page_size < 1 || page_size > kDefaultPageSize) {
        throw errors::validation("1 validation error detected: Value '" +
                                 std::to_string(page_size) +
                                 "' at 'pageSize' failed to satisfy constraint: Member must have "
                                 "value between 1 and 400");
    }
    std::size_t start = 0;
    if (const auto marker = in.optional_string("Marker")) {
        const auto last = decode_key_token(marker);
        const auto it = !last ? items.end()
                              : std::find_if(items.begin(), items.end(),
                                             [&](const Resource& r) { return r.arn == *last; });
        if (it == items.end()) {
            throw errors::validation("The marker '" + *marker + "' is not valid");
        }
        start = static_cast<std::size_t>(it - items.begin()) + 1;
    }
    Json list = Json::array();
    std::size_t index = start;
    for (; index < items.size() && list.size() < static_cast<std::size_t>(page_size); ++index) {
        list.push_back(to_json(items[index]));
    }
    Json result = {{list_name, list}};
    if (index < items.size()) {
        result["NextMarker"] = encode_key_token(items[index - 1].arn);
    }
    return result;
}

Elbv2Service::Elbv2Service(ServiceEnvironment& environment)
    : db_(environment.database),
      clock_(environment.clock),
      store_(environment.database),
      health_results_(std::make_shared<NoHealthResults>()) {}

void Elbv2Service::set_health_results(std::shared_ptr<const HealthResults> results) {
    health_results_ = std::move(results);
}

Resource Elbv2Service::require(const Scope& scope, const std::string& arn, ResourceKind kind) {
    const auto parts = parse_arn(arn);
    std::optional<Resource> found;
    if (parts && parts->kind == kind) {
        found = store_.find(scope, arn);
    }
    if (found) {
        return std::move(*found);
    }
    switch (kind) {
        case ResourceKind::LoadBalancer:
            throw AwsError(errors::LoadBalancerNotFound, "Load balancer '" + arn + "' not found");
        case ResourceKind::TargetGroup:
            throw AwsError(errors::TargetGroupNotFound, "Target groups '" + arn + "' not found");
        case ResourceKind::Listener:
            throw AwsError(errors::ListenerNotFound, "Listener '" + arn + "' not found");
        case ResourceKind::Rule:
            break;
    }
    throw AwsError(errors::RuleNotFound, "One or more rules not found");
}

std::map<std::string, std::set<std::string>> Elbv2Service::target_group_users(const Scope& scope) {
    std::map<std::string, std::string> listener_lb;
    for (const auto& listener : store_.list(scope, ResourceKind::Listener)) {
        listener_lb[listener.arn] = listener.parent;
    }
    std::map<std::string, std::set<std::string>> users;
    for (const auto& rule : store_.list(scope, ResourceKind::Rule)) {
        for (const auto& group : forwarded_target_groups(rule.document.at("Actions"))) {
            users[group].insert(listener_lb[rule.parent]);
        }
    }
    return users;
}

Json Elbv2Service::describe(const Scope& scope, const Resource& resource, std::int64_t now_ms) {
    Json out = Json::object();
    for (const auto& [key, value] : resource.document.items()) {
        if (!key.starts_with("_")) {
            out[key] = value;
        }
    }
    if (resource.kind == ResourceKind::LoadBalancer) {
        const bool ready =
            now_ms - resource.document.at("_CreatedMs").get<std::int64_t>() >= kProvisioningMs;
        out["State"] = {{"Code", ready ? "active" : "provisioning"}};
    }
    if (resource.kind == ResourceKind::TargetGroup) {
        Json arns = Json::array();
        const auto users = target_group_users(scope);
        if (const auto it = users.find(resource.arn); it != users.end()) {
            for (const auto& arn : it->second) {
                arns.push_back(arn);
            }
        }
        out["LoadBalancerArns"] = arns;
    }
    return out;
}

void Elbv2Service::store_tags(const Scope& scope, const std::string& arn, const Tags& tags) {
    if (tags.size() > static_cast<std::size_t>(kMaxTags)) {
        throw AwsError(errors::TooManyTags,
                       "You've reached the limit on the number of tags for "
                       "this resource");
    }
    for (const auto& [key, value] : tags) {
        store_.set_tag(scope, arn, key, value);
    }
}

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment) {
    auto service = std::make_shared<Elbv2Service>(environment);
    environment.apis["elbv2"] = std::shared_ptr<Elbv2Api>(service);
    ServiceDefinition definition;
    definition.name = "elbv2";
    definition.signing_name = "elasticloadbalancing";
    definition.protocol = Protocol::Query;
    definition.query_version = std::string(kQueryVersion);
    definition.xml_namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    definition.param_errors = ParamErrors{errors::ValidationError, errors::ValidationError};
    using S = Elbv2Service;
    const std::pair<const char*, Json (S::*)(const RequestContext&, const Params&)> operations[] = {
        {"AddListenerCertificates", &S::add_listener_certificates},
        {"AddTags", &S::add_tags},
        {"CreateListener", &S::create_listener},
        {"CreateLoadBalancer", &S::create_load_balancer},
        {"CreateRule", &S::create_rule},
        {"CreateTargetGroup", &S::create_target_group},
        {"DeleteListener", &S::delete_listener},
        {"DeleteLoadBalancer", &S::delete_load_balancer},
        {"DeleteRule", &S::delete_rule},
        {"DeleteTargetGroup", &S::delete_target_group},
        {"DeregisterTargets", &S::deregister_targets},
        {"DescribeAccountLimits", &S::describe_account_limits},
        {"DescribeListenerAttributes", &S::describe_listener_attributes},
        {"DescribeListenerCertificates", &S::describe_listener_certificates},
        {"DescribeListeners", &S::describe_listeners},
        {"DescribeLoadBalancerAttributes", &S::describe_load_balancer_attributes},
        {"DescribeLoadBalancers", &S::describe_load_balancers},
        {"DescribeRules", &S::describe_rules},
        {"DescribeSSLPolicies", &S::describe_ssl_policies},
        {"DescribeTags", &S::describe_tags},
        {"DescribeTargetGroupAttributes", &S::describe_target_group_attributes},
        {"DescribeTargetGroups", &S::describe_target_groups},
        {"DescribeTargetHealth", &S::describe_target_health},
        {"ModifyListener", &S::modify_listener},
        {"ModifyListenerAttributes", &S::modify_listener_attributes},
        {"ModifyLoadBalancerAttributes", &S::modify_load_balancer_attributes},
        {"ModifyRule", &S::modify_rule},
        {"ModifyTargetGroup", &S::modify_target_group},
        {"ModifyTargetGroupAttributes", &S::modify_target_group_attributes},
        {"RegisterTargets", &S::register_targets},
        {"RemoveListenerCertificates", &S::remove_listener_certificates},
        {"RemoveTags", &S::remove_tags},
        {"SetIpAddressType", &S::set_ip_address_type},
        {"SetRulePriorities", &S::set_rule_priorities},
        {"SetSecurityGroups", &S::set_security_groups},
        {"SetSubnets", &S::set_subnets},
    };
    for (const auto& [name, method] : operations) {
        OperationHandler handler = bind_operation(service, method);
        if (!std::string_view(name).starts_with("Describe")) {
            handler = [service, handler](const RequestContext& ctx, const Params& in) {
                Json result = handler(ctx, in);
                service->notify_change();
                return result;
            };
        }
        definition.operations.emplace(name, Operation{std::move(handler), query_input_shape(name),
                                                      QueryShape::structure({})});
    }
    if (environment.proxies != nullptr && environment.http_client != nullptr) {
        auto data_plane = std::make_shared<DataPlane>(environment, *environment.proxies);
        service->set_health_results(data_plane->health_results());
        data_plane->on_verdict = [weak = std::weak_ptr<Elbv2Service>(service)] {
            if (const auto elbv2 = weak.lock()) {
                elbv2->health_changed();
            }
        };
        service->set_on_change([weak = std::weak_ptr<DataPlane>(data_plane)] {
            if (const auto plane = weak.lock()) {
                plane->changed();
            }
        });
        definition.before_reset = [data_plane] { data_plane->stop_all(); };
        definition.status = [data_plane] { return data_plane->status(); };
        if (environment.zones != nullptr) {
            // A zone going down or coming back changes where traffic may go.
            environment.zones->on_change(
                [weak = std::weak_ptr<DataPlane>(data_plane)](const std::string&, bool) {
                    if (const auto self = weak.lock()) {
                        self->changed();
                    }
                });
        }
        data_plane->changed();  // the listeners kept in the state directory start listening
    }
    registry.add(std::move(definition));
}

}  // namespace awsemu::elbv2
