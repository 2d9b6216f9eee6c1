#pragma once

#include "emulator/protocol/aws_error.hpp"

namespace awsemu::sts::errors {

inline constexpr ErrorSpec ValidationError{"ValidationError", 400};
inline constexpr ErrorSpec MalformedPolicyDocument{"MalformedPolicyDocument", 400};
inline constexpr ErrorSpec PackedPolicyTooLarge{"PackedPolicyTooLarge", 400};

}  // namespace awsemu::sts::errors
