#include "services/sqs/sqs_input.hpp"

#include "emulator/auth/crypto.hpp"
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

std::string encode_next_token(const std::string& last_name) {
    return auth::base64_encode(last_name);
}

std::string decode_next_token(const std::optional<std::string>& token) {
    if (!token || token->empty()) {
        return {};
    }
    const auto decoded = auth::base64_decode(*token);
    if (!decoded) {
        throw AwsError(errors::InvalidParameterValue, "Invalid NextToken value.");
    }
    return *decoded;
}

}  // namespace awsemu::sqs
