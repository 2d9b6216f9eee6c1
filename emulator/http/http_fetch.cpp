#include "emulator/http/http_fetch.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace awsemu {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

FetchedPage fetch_page(const std::string& url, const std::string& method, const std::string& body) {
    constexpr std::string_view kScheme = "http://";
    if (!url.starts_with(kScheme)) {
        return {0, {}, "not an http:// URL: " + url};
    }
    const std::string rest = url.substr(kScheme.size());
    const auto slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    const std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
    const auto colon = authority.rfind(':');
    const std::string host = colon == std::string::npos ? authority : authority.substr(0, colon);
    const std::string port = colon == std::string::npos ? "80" : authority.substr(colon + 1);

    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    beast::error_code ec;
    tcp::resolver resolver(io);
    const auto endpoints = resolver.resolve(host, port, ec);
    if (ec) {
        return {0, {}, ec.message()};
    }
    stream.connect(endpoints, ec);
    if (ec) {
        return {0, {}, ec.message()};
    }
    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, authority);
    if (!body.empty()) {
        request.set(http::field::content_type, "application/json");
    }
    request.body() = body;
    if (method != "GET") {
        request.prepare_payload();
    }
    request.keep_alive(false);
    http::write(stream, request, ec);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    if (!ec) {
        http::read(stream, buffer, response, ec);
    }
    if (ec) {
        return {0, {}, ec.message()};
    }
    return {static_cast<int>(response.result_int()), std::move(response.body()), {}};
}

}  // namespace awsemu
