#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace awsemu {

// nlohmann::json::parse(text, nullptr, false), faster for the JSON SDKs send: nlohmann's lexer
// spends about 90 instructions on each byte of a request, most of a small request's parsing.
// Objects, arrays, strings, integers, booleans and null that fit a plain shape are built here;
// anything else (a fraction or exponent, an integer beyond 64 bits, deep nesting, anything
// malformed) goes to nlohmann, so the result, and every error, is exactly nlohmann's. A
// discarded value means the text is not JSON.
nlohmann::json parse_json_input(std::string_view text);

}  // namespace awsemu
