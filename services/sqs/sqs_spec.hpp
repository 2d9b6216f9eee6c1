#pragma once

#include <string_view>

#include "emulator/protocol/query_shape.hpp"

// The shape facts the query codec needs for SQS (from the query edition of botocore's model):
// which members are numbers, and how lists and maps are flattened and named on the wire.
namespace awsemu::sqs {

QueryShape query_input_shape(std::string_view operation);
QueryShape query_output_shape(std::string_view operation);

}  // namespace awsemu::sqs
