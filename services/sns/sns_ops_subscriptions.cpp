#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/page_token.hpp"
#include "services/sns/delivery_policy.hpp"
#include "services/sns/filter_policy.hpp"
#include "services/sns/sns_envelope.hpp"
#include "services/sns/sns_errors.hpp"
#include "services/sns/sns_input.hpp"
#include "services/sns/sns_service.hpp"

// Subscribe, ConfirmSubscription, Unsubscribe, the subscription lists and attributes.
namespace awsemu::sns {
namespace {

constexpr const char* kPendingConfirmation = "pending confirmation";

bool is_empty_json_object(const std::string& text) {
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    return parsed.is_object() && parsed.empty();
}

bool needs_confirmation(const std::string& protocol) {
    return protocol == "http" || protocol == "https" || protocol == "email" ||
           protocol == "email-json";
}

FilterPolicyScope scope_of(const AttributeMap& attributes) {
    const auto it = attributes.find("FilterPolicyScope");
    return it != attributes.end() && it->second == "MessageBody"
               ? FilterPolicyScope::MessageBody
               : FilterPolicyScope::MessageAttributes;
}

// Checks attributes to set on a subscription of `protocol` whose attributes are `current`;
// answers the attributes it will have. `error_prefix`: what AWS puts before a refused filter
// policy's reason ("Attributes Reason: " in Subscribe).
AttributeMap apply_attributes(AttributeMap current, const AttributeMap& changes,
                              const std::string& protocol, std::string_view error_prefix) {
    for (const auto& [name, value] : changes) {
        const std::string kept = validate_subscription_attribute(name, value, protocol);
        if (kept.empty() && name != "FilterPolicy") {
            current.erase(name);
        } else {
            current[name] = kept;
        }
    }
    const auto policy = current.find("FilterPolicy");
    // "" or "{}" removes the policy (AWS's documented way; Terraform sends "{}").
    if (policy != current.end() &&
        (policy->second.empty() || is_empty_json_object(policy->second))) {
        current.erase(policy);
    } else if (policy != current.end()) {
        FilterPolicy::parse(policy->second, scope_of(current), error_prefix);
    }
    return current;
}

// The account of arn:aws:sqs:REGION:ACCOUNT:NAME.
std::string queue_account(const std::string& queue_arn) {
    const auto end = queue_arn.rfind(':');
    const auto start = queue_arn.rfind(':', end - 1);
    return queue_arn.substr(start + 1, end - start - 1);
}

// A subscription's dead-letter queue is a queue of its own account and region, FIFO exactly
// when the topic is.
void check_dead_letter_queue(const Topic& topic, const AttributeMap& attributes) {
    const Subscription probe{{}, {}, {}, {}, {}, {}, {}, attributes, false, {}};
    const auto queue = probe.dead_letter_queue_arn();
    if (!queue) {
        return;
    }
    if (!queue->starts_with("arn:aws:sqs:" + topic.region + ":" + topic.account_id + ":")) {
        throw errors::invalid_parameter(
            "RedrivePolicy: deadLetterTargetArn must be a queue in the same account and region "
            "as the subscription");
    }
    if (queue->ends_with(".fifo") != topic.fifo()) {
        throw errors::invalid_parameter(
            topic.fifo() ? "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO topic"
                         : "RedrivePolicy: must use a standard queue as DLQ for a standard topic");
    }
}

nlohmann::json listed(const Subscription& subscription) {
    return {{"SubscriptionArn", subscription.confirmed ? subscription.arn : "PendingConfirmation"},
            {"Owner", subscription.owner},
            {"Protocol", subscription.protocol},
            {"Endpoint", subscription.endpoint},
            {"TopicArn", subscription.topic_arn}};
}

}  // namespace

Subscription SnsService::require_subscription(const std::string& arn) {
    const auto parsed = parse_sns_arn(arn);
    if (!parsed || parsed->subscription_id.empty()) {
        throw errors::invalid_parameter("SubscriptionArn");
    }
    auto subscription = store_.find_subscription(parsed->account_id, parsed->region, arn);
    if (!subscription) {
        throw AwsError(errors::NotFound, "Subscription does not exist");
    }
    return std::move(*subscription);
}

nlohmann::json SnsService::subscribe(const RequestContext& ctx, const Params& in) {
    const Topic topic = require_topic(in.required_string("TopicArn"));
    const std::string protocol = in.required_string("Protocol");
    if (!is_known_protocol(protocol)) {
        throw errors::invalid_parameter("Amazon SNS does not support this protocol string: " +
                                        protocol);
    }
    if (topic.fifo() && protocol != "sqs") {
        throw errors::invalid_parameter("Invalid protocol type: " + protocol +
                                        " Reason: FIFO topics deliver only to Amazon SQS queues");
    }
    const std::string endpoint = in.optional_string("Endpoint").value_or("");
    validate_endpoint(protocol, endpoint);
    if (protocol == "sqs" && endpoint.ends_with(".fifo") && !topic.fifo()) {
        throw errors::invalid_parameter(
            "Endpoint Reason: FIFO SQS Queues can not be subscribed to "
            "standard SNS topics");
    }
    const AttributeMap given = in.string_map("Attributes");
    const AttributeMap attributes = apply_attributes({}, given, protocol, "Attributes Reason: ");
    check_dead_letter_queue(topic, attributes);
    const bool return_arn = in.optional_bool("ReturnSubscriptionArn").value_or(false);
    if (const auto existing = store_.find_subscription(topic, protocol, endpoint)) {
        for (const auto& [name, value] : attributes) {
            const auto it = existing->attributes.find(name);
            if (it == existing->attributes.end() || it->second != value) {
                throw errors::invalid_parameter(
                    "Attributes Reason: Subscription already exists with different attributes");
            }
        }
        return {{"SubscriptionArn",
                 existing->confirmed || return_arn ? existing->arn : kPendingConfirmation}};
    }
    // A queue of another account confirms like an HTTP endpoint: the request arrives in it.
    const bool foreign_queue = protocol == "sqs" && queue_account(endpoint) != topic.account_id;
    Subscription subscription{topic.account_id,
                              topic.region,
                              topic.arn() + ":" + auth::fast_uuid_v4(),
                              topic.arn(),
                              protocol,
                              endpoint,
                              ctx.scope.account_id,
                              attributes,
                              !needs_confirmation(protocol) && !foreign_queue,
                              ""};
    if (!subscription.confirmed) {
        subscription.token = auth::hex_encode(auth::random_bytes(64));
    }
    store_.insert_subscription(subscription);
    if (foreign_queue) {
        // Without such a queue the subscription stays pending, as on AWS.
        try_deliver(ctx, sqs::Delivery{endpoint, confirmation_envelope(
                                                     auth::fast_uuid_v4(), subscription, topic,
                                                     ctx.now(), signer_, ctx.endpoint)});
    }
    if (protocol == "http" || protocol == "https") {
        PendingDelivery confirmation;
        confirmation.account_id = topic.account_id;
        confirmation.region = topic.region;
        confirmation.subscription_arn = subscription.arn;
        confirmation.endpoint = endpoint;
        confirmation.message_type = "SubscriptionConfirmation";
        confirmation.message_id = auth::fast_uuid_v4();
        confirmation.topic_arn = topic.arn();
        confirmation.body = confirmation_envelope(confirmation.message_id, subscription, topic,
                                                  ctx.now(), signer_, ctx.endpoint);
        confirmation.due_ms = request_ms(ctx);
        confirmation.expires_ms = confirmation.due_ms + retry_window_ms(RetryPolicy{});
        store_.enqueue_delivery(confirmation);
        http_.wake();
    }
    return {{"SubscriptionArn",
             subscription.confirmed || return_arn ? subscription.arn : kPendingConfirmation}};
}

nlohmann::json SnsService::confirm_subscription(const RequestContext& ctx, const Params& in) {
    const Topic topic = require_topic(in.required_string("TopicArn"));
    const std::string token = in.required_string("Token");
    auto subscription = store_.find_pending_by_token(topic, token);
    if (!subscription) {
        throw errors::invalid_parameter("Token");
    }
    if (!subscription->confirmed) {
        subscription->confirmed = true;
        // Only a signed confirmation can ask that unsubscribing be signed too.
        if (in.optional_string("AuthenticateOnUnsubscribe").value_or("false") == "true" &&
            !ctx.access_key_id.empty()) {
            subscription->attributes["ConfirmationWasAuthenticated"] = "true";
        }
        store_.update_subscription(*subscription);
    }
    return {{"SubscriptionArn", subscription->arn}};
}

nlohmann::json SnsService::unsubscribe(const RequestContext& ctx, const Params& in) {
    const std::string arn = in.required_string("SubscriptionArn");
    const auto parsed = parse_sns_arn(arn);
    if (!parsed || parsed->subscription_id.empty()) {
        throw errors::invalid_parameter("SubscriptionArn");
    }
    // Unsubscribing what is gone already succeeds, as on AWS.
    if (!store_.find_subscription(parsed->account_id, parsed->region, arn)) {
        return nlohmann::json::object();
    }
    const Subscription subscription = require_subscription(arn);
    const auto authenticated = subscription.attributes.find("ConfirmationWasAuthenticated");
    if (ctx.access_key_id.empty() && authenticated != subscription.attributes.end() &&
        authenticated->second == "true") {
        throw AwsError(errors::AuthorizationError,
                       "Unsubscribing from this subscription requires an AWS signature");
    }
    store_.delete_subscription(subscription);
    return nlohmann::json::object();
}

nlohmann::json SnsService::list_subscriptions_of(const RequestContext& ctx,
                                                 const std::string* topic_arn, const Params& in) {
    const std::string after = decode_next_token(in.optional_string("NextToken"));
    auto page = store_.subscriptions(ctx.scope, topic_arn, after, kListPageSize + 1);
    nlohmann::json result = {{"Subscriptions", nlohmann::json::array()}};
    if (page.size() > static_cast<std::size_t>(kListPageSize)) {
        page.resize(kListPageSize);
        result["NextToken"] = encode_key_token(page.back().arn);
    }
    for (const auto& subscription : page) {
        result["Subscriptions"].push_back(listed(subscription));
    }
    return result;
}

nlohmann::json SnsService::list_subscriptions(const RequestContext& ctx, const Params& in) {
    return list_subscriptions_of(ctx, nullptr, in);
}

nlohmann::json SnsService::list_subscriptions_by_topic(const RequestContext& ctx,
                                                       const Params& in) {
    const Topic topic = require_topic(in.required_string("TopicArn"));
    const std::string arn = topic.arn();
    const RequestContext topic_ctx{Scope{topic.account_id, topic.region},
                                   ctx.request_id,
                                   ctx.access_key_id,
                                   ctx.caller_arn,
                                   ctx.endpoint,
                                   ctx.clock};
    return list_subscriptions_of(topic_ctx, &arn, in);
}

nlohmann::json SnsService::get_subscription_attributes(const RequestContext&, const Params& in) {
    const Subscription subscription = require_subscription(in.required_string("SubscriptionArn"));
    AttributeMap values = {
        {"SubscriptionArn", subscription.arn},
        {"TopicArn", subscription.topic_arn},
        {"Owner", subscription.owner},
        {"Protocol", subscription.protocol},
        {"Endpoint", subscription.endpoint},
        {"PendingConfirmation", subscription.confirmed ? "false" : "true"},
        {"ConfirmationWasAuthenticated",
         needs_confirmation(subscription.protocol) ? "false" : "true"},
        {"RawMessageDelivery", "false"},
        {"SubscriptionPrincipal", "arn:aws:iam::" + subscription.owner + ":root"},
    };
    if (subscription.protocol == "http" || subscription.protocol == "https") {
        const auto parsed = parse_sns_arn(subscription.topic_arn);
        const auto topic =
            store_.find_topic(parsed->account_id, parsed->region, parsed->topic_name);
        AttributeMap policy_source = topic ? topic->attributes : AttributeMap{};
        if (subscription.attributes.contains("DeliveryPolicy")) {
            policy_source["DeliveryPolicy"] =
                nlohmann::json{
                    {"http",
                     {{"defaultHealthyRetryPolicy",
                       nlohmann::json::parse(subscription.attributes.at("DeliveryPolicy"))
                           .value("healthyRetryPolicy", nlohmann::json::object())}}}}
                    .dump();
        }
        values["EffectiveDeliveryPolicy"] = effective_delivery_policy(policy_source);
    }
    if (subscription.attributes.contains("FilterPolicy")) {
        values["FilterPolicyScope"] = "MessageAttributes";
    }
    for (const auto& [name, value] : subscription.attributes) {
        values[name] = value;
    }
    return {{"Attributes", values}};
}

nlohmann::json SnsService::set_subscription_attributes(const RequestContext&, const Params& in) {
    Subscription subscription = require_subscription(in.required_string("SubscriptionArn"));
    const std::string name = in.required_string("AttributeName");
    const std::string value = in.optional_string("AttributeValue").value_or("");
    subscription.attributes =
        apply_attributes(subscription.attributes, {{name, value}}, subscription.protocol, "");
    check_dead_letter_queue(require_topic(subscription.topic_arn), subscription.attributes);
    store_.update_subscription(subscription);
    return nlohmann::json::object();
}

}  // namespace awsemu::sns
