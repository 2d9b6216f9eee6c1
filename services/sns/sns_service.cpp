#include "services/sns/sns_service.hpp"

#include "emulator/protocol/page_token.hpp"
#include "services/sns/sns_envelope.hpp"
#include "services/sns/sns_errors.hpp"
#include "services/sns/sns_input.hpp"
#include "services/sns/sns_spec.hpp"
#include "services/sns/sns_unsupported.hpp"

namespace awsemu::sns {
SnsService::SnsService(ServiceEnvironment& environment)
    : db_(environment.database),
      store_(environment.database),
      sqs_(sqs::sqs_api(environment)),
      signer_(environment.database, store_),
      http_(environment.database, store_, environment.clock, environment.scheduler,
            environment.http_client, sqs_) {}

Topic SnsService::require_topic(const std::string& arn, const std::string& parameter) {
    const auto parsed = parse_sns_arn(arn);
    if (!parsed || !parsed->subscription_id.empty()) {
        throw errors::invalid_parameter(parameter);
    }
    auto topic = store_.find_topic(parsed->account_id, parsed->region, parsed->topic_name);
    if (!topic) {
        throw AwsError(errors::NotFound, "Topic does not exist");
    }
    return std::move(*topic);
}

bool SnsService::topic_exists(const std::string& topic_arn) {
    const auto parsed = parse_sns_arn(topic_arn);
    return parsed && parsed->subscription_id.empty() &&
           store_.find_topic(parsed->account_id, parsed->region, parsed->topic_name).has_value();
}

nlohmann::json SnsService::create_topic(const RequestContext& ctx, const Params& in) {
    const std::string name = in.required_string("Name");
    AttributeMap given = in.string_map("Attributes");
    if (const auto policy = in.optional_string("DataProtectionPolicy")) {
        given["DataProtectionPolicy"] = *policy;
    }
    const bool fifo = given.contains("FifoTopic") && given.at("FifoTopic") == "true";
    validate_topic_name(name, fifo || is_fifo_name(name));
    if (is_fifo_name(name) && !fifo) {
        throw errors::invalid_parameter("Topic Name");
    }
    const AttributeMap attributes = validate_topic_attributes(given, fifo, /*creating=*/true);
    const Tags tags = tag_list(in, "Tags");
    if (tags.size() > kMaxTags) {
        throw AwsError(errors::TagLimitExceeded,
                       "Could not complete request: tag quota of per resource exceeded");
    }
    if (auto existing = store_.find_topic(ctx.scope.account_id, ctx.scope.region, name)) {
        for (const auto& [attribute, value] : attributes) {
            const auto it = existing->attributes.find(attribute);
            const bool same =
                it != existing->attributes.end()
                    ? it->second == value
                    : (attribute == "FifoTopic" || attribute == "ContentBasedDeduplication") &&
                          value == "false";
            if (!same) {
                throw errors::invalid_parameter(
                    "Attributes Reason: Topic already exists with different attributes");
            }
        }
        for (const auto& tag : tags) {
            if (std::find(existing->tags.begin(), existing->tags.end(), tag) ==
                existing->tags.end()) {
                throw errors::invalid_parameter(
                    "Tags Reason: Topic already exists with different tags");
            }
        }
        return {{"TopicArn", existing->arn()}};
    }
    Topic topic{ctx.scope.account_id, ctx.scope.region, name, {}, tags, request_ms(ctx)};
    for (const auto& [attribute, value] : attributes) {
        if (!value.empty()) {
            topic.attributes[attribute] = value;
        }
    }
    store_.insert_topic(topic);
    return {{"TopicArn", topic.arn()}};
}

nlohmann::json SnsService::delete_topic(const RequestContext&, const Params& in) {
    const std::string arn = in.required_string("TopicArn");
    const auto parsed = parse_sns_arn(arn);
    if (!parsed || !parsed->subscription_id.empty()) {
        throw errors::invalid_parameter("TopicArn");
    }
    // Deleting a topic that is not there succeeds, as on AWS.
    if (const auto topic =
            store_.find_topic(parsed->account_id, parsed->region, parsed->topic_name)) {
        store_.delete_topic(*topic);
    }
    return nlohmann::json::object();
}

nlohmann::json SnsService::list_topics(const RequestContext& ctx, const Params& in) {
    const std::string after = decode_next_token(in.optional_string("NextToken"));
    auto names = store_.topic_names(ctx.scope, after, kListPageSize + 1);
    nlohmann::json result = {{"Topics", nlohmann::json::array()}};
    if (names.size() > static_cast<std::size_t>(kListPageSize)) {
        names.resize(kListPageSize);
        result["NextToken"] = encode_key_token(names.back());
    }
    for (const auto& name : names) {
        result["Topics"].push_back(
            {{"TopicArn", topic_arn(ctx.scope.region, ctx.scope.account_id, name)}});
    }
    return result;
}

nlohmann::json SnsService::get_topic_attributes(const RequestContext&, const Params& in) {
    const Topic topic = require_topic(in.required_string("TopicArn"));
    const SubscriptionCounts counts = store_.subscription_counts(topic);
    AttributeMap values = {
        {"TopicArn", topic.arn()},
        {"Owner", topic.account_id},
        {"Policy", default_topic_policy(topic.arn(), topic.account_id)},
        {"DisplayName", ""},
        {"SubscriptionsConfirmed", std::to_string(counts.confirmed)},
        {"SubscriptionsPending", std::to_string(counts.pending)},
        {"SubscriptionsDeleted", "0"},
        {"EffectiveDeliveryPolicy", effective_delivery_policy(topic.attributes)},
    };
    if (topic.fifo()) {
        values["ContentBasedDeduplication"] = "false";
    }
    for (const auto& [name, value] : topic.attributes) {
        if (name != "DataProtectionPolicy") {
            values[name] = value;
        }
    }
    return {{"Attributes", values}};
}

nlohmann::json SnsService::set_topic_attributes(const RequestContext&, const Params& in) {
    Topic topic = require_topic(in.required_string("TopicArn"));
    const std::string name = in.required_string("AttributeName");
    const std::string value = in.optional_string("AttributeValue").value_or("");
    if (name == "DataProtectionPolicy" || !is_topic_attribute(name)) {
        throw errors::invalid_parameter("AttributeName");
    }
    validate_topic_attributes({{name, value}}, topic.fifo(), /*creating=*/false);
    if (value.empty() && name != "DisplayName") {
        topic.attributes.erase(name);
    } else {
        topic.attributes[name] = value;
    }
    store_.update_topic(topic);
    return nlohmann::json::object();
}

nlohmann::json SnsService::get_data_protection_policy(const RequestContext&, const Params& in) {
    const Topic topic = require_topic(in.required_string("ResourceArn"), "ResourceArn");
    const auto it = topic.attributes.find("DataProtectionPolicy");
    if (it == topic.attributes.end()) {
        return nlohmann::json::object();
    }
    return {{"DataProtectionPolicy", it->second}};
}

nlohmann::json SnsService::put_data_protection_policy(const RequestContext&, const Params& in) {
    Topic topic = require_topic(in.required_string("ResourceArn"), "ResourceArn");
    const std::string policy = in.required_string("DataProtectionPolicy");
    validate_topic_attributes({{"DataProtectionPolicy", policy}}, topic.fifo(), false);
    topic.attributes["DataProtectionPolicy"] = policy;
    store_.update_topic(topic);
    return nlohmann::json::object();
}

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment) {
    auto service = std::make_shared<SnsService>(environment);
    // Stored as the interface, so that readers cast back to exactly that type.
    environment.apis["sns"] = std::shared_ptr<SnsApi>(service);
    ServiceDefinition definition;
    definition.name = "sns";
    definition.signing_name = "sns";
    definition.protocol = Protocol::Query;
    definition.query_version = std::string(kQueryVersion);
    definition.xml_namespace = "http://sns.amazonaws.com/doc/2010-03-31/";
    definition.param_errors = ParamErrors{errors::ValidationError, errors::InvalidParameter};
    using S = SnsService;
    const std::pair<const char*, nlohmann::json (S::*)(const RequestContext&, const Params&)>
        operations[] = {
            {"AddPermission", &S::add_permission},
            {"ConfirmSubscription", &S::confirm_subscription},
            {"CreateTopic", &S::create_topic},
            {"DeleteTopic", &S::delete_topic},
            {"GetDataProtectionPolicy", &S::get_data_protection_policy},
            {"GetSubscriptionAttributes", &S::get_subscription_attributes},
            {"GetTopicAttributes", &S::get_topic_attributes},
            {"ListSubscriptions", &S::list_subscriptions},
            {"ListSubscriptionsByTopic", &S::list_subscriptions_by_topic},
            {"ListTagsForResource", &S::list_tags_for_resource},
            {"ListTopics", &S::list_topics},
            {"Publish", &S::publish},
            {"PublishBatch", &S::publish_batch},
            {"PutDataProtectionPolicy", &S::put_data_protection_policy},
            {"RemovePermission", &S::remove_permission},
            {"SetSubscriptionAttributes", &S::set_subscription_attributes},
            {"SetTopicAttributes", &S::set_topic_attributes},
            {"Subscribe", &S::subscribe},
            {"TagResource", &S::tag_resource},
            {"UntagResource", &S::untag_resource},
            {"Unsubscribe", &S::unsubscribe},
        };
    for (const auto& [name, method] : operations) {
        definition.operations.emplace(
            name, Operation{bind_operation(service, method), query_input_shape(name),
                            query_output_shape(name)});
    }
    // The SubscribeURL and UnsubscribeURL in messages work without a signature, as on AWS.
    definition.operations.at("ConfirmSubscription").allows_unsigned = true;
    definition.operations.at("Unsubscribe").allows_unsigned = true;
    add_unsupported_operations(definition);
    definition.public_documents = [service](std::string_view path) -> std::optional<HttpResponse> {
        if (path != service->signer().certificate_name()) {
            return std::nullopt;
        }
        HttpResponse response;
        response.headers.add("Content-Type", "application/x-x509-ca-cert");
        response.body = service->signer().certificate_pem();
        return response;
    };
    registry.add(std::move(definition));
    service->resume_deliveries();
}

}  // namespace awsemu::sns
