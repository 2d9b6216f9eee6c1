#pragma once

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

// Secrets Manager's error codes as botocore's model (secretsmanager 2017-10-17) names them. The
// model gives none an HTTP status, so every one is the JSON protocol's 400, except the
// server-side InternalServiceError. ValidationException (constraint violations the model
// declares) comes from common_errors.hpp.
namespace awsemu::secretsmanager::errors {

using awsemu::errors::ValidationException;

inline constexpr ErrorSpec ResourceNotFoundException{"ResourceNotFoundException", 400};
inline constexpr ErrorSpec ResourceExistsException{"ResourceExistsException", 400};
inline constexpr ErrorSpec InvalidRequestException{"InvalidRequestException", 400};
inline constexpr ErrorSpec InvalidParameterException{"InvalidParameterException", 400};
inline constexpr ErrorSpec InvalidNextTokenException{"InvalidNextTokenException", 400};
inline constexpr ErrorSpec LimitExceededException{"LimitExceededException", 400};
inline constexpr ErrorSpec MalformedPolicyDocumentException{"MalformedPolicyDocumentException",
                                                            400};
inline constexpr ErrorSpec PublicPolicyException{"PublicPolicyException", 400};
inline constexpr ErrorSpec PreconditionNotMetException{"PreconditionNotMetException", 400};
inline constexpr ErrorSpec EncryptionFailure{"EncryptionFailure", 400};
inline constexpr ErrorSpec DecryptionFailure{"DecryptionFailure", 400};
inline constexpr ErrorSpec InternalServiceError{"InternalServiceError", 500, Fault::Receiver};

}  // namespace awsemu::secretsmanager::errors
