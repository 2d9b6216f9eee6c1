#pragma once

#include <map>
#include <string>
#include <vector>

#include "emulator/params.hpp"
#include "emulator/runtime/time_format.hpp"
#include "emulator/service.hpp"
#include "services/sns/sns_model.hpp"

// Reading SNS's parameter shapes that Params has no accessor for.
namespace awsemu::sns {

inline std::int64_t request_ms(const RequestContext& ctx) {
    return to_epoch_ms(ctx.now());
}

// Tags ([{Key, Value}]), checked as TagResource and CreateTopic check them.
Tags tag_list(const Params& in, std::string_view name);

// The last key a NextToken names (encode_key_token made it); "" without one.
std::string decode_next_token(const std::optional<std::string>& token);

}  // namespace awsemu::sns
