#include "services/sns/sns_errors.hpp"
#include "services/sns/sns_input.hpp"
#include "services/sns/sns_service.hpp"

// TagResource, UntagResource, ListTagsForResource, AddPermission, RemovePermission: what is
// kept on a topic beside its attributes.
namespace awsemu::sns {
namespace {

// Tagging answers ResourceNotFound rather than NotFound for a topic that is not there.
template <class Lookup>
auto require_resource(Lookup lookup) {
    try {
        return lookup();
    } catch (const AwsError& error) {
        if (error.spec().code == errors::NotFound.code) {
            throw AwsError(errors::ResourceNotFound, "Resource does not exist");
        }
        throw;
    }
}

nlohmann::ordered_json policy_document(const Topic& topic) {
    const auto it = topic.attributes.find("Policy");
    if (it != topic.attributes.end()) {
        auto policy = nlohmann::ordered_json::parse(it->second, nullptr, false);
        if (policy.is_object()) {
            return policy;
        }
    }
    return nlohmann::ordered_json::parse(default_topic_policy(topic.arn(), topic.account_id));
}

}  // namespace

nlohmann::json SnsService::tag_resource(const RequestContext&, const Params& in) {
    Topic topic = require_resource(
        [&] { return require_topic(in.required_string("ResourceArn"), "ResourceArn"); });
    for (const auto& [key, value] : tag_list(in, "Tags")) {
        set_tag(topic.tags, key, value);
    }
    if (topic.tags.size() > kMaxTags) {
        throw AwsError(errors::TagLimitExceeded,
                       "Could not complete request: tag quota of per resource exceeded");
    }
    store_.update_topic(topic);
    return nlohmann::json::object();
}

nlohmann::json SnsService::untag_resource(const RequestContext&, const Params& in) {
    Topic topic = require_resource(
        [&] { return require_topic(in.required_string("ResourceArn"), "ResourceArn"); });
    for (const auto& key : in.string_list("TagKeys")) {
        std::erase_if(topic.tags, [&](const auto& tag) { return tag.first == key; });
    }
    store_.update_topic(topic);
    return nlohmann::json::object();
}

nlohmann::json SnsService::list_tags_for_resource(const RequestContext&, const Params& in) {
    const Topic topic = require_resource(
        [&] { return require_topic(in.required_string("ResourceArn"), "ResourceArn"); });
    nlohmann::json tags = nlohmann::json::array();
    for (const auto& [key, value] : topic.tags) {
        tags.push_back({{"Key", key}, {"Value", value}});
    }
    return {{"Tags", std::move(tags)}};
}

nlohmann::json SnsService::add_permission(const RequestContext&, const Params& in) {
    Topic topic = require_topic(in.required_string("TopicArn"));
    const std::string label = in.required_string("Label");
    const auto accounts = in.string_list("AWSAccountId");
    const auto actions = in.string_list("ActionName");
    if (accounts.empty() || actions.empty()) {
        throw errors::invalid_parameter(accounts.empty() ? "AWSAccountId" : "ActionName");
    }
    nlohmann::ordered_json policy = policy_document(topic);
    for (const auto& statement : policy["Statement"]) {
        if (statement.value("Sid", "") == label) {
            throw errors::invalid_parameter("Statement already exists");
        }
    }
    nlohmann::ordered_json principals = nlohmann::ordered_json::array();
    for (const auto& account : accounts) {
        principals.push_back(account.starts_with("arn:") ? account
                                                         : "arn:aws:iam::" + account + ":root");
    }
    nlohmann::ordered_json granted = nlohmann::ordered_json::array();
    for (const auto& action : actions) {
        granted.push_back("SNS:" + action);
    }
    policy["Statement"].push_back({{"Sid", label},
                                   {"Effect", "Allow"},
                                   {"Principal", {{"AWS", principals}}},
                                   {"Action", granted},
                                   {"Resource", topic.arn()}});
    topic.attributes["Policy"] = policy.dump();
    store_.update_topic(topic);
    return nlohmann::json::object();
}

nlohmann::json SnsService::remove_permission(const RequestContext&, const Params& in) {
    Topic topic = require_topic(in.required_string("TopicArn"));
    const std::string label = in.required_string("Label");
    nlohmann::ordered_json policy = policy_document(topic);
    auto& statements = policy["Statement"];
    const auto before = statements.size();
    for (auto it = statements.begin(); it != statements.end();) {
        it = it->value("Sid", "") == label ? statements.erase(it) : std::next(it);
    }
    if (statements.size() != before) {
        topic.attributes["Policy"] = policy.dump();
        store_.update_topic(topic);
    }
    return nlohmann::json::object();
}

}  // namespace awsemu::sns
