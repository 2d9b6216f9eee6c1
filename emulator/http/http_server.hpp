#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "emulator/http/request_handler.hpp"

namespace awsemu {

struct HttpServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 4566;  // 0: any free port
    std::size_t max_body_size = 64 * 1024 * 1024;
    std::chrono::seconds idle_timeout{60};
};

// An asynchronous HTTP/1.1 server (Beast, one coroutine per connection, no thread per
// connection): keep-alive, chunked bodies, Expect: 100-continue, a body size limit.
class HttpServer {
  public:
    HttpServer(boost::asio::io_context& io, HttpServerOptions options, RequestHandler& handler);
    ~HttpServer();

    // Binds and starts accepting; answers the bound port. Throws std::runtime_error with a
    // message for people when the address is taken.
    std::uint16_t start();
    void stop();
    // Requests whose bodies wait to be hashed with others' (Md5Batch): they go on to their
    // handlers in a later turn of the event loop.
    bool bodies_being_hashed() const;

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace awsemu
