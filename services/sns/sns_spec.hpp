#pragma once

#include <string_view>

#include "emulator/protocol/query_shape.hpp"

// The shape facts the query codec needs for SNS (botocore's sns 2010-03-31 model): lists are
// wrapped in <member>, maps in <entry> with key/value (message attributes: Name/Value).
namespace awsemu::sns {

QueryShape query_input_shape(std::string_view operation);
QueryShape query_output_shape(std::string_view operation);

}  // namespace awsemu::sns
