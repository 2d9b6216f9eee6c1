#pragma once

#include <array>
#include <string>

#include <boost/asio/buffer.hpp>

#include "emulator/http/http_message.hpp"

namespace awsemu {

// A response as it goes on the wire: status line and header block, then the body, written
// together as two buffers.
struct WireResponse {
    std::string head;
    std::string body;
    std::shared_ptr<ResponseBodySource> body_source;  // written after head and body

    std::array<boost::asio::const_buffer, 2> buffers() const {
        return {boost::asio::buffer(head), boost::asio::buffer(body)};
    }
};

// The bytes Beast's serializer would write for this response (tested against it): "Server:
// awsemu" first, the response's headers in order with repeated names kept together and values
// trimmed, then Content-Length (the body's size, also for HEAD, whose body is left out) and the
// Connection header the keep-alive decision needs. The server owns Content-Length and
// Connection: a handler's own are replaced. Built by hand because Beast's buffer sequences cost
// more instructions per response than the rest of a small request's answer.
WireResponse to_wire(HttpResponse&& response, unsigned version, bool keep_alive, bool head_request);

}  // namespace awsemu
