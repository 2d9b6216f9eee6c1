#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emulator/http/http_message.hpp"

namespace awsemu {

// The request head every SDK sends for an ordinary call: an HTTP/1.1 request line, header
// lines of plain ASCII, and a body announced by Content-Length (or none). Parsing it here, straight
// into an HttpRequest, costs a fraction of what Beast's parser, its field list and the copy
// out of it cost a small request. Anything else (HTTP/1.0, Transfer-Encoding, obs-fold,
// bytes outside printable ASCII, a malformed line) is Beast's, which also words the errors.
struct SimpleRequestHead {
    HttpRequest request;        // method, target (split), headers; no body yet
    std::size_t head_size = 0;  // bytes of the head, its blank line included
    std::uint64_t content_length = 0;
    bool keep_alive = true;        // no "close" in Connection
    bool expect_continue = false;  // Expect: 100-continue
};

enum class HeadParse {
    complete,    // `head` holds the request
    incomplete,  // no blank line yet: more bytes may make it whole
    not_simple,  // for Beast to parse
};

// `searched`: how many leading bytes are already known to hold no end of head (a head that
// arrives in pieces is then not searched from its start again).
HeadParse parse_simple_head(std::string_view bytes, SimpleRequestHead& head,
                            std::size_t searched = 0);

}  // namespace awsemu
