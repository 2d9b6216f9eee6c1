#pragma once

#include <string_view>

#include "emulator/protocol/query_shape.hpp"

// The shape facts the query codec needs for ELBv2 (botocore's elbv2 2015-12-01 model): which
// input members are lists (wrapped in <member>), numbers, booleans or nested structures. Output
// needs no declarations: every list ELBv2 answers is a <member> list and it answers no maps.
namespace awsemu::elbv2 {

QueryShape query_input_shape(std::string_view operation);

}  // namespace awsemu::elbv2
