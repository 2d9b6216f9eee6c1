#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace awsemu {

// value.dump(-1, ' ', false, on_bad_utf8), several times faster: strings that need no escaping
// (the common case) are copied whole instead of character by character; anything else
// (escapes, non-ASCII text, floating-point numbers) is written by nlohmann, so the text is
// always exactly dump()'s, and invalid UTF-8 is handled (or thrown) as `on_bad_utf8` says.
std::string to_json_text(const nlohmann::json& value, nlohmann::json::error_handler_t on_bad_utf8 =
                                                          nlohmann::json::error_handler_t::strict);

}  // namespace awsemu
