#pragma once

#include <vector>

#include <catch2/catch.hpp>

#include "emulator/http/http_client.hpp"

namespace awsemu::testing {

// An HTTP client that sends nothing: the test sees each request and answers it when it likes.
class FakeHttpClient final : public HttpClient {
  public:
    struct Sent {
        OutgoingRequest request;
        Done done;
        bool answered = false;
    };
    void send(OutgoingRequest request, Done done) override {
        sent.push_back({std::move(request), std::move(done)});
    }
    void answer(std::size_t index, OutgoingResult result) {
        REQUIRE(index < sent.size());
        REQUIRE_FALSE(sent[index].answered);
        sent[index].answered = true;
        sent[index].done(std::move(result));
    }
    void answer(std::size_t index, int status) { answer(index, OutgoingResult{status, {}}); }
    std::vector<Sent> sent;
};

}  // namespace awsemu::testing
