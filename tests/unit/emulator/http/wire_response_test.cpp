#include "emulator/http/wire_response.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include <boost/beast/http.hpp>

using namespace awsemu;
namespace http = boost::beast::http;

namespace {

// What the server wrote before it serialized responses itself: a Beast message.
std::string beast_bytes(const HttpResponse& response, unsigned version, bool keep_alive,
                        bool head_request) {
    http::response<http::string_body> message{static_cast<http::status>(response.status), version};
    message.set(http::field::server, "awsemu");
    for (const auto& [name, value] : response.headers.entries()) {
        message.insert(name, value);
    }
    if (!head_request) {
        message.body() = response.body;
    }
    message.content_length(response.body.size());
    message.keep_alive(keep_alive);
    std::ostringstream out;
    out << message;
    return out.str();
}

std::string wire_bytes(HttpResponse response, unsigned version, bool keep_alive,
                       bool head_request) {
    const WireResponse wire = to_wire(std::move(response), version, keep_alive, head_request);
    return wire.head + wire.body;
}

HttpResponse sample() {
    HttpResponse response;
    response.headers.add("Content-Type", "application/x-amz-json-1.1");
    response.headers.add("x-amzn-RequestId", "2f0b1c2e-7a51-4a8e-9c3e-0d1f2a3b4c5d");
    response.headers.add("x-amz-meta-a", "  padded\t");
    response.headers.add("X-Custom", "one");
    response.headers.add("x-amz-meta-b", "two");
    response.headers.add("x-custom", "three");
    response.body = R"({"Name":"bench-secret"})";
    return response;
}

}  // namespace

TEST_CASE("WireResponse writes the bytes Beast's serializer writes", "[http][unit]") {
    for (const unsigned version : {10u, 11u}) {
        for (const bool keep_alive : {false, true}) {
            for (const bool head_request : {false, true}) {
                INFO("version " << version << " keep-alive " << keep_alive << " head "
                                << head_request);
                CHECK(wire_bytes(sample(), version, keep_alive, head_request) ==
                      beast_bytes(sample(), version, keep_alive, head_request));
            }
        }
    }
}

TEST_CASE("WireResponse writes status, reason and an empty body's length", "[http][unit]") {
    HttpResponse response;
    response.status = 404;
    CHECK(wire_bytes(response, 11, true, false) == beast_bytes(response, 11, true, false));
    CHECK(wire_bytes(response, 11, true, false) ==
          "HTTP/1.1 404 Not Found\r\nServer: awsemu\r\nContent-Length: 0\r\n\r\n");
}

TEST_CASE("WireResponse replaces a handler's Content-Length and Connection", "[http][unit]") {
    HttpResponse response;
    response.headers.add("Content-Length", "99");
    response.headers.add("Connection", "keep-alive");
    response.body = "abc";
    CHECK(wire_bytes(response, 11, false, false) ==
          "HTTP/1.1 200 OK\r\nServer: awsemu\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
}
