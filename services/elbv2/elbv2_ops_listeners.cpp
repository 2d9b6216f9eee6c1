#include <algorithm>

#include "services/elbv2/elbv2_errors.hpp"
#include "services/elbv2/elbv2_service.hpp"

namespace awsemu::elbv2 {
namespace {

void validate_listener_protocol(const std::string& protocol) {
    if (protocol != "HTTP" && protocol != "HTTPS") {
        throw errors::validation("Listener protocol '" + protocol +
                                 "' must be one of 'HTTPS, HTTP'");
    }
}

void validate_port(std::int64_t port) {
    if (port < 1 || port > 65535) {
        throw errors::validation("1 validation error detected: Value '" + std::to_string(port) +
                                 "' at 'port' failed to satisfy constraint: Member must have "
                                 "value between 1 and 65535");
    }
}

// Certificates as the request gives them: {CertificateArn, IsDefault}.
std::vector<std::string> certificate_arns(const Json* given) {
    std::vector<std::string> arns;
    if (given == nullptr) {
        return arns;
    }
    for (const auto& item : *given) {
        const std::string arn = item.value("CertificateArn", "");
        if (arn.empty()) {
            throw errors::validation("A certificate ARN must be specified");
        }
        if (!arn.starts_with("arn:")) {
            throw AwsError(errors::CertificateNotFound, "Certificate '" + arn + "' not found");
        }
        arns.push_back(arn);
    }
    return arns;
}

// Sets Certificates and SslPolicy as the listener's protocol wants them.
void apply_tls_settings(Json& listener, const Params& in, bool creating) {
    const std::string protocol = listener.at("Protocol");
    const Json* given = in.optional_array("Certificates");
    if (protocol != "HTTPS") {
        if (given != nullptr && !given->empty()) {
            throw errors::validation("Certificates can be specified only for HTTPS listeners");
        }
        if (in.has("SslPolicy")) {
            throw errors::validation("An SSL policy can be specified only for HTTPS listeners");
        }
        listener.erase("Certificates");
        listener.erase("SslPolicy");
        listener.erase("_ExtraCertificates");
        return;
    }
    if (given != nullptr) {
        const auto arns = certificate_arns(given);
        if (arns.size() != 1) {
            throw errors::validation("Exactly one default certificate must be specified");
        }
        listener["Certificates"] = Json::array({{{"CertificateArn", arns[0]}}});
    } else if (creating || !listener.contains("Certificates")) {
        throw errors::validation("A certificate must be specified for HTTPS listeners");
    }
    if (const auto policy = in.optional_string("SslPolicy")) {
        if (!is_known_ssl_policy(*policy)) {
            throw AwsError(errors::SSLPolicyNotFound, "SSL policy '" + *policy + "' not found");
        }
        listener["SslPolicy"] = *policy;
    } else if (!listener.contains("SslPolicy")) {
        listener["SslPolicy"] = std::string(kDefaultSslPolicy);
    }
    if (!listener.contains("_ExtraCertificates")) {
        listener["_ExtraCertificates"] = Json::array();
    }
}

// The listener's attributes: the defaults for its protocol with what was modified.
Attributes listener_attributes(const Resource& listener) {
    const std::string protocol = listener.document.at("Protocol");
    Attributes attributes = default_listener_attributes(protocol);
    if (const auto it = listener.document.find("_Attributes"); it != listener.document.end()) {
        for (const auto& item : *it) {
            const std::string key = item.at("Key");
            for (auto& [name, value] : attributes) {
                if (name == key) {
                    value = item.at("Value");
                }
            }
        }
    }
    return attributes;
}

}  // namespace

Json Elbv2Service::describe_listener_attributes(const RequestContext& ctx, const Params& in) {
    const Resource listener =
        require(ctx.scope, in.required_string("ListenerArn"), ResourceKind::Listener);
    return {{"Attributes", attributes_json(listener_attributes(listener))}};
}

Json Elbv2Service::modify_listener_attributes(const RequestContext& ctx, const Params& in) {
    Resource listener =
        require(ctx.scope, in.required_string("ListenerArn"), ResourceKind::Listener);
    const Attributes changes = attribute_list(&in.required_array("Attributes"));
    if (changes.empty()) {
        throw errors::validation("At least one attribute must be specified");
    }
    const std::string protocol = listener.document.at("Protocol");
    for (const auto& [key, value] : changes) {
        validate_listener_attribute(key, value, protocol);
    }
    const auto stored = listener.document.find("_Attributes");
    const Attributes modified =
        stored != listener.document.end() ? attributes_from_json(*stored) : Attributes{};
    listener.document["_Attributes"] = attributes_json(merge_attributes(modified, changes));
    store_.put(ctx.scope, listener);
    return {{"Attributes", attributes_json(listener_attributes(listener))}};
}

void Elbv2Service::check_forward_targets(const Scope& scope, const Json& actions,
                                         const std::string& load_balancer_arn) {
    const auto users = target_group_users(scope);
    for (const auto& arn : forwarded_target_groups(actions)) {
        const Resource group = require(scope, arn, ResourceKind::TargetGroup);
        const std::string protocol = group.document.value("Protocol", "");
        if (group.document.at("TargetType") != "lambda" && protocol != "HTTP" &&
            protocol != "HTTPS") {
            throw AwsError(errors::InvalidConfigurationRequest,
                           "The target group '" + arn + "' has protocol '" + protocol +
                               "', which application load balancers cannot forward to");
        }
        const auto it = users.find(arn);
        if (it != users.end() && !it->second.empty() && !it->second.contains(load_balancer_arn)) {
            throw AwsError(errors::TargetGroupAssociationLimit,
                           "The following target groups cannot be associated with more than one "
                           "load balancer: '" +
                               arn + "'");
        }
    }
}

Json Elbv2Service::create_listener(const RequestContext& ctx, const Params& in) {
    const Resource lb =
        require(ctx.scope, in.required_string("LoadBalancerArn"), ResourceKind::LoadBalancer);
    // Optional in the model for gateway load balancers; an application load balancer's listener
    // needs both.
    const auto given_protocol = in.optional_string("Protocol");
    const auto given_port = in.optional_int("Port");
    if (!given_protocol || !given_port) {
        throw errors::validation(
            "A listener protocol and port must be specified for application "
            "load balancers");
    }
    const std::string protocol = *given_protocol;
    validate_listener_protocol(protocol);
    const std::int64_t port = *given_port;
    validate_port(port);
    const Json actions = normalize_actions(in.required_array("DefaultActions"), protocol);
    const Tags tags = tag_list(in.optional_array("Tags"));
    Json listener = {{"LoadBalancerArn", lb.arn}, {"Port", port}, {"Protocol", protocol}};
    apply_tls_settings(listener, in, /*creating=*/true);
    if (in.has("AlpnPolicy")) {
        listener["AlpnPolicy"] = in.string_list("AlpnPolicy");
    }
    check_forward_targets(ctx.scope, actions, lb.arn);
    const auto existing = store_.list(ctx.scope, ResourceKind::Listener, lb.arn);
    for (const auto& other : existing) {
        if (other.sort_key != port) {
            continue;
        }
        // The same listener asked for again is answered as it is, as on AWS (CreateListener is
        // idempotent); different settings on its port are a duplicate.
        const auto same = [&](const char* member, const Json& wanted) {
            return other.document.value(member, Json()) == wanted;
        };
        if (same("Protocol", listener["Protocol"]) && same("DefaultActions", actions) &&
            same("SslPolicy", listener.value("SslPolicy", Json())) &&
            same("Certificates", listener.value("Certificates", Json())) &&
            same("AlpnPolicy", listener.value("AlpnPolicy", Json()))) {
            return {{"Listeners", Json::array({describe(ctx.scope, other, 0)})}};
        }
        throw AwsError(
            errors::DuplicateListener,
            "A listener already exists on this port for this load balancer '" + lb.arn + "'");
    }
    if (existing.size() >= static_cast<std::size_t>(kMaxListenersPerLoadBalancer)) {
        throw AwsError(errors::TooManyListeners,
                       "You've reached the limit on the number of listeners per load balancer");
    }
    const std::string arn = listener_arn(lb.arn, new_hex_id());
    listener["ListenerArn"] = arn;
    listener["DefaultActions"] = actions;
    store_.put(ctx.scope, Resource{ResourceKind::Listener, arn, "", lb.arn, port, listener});
    const std::string default_rule = rule_arn(arn, new_hex_id());
    store_.put(ctx.scope, Resource{ResourceKind::Rule,
                                   default_rule,
                                   "",
                                   arn,
                                   kDefaultRuleSortKey,
                                   {{"RuleArn", default_rule},
                                    {"Priority", "default"},
                                    {"Conditions", Json::array()},
                                    {"Actions", actions},
                                    {"IsDefault", true}}});
    store_tags(ctx.scope, arn, tags);
    const auto stored = store_.find(ctx.scope, arn);
    return {{"Listeners", Json::array({describe(ctx.scope, *stored, 0)})}};
}

Json Elbv2Service::modify_listener(const RequestContext& ctx, const Params& in) {
    Resource listener =
        require(ctx.scope, in.required_string("ListenerArn"), ResourceKind::Listener);
    Json& doc = listener.document;
    if (const auto protocol = in.optional_string("Protocol")) {
        validate_listener_protocol(*protocol);
        doc["Protocol"] = *protocol;
    }
    if (const auto port = in.optional_int("Port")) {
        validate_port(*port);
        for (const auto& other : store_.list(ctx.scope, ResourceKind::Listener, listener.parent)) {
            if (other.arn != listener.arn && other.sort_key == *port) {
                throw AwsError(errors::DuplicateListener,
                               "A listener already exists on this port for this load balancer "
                               "'" +
                                   listener.parent + "'");
            }
        }
        doc["Port"] = *port;
        listener.sort_key = *port;
    }
    apply_tls_settings(doc, in, /*creating=*/false);
    if (in.has("AlpnPolicy")) {
        doc["AlpnPolicy"] = in.string_list("AlpnPolicy");
    }
    const std::string protocol = doc.at("Protocol");
    if (in.has("DefaultActions")) {
        doc["DefaultActions"] = normalize_actions(in.required_array("DefaultActions"), protocol);
        check_forward_targets(ctx.scope, doc.at("DefaultActions"), listener.parent);
        for (auto rule : store_.list(ctx.scope, ResourceKind::Rule, listener.arn)) {
            if (rule.document.value("IsDefault", false)) {
                rule.document["Actions"] = doc.at("DefaultActions");
                store_.put(ctx.scope, rule);
            }
        }
    }
    store_.put(ctx.scope, listener);
    return {{"Listeners", Json::array({describe(ctx.scope, listener, 0)})}};
}

Json Elbv2Service::describe_listeners(const RequestContext& ctx, const Params& in) {
    const auto lb_arn = in.optional_string("LoadBalancerArn");
    const auto arns = in.string_list("ListenerArns");
    if (!lb_arn && arns.empty()) {
        throw errors::validation("You must specify either listener ARNs or a load balancer ARN");
    }
    if (lb_arn && !arns.empty()) {
        throw errors::validation(
            "Listener ARNs and a load balancer ARN cannot be specified at "
            "the same time");
    }
    std::vector<Resource> found;
    if (lb_arn) {
        require(ctx.scope, *lb_arn, ResourceKind::LoadBalancer);
        found = store_.list(ctx.scope, ResourceKind::Listener, *lb_arn);
    } else {
        for (const auto& arn : arns) {
            auto listener = parse_arn(arn) ? store_.find(ctx.scope, arn) : std::nullopt;
            if (!listener || listener->kind != ResourceKind::Listener) {
                throw AwsError(errors::ListenerNotFound, "One or more listeners not found");
            }
            found.push_back(std::move(*listener));
        }
    }
    return page_of(found, in, "Listeners",
                   [&](const Resource& listener) { return describe(ctx.scope, listener, 0); });
}

Json Elbv2Service::delete_listener(const RequestContext& ctx, const Params& in) {
    const Resource listener =
        require(ctx.scope, in.required_string("ListenerArn"), ResourceKind::Listener);
    for (const auto& rule : store_.list(ctx.scope, ResourceKind::Rule, listener.arn)) {
        store_.erase(ctx.scope, rule.arn);
    }
    store_.erase(ctx.scope, listener.arn);
    return Json::object();
}

Json Elbv2Service::describe_listener_certificates(const RequestContext& ctx, const Params& in) {
    const Resource listener =
        require(ctx.scope, in.required_string("ListenerArn"), ResourceKind::Listener);
    Json list = Json::array();
    if (listener.document.contains("Certificates")) {
        for (const auto& cert : listener.document.at("Certificates")) {
            list.push_back({{"CertificateArn", cert.at("CertificateArn")}, {"IsDefault", true}});
        }
        for (const auto& arn : listener.document.at("_ExtraCertificates")) {
            list.push_back({{"CertificateArn", arn}, {"IsDefault", false}});
        }
    }
    return {{"Certificates", list}};
}

Json Elbv2Service::add_listener_certificates(const RequestContext& ctx, const Params& in) {
    Resource listener =
        require(ctx.scope, in.required_string("ListenerArn"), ResourceKind::Listener);
    if (listener.document.at("Protocol") != "HTTPS") {
        throw AwsError(errors::InvalidConfigurationRequest,
                       "Certificates can be added only to HTTPS listeners");
    }
    const auto arns = certificate_arns(&in.required_array("Certificates"));
    Json& extra = listener.document["_ExtraCertificates"];
    for (const auto& arn : arns) {
        if (std::find(extra.begin(), extra.end(), Json(arn)) == extra.end()) {
            extra.push_back(arn);
        }
    }
    if (extra.size() + 1 > static_cast<std::size_t>(kMaxCertificatesPerListener)) {
        throw AwsError(errors::TooManyCertificates,
                       "You've reached the limit on the number of certificates per listener");
    }
    store_.put(ctx.scope, listener);
    Json list = Json::array();
    for (const auto& arn : arns) {
        list.push_back({{"CertificateArn", arn}, {"IsDefault", false}});
    }
    return {{"Certificates", list}};
}

Json Elbv2Service::remove_listener_certificates(const RequestContext& ctx, const Params& in) {
    Resource listener =
        require(ctx.scope, in.required_string("ListenerArn"), ResourceKind::Listener);
    const auto arns = certificate_arns(&in.required_array("Certificates"));
    Json& extra = listener.document["_ExtraCertificates"];
    for (const auto& arn : arns) {
        if (listener.document.contains("Certificates") &&
            listener.document.at("Certificates").at(0).at("CertificateArn") == arn) {
            throw AwsError(errors::OperationNotPermitted,
                           "The default certificate of a listener cannot be removed");
        }
        const auto it = std::find(extra.begin(), extra.end(), Json(arn));
        if (it != extra.end()) {
            extra.erase(it);
        }
    }
    store_.put(ctx.scope, listener);
    return Json::object();
}

}  // namespace awsemu::elbv2
