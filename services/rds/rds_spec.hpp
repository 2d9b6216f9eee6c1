#pragma once

#include <string_view>

#include "emulator/protocol/query_shape.hpp"

namespace awsemu::rds {

inline constexpr std::string_view kQueryVersion = "2014-10-31";

// How an operation's form decodes: which members are numbers, booleans or lists, and the
// member names RDS's lists use on the wire (Tags.Tag.N, SubnetIds.SubnetIdentifier.N).
QueryShape query_input_shape(std::string_view operation);
// How its result encodes: the member names of the lists it answers.
QueryShape query_output_shape(std::string_view operation);

}  // namespace awsemu::rds
