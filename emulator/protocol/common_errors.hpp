#pragma once

#include "emulator/protocol/aws_error.hpp"

// Errors any AWS service can answer, named exactly as on the wire.
namespace awsemu::errors {

inline constexpr ErrorSpec InternalFailure{"InternalFailure", 500, Fault::Receiver};
inline constexpr ErrorSpec ServiceUnavailable{"ServiceUnavailable", 503, Fault::Receiver};
// JSON protocols
inline constexpr ErrorSpec UnknownOperationException{"UnknownOperationException", 400};
inline constexpr ErrorSpec SerializationException{"SerializationException", 400};
inline constexpr ErrorSpec ValidationException{"ValidationException", 400};
inline constexpr ErrorSpec InvalidSignatureException{"InvalidSignatureException", 400};
inline constexpr ErrorSpec UnrecognizedClientException{"UnrecognizedClientException", 400};
inline constexpr ErrorSpec IncompleteSignatureException{"IncompleteSignatureException", 400};
inline constexpr ErrorSpec MissingAuthenticationTokenException{
    "MissingAuthenticationTokenException", 403};
inline constexpr ErrorSpec ExpiredTokenException{"ExpiredTokenException", 403};
// Query protocol
inline constexpr ErrorSpec InvalidAction{"InvalidAction", 400};
inline constexpr ErrorSpec MissingAction{"MissingAction", 400};
inline constexpr ErrorSpec MalformedQueryString{"MalformedQueryString", 400};
inline constexpr ErrorSpec MissingParameter{"MissingParameter", 400};
inline constexpr ErrorSpec InvalidParameterValue{"InvalidParameterValue", 400};
inline constexpr ErrorSpec SignatureDoesNotMatch{"SignatureDoesNotMatch", 403};
inline constexpr ErrorSpec InvalidClientTokenId{"InvalidClientTokenId", 403};
inline constexpr ErrorSpec IncompleteSignature{"IncompleteSignature", 400};
inline constexpr ErrorSpec MissingAuthenticationToken{"MissingAuthenticationToken", 403};
inline constexpr ErrorSpec ExpiredToken{"ExpiredToken", 403};
// EC2's protocol: an unknown key or a bad signature
inline constexpr ErrorSpec AuthFailure{"AuthFailure", 401};
// Any protocol
inline constexpr ErrorSpec BadRequest{"BadRequest", 400};
inline constexpr ErrorSpec RequestEntityTooLarge{"RequestEntityTooLarge", 413};
// REST-XML (S3) answers an oversized body this way.
inline constexpr ErrorSpec EntityTooLarge{"EntityTooLarge", 400};
inline constexpr ErrorSpec AccessDenied{"AccessDenied", 403};
inline constexpr ErrorSpec RequestExpired{"RequestExpired", 400};
inline constexpr ErrorSpec NotImplemented{"NotImplemented", 501, Fault::Receiver};

}  // namespace awsemu::errors
