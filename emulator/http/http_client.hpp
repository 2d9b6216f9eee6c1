#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "emulator/http/http_message.hpp"

namespace boost::asio {
class io_context;
}

namespace awsemu {

// One request awsemu sends (SNS to an HTTP subscriber).
struct OutgoingRequest {
    std::string method = "POST";
    std::string url;  // http://host[:port]/path or https://...
    Headers headers;
    std::string body;
    std::chrono::milliseconds timeout{15'000};
};

// What came back: the status, or (status 0) why there was no answer.
struct OutgoingResult {
    int status = 0;
    std::string error;
    bool timed_out = false;  // no answer within the request's timeout
};

// Sends requests without blocking a thread; `done` runs on the event loop, once.
class HttpClient {
  public:
    using Done = std::function<void(OutgoingResult)>;
    virtual ~HttpClient() = default;
    virtual void send(OutgoingRequest request, Done done) = 0;
};

// The client on the server's event loop (Beast): one connection per request, a deadline on the
// whole exchange, TLS for https without certificate checks (local endpoints are self-signed).
class AsioHttpClient final : public HttpClient {
  public:
    explicit AsioHttpClient(boost::asio::io_context& io);
    ~AsioHttpClient() override;
    void send(OutgoingRequest request, Done done) override;

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace awsemu
