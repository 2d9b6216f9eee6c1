#include <algorithm>
#include <array>

#include "emulator/auth/credentials.hpp"
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

// The actions AddPermission grants; each batch action comes with its single form.
bool is_grantable_action(std::string_view action) {
    static constexpr std::array<std::string_view, 10> kActions = {"*",
                                                                  "SendMessage",
                                                                  "ReceiveMessage",
                                                                  "DeleteMessage",
                                                                  "ChangeMessageVisibility",
                                                                  "GetQueueAttributes",
                                                                  "GetQueueUrl",
                                                                  "ListDeadLetterSourceQueues",
                                                                  "PurgeQueue",
                                                                  "ListQueueTags"};
    return std::find(kActions.begin(), kActions.end(), action) != kActions.end();
}

void validate_grant(const std::vector<std::string>& accounts,
                    const std::vector<std::string>& actions) {
    for (const auto& account : accounts) {
        if (!is_account_id(account)) {
            throw AwsError(errors::InvalidParameterValue,
                           "Value " + account +
                               " for parameter PrincipalId is invalid. Reason: Unable to verify "
                               "principal.");
        }
    }
    for (const auto& action : actions) {
        if (!is_grantable_action(action)) {
            throw AwsError(errors::InvalidParameterValue,
                           "Value SQS:" + action +
                               " for parameter ActionName is invalid. Reason: Please refer to the "
                               "appropriate WSDL for a list of valid actions.");
        }
    }
}

// A policy's statements as a list: IAM JSON may give a single statement as an object.
nlohmann::json& statements_of(nlohmann::json& policy) {
    nlohmann::json& statements = policy["Statement"];
    if (statements.is_null()) {
        statements = nlohmann::json::array();
    } else if (!statements.is_array()) {
        statements = nlohmann::json::array({std::move(statements)});
    }
    return statements;
}

bool has_label(const nlohmann::json& statement, const std::string& label) {
    return statement.is_object() && statement.value("Sid", nlohmann::json()) == label;
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
    validate_grant(accounts, actions);
    AttributeMap attributes = queue.attributes();
    nlohmann::json policy = {{"Version", "2008-10-17"},
                             {"Id", queue.arn() + "/SQSDefaultPolicy"},
                             {"Statement", nlohmann::json::array()}};
    if (const auto it = attributes.find("Policy"); it != attributes.end()) {
        policy = nlohmann::json::parse(it->second, nullptr, false);
    }
    nlohmann::json& statements = statements_of(policy);
    if (std::any_of(statements.begin(), statements.end(),
                    [&](const nlohmann::json& statement) { return has_label(statement, label); })) {
        invalid_label(label, "Already exists.");
    }
    nlohmann::json principals = nlohmann::json::array();
    for (const auto& account : accounts) {
        principals.push_back("arn:aws:iam::" + account + ":root");
    }
    nlohmann::json statement_actions = nlohmann::json::array();
    for (const auto& action : actions) {
        statement_actions.push_back("SQS:" + action);
    }
    statements.push_back(
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
    nlohmann::json& statements = statements_of(policy);
    const auto before = statements.size();
    statements.erase(std::remove_if(statements.begin(), statements.end(),
                                    [&](const nlohmann::json& statement) {
                                        return has_label(statement, label);
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
