#pragma once

#include <string_view>

namespace awsemu {

// The wildcard dialects AWS's filters use. `*` always matches any run of characters.
struct WildcardSyntax {
    bool question_mark = false;     // `?` matches one character (EC2 filters)
    bool backslash_escape = false;  // `\*`, `\?` match themselves (EC2 filters)
    bool ignore_case = false;       // ASCII letters in any case (S3 CORS AllowedHeader)
};

// Whether all of `text` matches `pattern`. Linear for the patterns people write: greedy, going
// back only to the last `*`.
bool wildcard_match(std::string_view pattern, std::string_view text, WildcardSyntax syntax = {});

}  // namespace awsemu
