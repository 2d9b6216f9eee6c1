#pragma once

#include <optional>

#include <catch2/catch.hpp>

#include "emulator/http/request_handler.hpp"
#include "emulator/runtime/manual_scheduler.hpp"

namespace awsemu {

// Catches a deferred response, for tests that drive a handler without an HTTP session.
class CapturingDeferral final : public ResponseDeferral {
  public:
    Responder defer() override {
        return [this](HttpResponse response) { response_ = std::move(response); };
    }
    const std::optional<HttpResponse>& response() const { return response_; }

  private:
    std::optional<HttpResponse> response_;
};

// The response to `request` when it is ready at once (deferred or not).
inline HttpResponse handle_now(RequestHandler& handler, const HttpRequest& request) {
    CapturingDeferral deferral;
    if (auto answer = handler.handle(request, deferral)) {
        return std::move(*answer);
    }
    REQUIRE(deferral.response().has_value());
    return *deferral.response();
}

// The same for a handler behind a group commit, which answers once the scheduler has run the
// batch's commit.
inline HttpResponse handle_now(RequestHandler& handler, const HttpRequest& request,
                               ManualScheduler& scheduler) {
    CapturingDeferral deferral;
    if (auto answer = handler.handle(request, deferral)) {
        return std::move(*answer);
    }
    scheduler.run_ready();
    REQUIRE(deferral.response().has_value());
    return *deferral.response();
}

}  // namespace awsemu
