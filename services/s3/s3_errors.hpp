#pragma once

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

// S3's error codes (Amazon S3 API Reference, "Error responses", list of error codes), named
// exactly as on the wire.
namespace awsemu::s3::errors {

using awsemu::errors::SignatureDoesNotMatch;  // 403

inline constexpr ErrorSpec BadDigest{"BadDigest", 400};
inline constexpr ErrorSpec IncompleteBody{"IncompleteBody", 400};
// "Only the last chunk is allowed to have a size less than 8192 bytes"
inline constexpr ErrorSpec InvalidChunkSizeError{"InvalidChunkSizeError", 403};
inline constexpr ErrorSpec InvalidDigest{"InvalidDigest", 400};
inline constexpr ErrorSpec InvalidRequest{"InvalidRequest", 400};
inline constexpr ErrorSpec MalformedTrailerError{"MalformedTrailerError", 400};
inline constexpr ErrorSpec XAmzContentSHA256Mismatch{"XAmzContentSHA256Mismatch", 400};

}  // namespace awsemu::s3::errors
