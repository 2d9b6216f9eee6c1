#pragma once

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

// CloudWatch Logs' error codes as botocore's model (logs 2014-03-28) names them. The model gives
// none an HTTP status, so every one is the JSON protocol's 400, except the server-side ones.
// Logs reports constraint violations (lengths, patterns, enums) as InvalidParameterException.
namespace awsemu::logs::errors {

using awsemu::errors::UnknownOperationException;

inline constexpr ErrorSpec InvalidParameterException{"InvalidParameterException", 400};
inline constexpr ErrorSpec ResourceNotFoundException{"ResourceNotFoundException", 400};
inline constexpr ErrorSpec ResourceAlreadyExistsException{"ResourceAlreadyExistsException", 400};
inline constexpr ErrorSpec LimitExceededException{"LimitExceededException", 400};
inline constexpr ErrorSpec OperationAbortedException{"OperationAbortedException", 400};
inline constexpr ErrorSpec TooManyTagsException{"TooManyTagsException", 400};
inline constexpr ErrorSpec InvalidOperationException{"InvalidOperationException", 400};
inline constexpr ErrorSpec ServiceUnavailableException{"ServiceUnavailableException", 500,
                                                       Fault::Receiver};

// A nextToken this service did not issue, or one for another request.
[[noreturn]] inline void invalid_next_token() {
    throw AwsError(InvalidParameterException, "The specified nextToken is invalid.");
}

}  // namespace awsemu::logs::errors
