#pragma once

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

// SNS's error codes as botocore's model (sns 2010-03-31) gives them: the wire code (the
// shape's error.code), its HTTP status and fault.
namespace awsemu::sns::errors {

inline constexpr ErrorSpec AuthorizationError{"AuthorizationError", 403};
inline constexpr ErrorSpec BatchEntryIdsNotDistinct{"BatchEntryIdsNotDistinct", 400};
inline constexpr ErrorSpec BatchRequestTooLong{"BatchRequestTooLong", 400};
inline constexpr ErrorSpec EmptyBatchRequest{"EmptyBatchRequest", 400};
inline constexpr ErrorSpec FilterPolicyLimitExceeded{"FilterPolicyLimitExceeded", 403};
inline constexpr ErrorSpec InternalError{"InternalError", 500, Fault::Receiver};
inline constexpr ErrorSpec InvalidBatchEntryId{"InvalidBatchEntryId", 400};
inline constexpr ErrorSpec InvalidParameter{"InvalidParameter", 400};
inline constexpr ErrorSpec ParameterValueInvalid{"ParameterValueInvalid", 400};
inline constexpr ErrorSpec NotFound{"NotFound", 404};
inline constexpr ErrorSpec ResourceNotFound{"ResourceNotFound", 404};
inline constexpr ErrorSpec SubscriptionLimitExceeded{"SubscriptionLimitExceeded", 403};
inline constexpr ErrorSpec TagLimitExceeded{"TagLimitExceeded", 400};
inline constexpr ErrorSpec TooManyEntriesInBatchRequest{"TooManyEntriesInBatchRequest", 400};
inline constexpr ErrorSpec TopicLimitExceeded{"TopicLimitExceeded", 403};
// A required parameter missing, as AWS's request validation answers it.
inline constexpr ErrorSpec ValidationError{"ValidationError", 400};

// AWS's "Invalid parameter: <what>" (the prefix every InvalidParameter message has).
inline AwsError invalid_parameter(const std::string& what) {
    return AwsError(InvalidParameter, "Invalid parameter: " + what);
}

}  // namespace awsemu::sns::errors
