#pragma once

#include <string>

#include "emulator/http/reverse_proxy.hpp"

// Internal to the reverse proxy (emulator/http only).
namespace awsemu::proxy {

// The bytes of an answer the load balancer gives itself: status line, "Server: awselb/2.0",
// the answer's headers (its own Content-Length, Transfer-Encoding and Connection are replaced),
// Content-Length, Connection (keep-alive or close, as an ALB always says), then the body
// unless the request was a HEAD. One string: one write.
std::string format_local_answer(const LocalAnswer& answer, unsigned version, bool keep_alive,
                                bool head_request);

// The reason phrase an ALB puts on its own answers ("Service Temporarily Unavailable").
std::string_view load_balancer_reason(int status);

}  // namespace awsemu::proxy
