#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace awsemu {

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters stay, everything else
// becomes %XX with upper-case hex. With keep_slash, '/' stays too (URI paths).
std::string uri_encode(std::string_view text, bool keep_slash = false);

// Decodes %XX; with plus_as_space, '+' becomes ' ' (application/x-www-form-urlencoded).
std::string percent_decode(std::string_view text, bool plus_as_space = true);

// The value of one hex digit (either case), or -1.
int hex_value(char c);
// Splits "a=1&b=2" into decoded pairs, in order. A key without '=' gets an empty value.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text);

}  // namespace awsemu
