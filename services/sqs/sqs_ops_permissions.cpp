#include "services/sqs/sqs_errors.hpp"
#include "services/sqs/sqs_input.hpp"
#include "services/sqs/sqs_service.hpp"

// AddPermission / RemovePermission: statements labelled by Sid in the queue's Policy attribute,
// which GetQueueAttributes then shows as AWS writes it.
namespace awsemu::sqs {
namespace {

[[noreturn]] void invalid_label(const std::string& label, std::string_view reason) {
    throw AwsError(
        errors::InvalidParameterValue,
        "Value " + label + " for parameter Label is invalid. Reason: " + std::string(reason));
}

}  // namespace

nlohmann::json SqsService::add_permission(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    const std::string label = in.required_string("Label");
    const auto accounts = in.string_list("AWSAccountIds");
    const auto actions = in.string_list("Actions");
    if (accounts.empty()) {
        throw AwsError(errors::MissingParameter,
                       "The request must contain the parameter AWSAccountIds.");
    }
    if (actions.empty()) {
        throw AwsError(errors::MissingParameter, "The request must contain the parameter Actions.");
    }
    if (label.empty() || label.size() > 80 ||
        label.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
            std::string::npos) {
        invalid_label(label,
                      "Can only include alphanumeric characters, hyphens, or underscores. "
                      "1 to 80 in length");
    }
    AttributeMap attributes = queue.attributes();
    nlohmann::json policy = {{"Version", "2008-10-17"},
                             {"Id", queue.arn() + "/SQSDefaultPolicy"},
                             {"Statement", nlohmann::json::array()}};
    if (const auto it = attributes.find("Policy"); it != attributes.end()) {
        policy = nlohmann::json::parse(it->second, nullptr, false);
    }
    for (const auto& statement : policy["Statement"]) {
        if (statement.value("Sid", "") == label) {
            invalid_label(label, "Already exists.");
        }
    }
    nlohmann::json principals = nlohmann::json::array();
    for (const auto& account : accounts) {
        principals.push_back("arn:aws:iam::" + account + ":root");
    }
    nlohmann::json statement_actions = nlohmann::json::array();
    for (const auto& action : actions) {
        statement_actions.push_back("SQS:" + action);
    }
    policy["Statement"].push_back(
        {{"Sid", label},
         {"Effect", "Allow"},
         {"Principal", {{"AWS", principals.size() == 1 ? principals[0] : principals}}},
         {"Action", statement_actions.size() == 1 ? statement_actions[0] : statement_actions},
         {"Resource", queue.arn()}});
    attributes["Policy"] = policy.dump();
    store_.update_attributes(queue.id, attributes, request_ms(ctx));
    return nlohmann::json::object();
}

nlohmann::json SqsService::remove_permission(const RequestContext& ctx, const Params& in) {
    const Queue queue = require_queue(ctx, in);
    const std::string label = in.required_string("Label");
    AttributeMap attributes = queue.attributes();
    const auto it = attributes.find("Policy");
    nlohmann::json policy = it == attributes.end()
                                ? nlohmann::json()
                                : nlohmann::json::parse(it->second, nullptr, false);
    if (!policy.is_object() || !policy.contains("Statement")) {
        invalid_label(label, "can't find label.");
    }
    auto& statements = policy["Statement"];
    const auto before = statements.size();
    statements.erase(std::remove_if(statements.begin(), statements.end(),
                                    [&](const nlohmann::json& statement) {
                                        return statement.value("Sid", "") == label;
                                    }),
                     statements.end());
    if (statements.size() == before) {
        invalid_label(label, "can't find label.");
    }
    if (statements.empty()) {
        attributes.erase("Policy");
    } else {
        attributes["Policy"] = policy.dump();
    }
    store_.update_attributes(queue.id, attributes, request_ms(ctx));
    return nlohmann::json::object();
}

}  // namespace awsemu::sqs
