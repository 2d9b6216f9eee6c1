#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// Message attributes ({"DataType", "StringValue" | "BinaryValue"}) as SQS and SNS read them;
// each service words its own refusals.
namespace awsemu {

// AWS's rule: letters, digits, '_', '-' and '.', no leading, trailing or doubled '.', no "AWS."
// or "Amazon." prefix (in any case), at most 256 characters.
bool valid_message_attribute_name(std::string_view name);

enum class MessageAttributeKind { String, Number, Binary, Unknown };

// String, Number or Binary, each alone or with a custom ".suffix".
MessageAttributeKind message_attribute_kind(std::string_view data_type);

// The bytes of a Binary attribute: nullopt when BinaryValue is missing, no base64, or empty.
std::optional<std::string> binary_attribute_value(const nlohmann::json& attribute);

// The StringValue of a String or Number attribute: nullopt when missing, no string, or empty.
std::optional<std::string> string_attribute_value(const nlohmann::json& attribute);

// AWS's Number (SQS and SNS): an optional sign, digits with an optional fraction, an optional
// exponent; at most 38 significant digits (zeros around them do not count), and a non-zero one
// between 10^-128 and 10^+126.
bool is_aws_number(std::string_view text);

}  // namespace awsemu
