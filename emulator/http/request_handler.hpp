#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

#include "emulator/http/http_message.hpp"

namespace awsemu {

// Lets a handler answer a request later (an SQS long poll) without holding a thread.
class ResponseDeferral {
  public:
    using Responder = std::function<void(HttpResponse)>;

    virtual ~ResponseDeferral() = default;
    // Answers the function that delivers the response: call it once, from any thread.
    virtual Responder defer() = 0;
};

// What the HTTP server hands complete requests to.
class RequestHandler {
  public:
    virtual ~RequestHandler() = default;
    // The response, or nothing when the handler deferred it and will deliver it later.
    virtual std::optional<HttpResponse> handle(const HttpRequest& request,
                                               ResponseDeferral& deferral) = 0;
    // A sink to stream the body of the request whose head this is into, or null to receive the
    // body whole in HttpRequest::body.
    virtual std::shared_ptr<RequestBodySink> body_sink_for(const HttpRequest&) { return nullptr; }
    // Only the head was read: the body is over the limit.
    virtual HttpResponse reject_oversized(const HttpRequest& head, std::size_t limit) = 0;
    virtual HttpResponse reject_malformed(std::string_view reason) = 0;
};

}  // namespace awsemu
