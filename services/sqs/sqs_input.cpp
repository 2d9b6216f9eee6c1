#include "services/sqs/sqs_input.hpp"

#include "emulator/protocol/page_token.hpp"
#include "services/sqs/sqs_errors.hpp"

namespace awsemu::sqs {

std::optional<int> bounded_int(const Params& in, std::string_view name, int low, int high) {
    const auto value = in.optional_int(name);
    if (!value) {
        return std::nullopt;
    }
    if (*value < low || *value > high) {
        throw AwsError(errors::InvalidParameterValue,
                       "Value " + std::to_string(*value) + " for parameter " + std::string(name) +
                           " is invalid. Reason: Must be between " + std::to_string(low) + " and " +
                           std::to_string(high) + ", if provided.");
    }
    return static_cast<int>(*value);
}

std::string decode_next_token(const std::optional<std::string>& token) {
    auto last_key = decode_key_token(token);
    if (!last_key) {
        throw AwsError(errors::InvalidParameterValue, "Invalid NextToken value.");
    }
    return std::move(*last_key);
}

}  // namespace awsemu::sqs
