#include "services/s3/bucket_policy.hpp"

#include <vector>

#include "services/s3/s3_errors.hpp"

namespace awsemu::s3 {
namespace {

[[noreturn]] void malformed(const std::string& reason) {
    throw AwsError(errors::MalformedPolicy, reason);
}

// A policy element that is one value or a list of them, as a list.
std::vector<nlohmann::json> one_or_many(const nlohmann::json& element) {
    if (element.is_array()) {
        return {element.begin(), element.end()};
    }
    return {element};
}

std::vector<nlohmann::json> statements_of(const nlohmann::json& policy) {
    if (!policy.contains("Statement")) {
        malformed("Missing required field Statement");
    }
    return one_or_many(policy["Statement"]);
}

bool is_text_starting_with(const nlohmann::json& value, std::string_view prefix) {
    return value.is_string() && value.get_ref<const std::string&>().starts_with(prefix);
}

void check_statement(const nlohmann::json& statement, const std::string& bucket) {
    if (!statement.is_object()) {
        malformed("Statement is not an object");
    }
    const auto effect = statement.value("Effect", nlohmann::json());
    if (effect.is_null()) {
        malformed("Missing required field Effect");
    }
    if (effect != "Allow" && effect != "Deny") {
        malformed("Invalid effect: " +
                  (effect.is_string() ? effect.get<std::string>() : effect.dump()));
    }
    if (!statement.contains("Principal") && !statement.contains("NotPrincipal")) {
        malformed("Missing required field Principal");
    }
    const char* action_key = statement.contains("Action") ? "Action" : "NotAction";
    if (!statement.contains(action_key)) {
        malformed("Missing required field Action");
    }
    for (const auto& action : one_or_many(statement[action_key])) {
        if (action != "*" && !is_text_starting_with(action, "s3:")) {
            malformed("Policy has invalid action");
        }
    }
    const char* resource_key = statement.contains("Resource") ? "Resource" : "NotResource";
    if (!statement.contains(resource_key)) {
        malformed("Missing required field Resource");
    }
    const std::string arn = "arn:aws:s3:::" + bucket;
    for (const auto& resource : one_or_many(statement[resource_key])) {
        // The bucket itself, or its objects ("bucket/*", "bucket/photos/*", ...).
        if (resource != arn && !is_text_starting_with(resource, arn + "/")) {
            malformed("Policy has invalid resource");
        }
    }
}

bool anyone(const nlohmann::json& principal) {
    if (principal == "*") {
        return true;
    }
    if (principal.is_object() && principal.contains("AWS")) {
        for (const auto& who : one_or_many(principal["AWS"])) {
            if (who == "*") {
                return true;
            }
        }
    }
    return false;
}

}  // namespace

void check_bucket_policy(const nlohmann::json& policy, const std::string& bucket) {
    if (policy.contains("Version") && policy["Version"] != "2012-10-17" &&
        policy["Version"] != "2008-10-17") {
        malformed("The policy must contain a valid version string");
    }
    for (const auto& statement : statements_of(policy)) {
        check_statement(statement, bucket);
    }
}

bool grants_public_access(const nlohmann::json& policy) {
    for (const auto& statement : one_or_many(policy.value("Statement", nlohmann::json()))) {
        if (statement.is_object() && statement.value("Effect", "") == "Allow" &&
            statement.contains("Principal") && anyone(statement["Principal"]) &&
            !statement.contains("Condition")) {
            return true;
        }
    }
    return false;
}

}  // namespace awsemu::s3
