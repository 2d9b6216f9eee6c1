#pragma once

#include <cstddef>
#include <string_view>

#include "emulator/http/http_message.hpp"

namespace awsemu {

// What the HTTP server hands complete requests to.
class RequestHandler {
  public:
    virtual ~RequestHandler() = default;
    virtual HttpResponse handle(const HttpRequest& request) = 0;
    // Only the head was read: the body is over the limit.
    virtual HttpResponse reject_oversized(const HttpRequest& head, std::size_t limit) = 0;
    virtual HttpResponse reject_malformed(std::string_view reason) = 0;
};

}  // namespace awsemu
