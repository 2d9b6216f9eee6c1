#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

// Subscription filter policies: AWS's policy language (exact strings and numbers, prefix,
// suffix, anything-but (values or a prefix), equals-ignore-case, numeric ranges, exists, cidr,
// $or), checked against AWS's limits and validation rules when set, and matched against
// messages when published.
namespace awsemu::sns {

enum class FilterPolicyScope { MessageAttributes, MessageBody };

class FilterPolicy {
  public:
    // Throws AwsError InvalidParameter ("Invalid parameter: <error_prefix>FilterPolicy: ...")
    // for a policy AWS refuses. Subscribe's prefix is "Attributes Reason: ";
    // SetSubscriptionAttributes has none.
    static FilterPolicy parse(std::string_view text, FilterPolicyScope scope,
                              std::string_view error_prefix = "");

    // `message`: the message body (MessageBody scope), or the message attributes as
    // filterable_value() made them (MessageAttributes scope). Any JSON value; a policy never
    // matches a message that is not an object.
    bool matches(const nlohmann::json& message) const;

  private:
    explicit FilterPolicy(nlohmann::json policy) : policy_(std::move(policy)) {}
    nlohmann::json policy_;
};

// What a message attribute is to a filter: String -> the string, Number -> the number (JSON's
// number syntax only), String.Array -> the array; nullopt for types filters ignore (Binary) and
// for a value that is not of its type.
std::optional<nlohmann::json> filterable_value(std::string_view data_type,
                                               const std::string& value);

}  // namespace awsemu::sns
