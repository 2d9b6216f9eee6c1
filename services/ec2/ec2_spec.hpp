#pragma once

#include <string_view>

#include "emulator/protocol/query_shape.hpp"

namespace awsemu::ec2 {

inline constexpr std::string_view kApiVersion = "2016-11-15";

// The shape facts the EC2 codec needs (botocore ec2 2016-11-15): in, which members are lists
// (flattened, under their query names), numbers or booleans; out, the members whose XML name is
// not their name in lower camel case.
QueryShape ec2_input_shape(std::string_view operation);
QueryShape ec2_output_shape(std::string_view operation);

}  // namespace awsemu::ec2
