#pragma once

#include <cstddef>
#include <string_view>

namespace awsemu {

// Decodes the UTF-8 code point at `at` and moves past it; answers -1 (moving one byte) for a
// byte that does not start a well-formed sequence there.
long next_code_point(std::string_view text, std::size_t& at);

// Whether `text` is well-formed UTF-8: no stray or missing continuation bytes, no overlong
// form, no surrogate, nothing above U+10FFFF.
bool valid_utf8(std::string_view text);

// How many characters `text` holds (bytes that are not continuation bytes): the length AWS's
// limits count, where "Café" is four.
std::size_t utf8_length(std::string_view text);

}  // namespace awsemu
