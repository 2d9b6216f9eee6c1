#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/params.hpp"
#include "emulator/runtime/time_format.hpp"
#include "emulator/service.hpp"

// Reading SQS's parameter shapes that Params has no accessor for.
namespace awsemu::sqs {

// The request's moment as the store keeps times.
inline std::int64_t request_ms(const RequestContext& ctx) {
    return to_epoch_ms(ctx.now());
}

// An integer parameter that must lie in [low, high]; AWS's InvalidParameterValue otherwise.
std::optional<int> bounded_int(const Params& in, std::string_view name, int low, int high);

// The last key a NextToken names (encode_key_token made it); "" without one.
std::string decode_next_token(const std::optional<std::string>& token);

}  // namespace awsemu::sqs
