#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// The headers an ALB adds to a request it forwards, as pure functions (no Beast): the proxy
// session applies them, and they are tested without sockets.
namespace awsemu::proxy {

// X-Forwarded-For: the client's address appended to what earlier proxies wrote.
std::string appended_forwarded_for(std::string_view existing, std::string_view client_ip);

// A fresh trace identifier, "1-<8 hex digits of epoch seconds>-<24 random hex digits>".
std::string new_trace_id(std::uint64_t epoch_seconds);

// X-Amzn-Trace-Id as the ALB forwards it: without one, "Root=<fresh>"; with a Self field, its
// value becomes the fresh one; with a Root field, "Self=<fresh>;" goes in front; any other
// fields are kept as they were.
std::string updated_trace_header(std::string_view existing, std::string_view fresh_id);

// Hop-by-hop headers a proxy does not pass on (RFC 9110 7.6.1), Proxy-* among them.
// Transfer-Encoding is left to the framing code, Upgrade to the WebSocket code.
bool is_hop_by_hop(std::string_view name);

}  // namespace awsemu::proxy
