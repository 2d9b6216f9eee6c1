#include "emulator/http/http_client.hpp"

#include <mutex>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace awsemu {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct Url {
    bool tls = false;
    std::string host;
    std::string port;
    std::string target;
};

std::optional<Url> parse_url(const std::string& text) {
    Url url;
    std::string_view rest = text;
    if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
    } else if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
        url.tls = true;
    } else {
        return std::nullopt;
    }
    const auto slash = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, slash);
    url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (url.target.front() == '?') {
        url.target.insert(0, "/");
    }
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1);  // user info is not sent
    }
    const auto bracket = authority.rfind(']');
    const auto colon = authority.rfind(':');
    if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
        url.port = std::string(authority.substr(colon + 1));
        authority = authority.substr(0, colon);
    } else {
        url.port = url.tls ? "443" : "80";
    }
    if (authority.starts_with('[') && authority.ends_with(']')) {
        authority = authority.substr(1, authority.size() - 2);
    }
    url.host = std::string(authority);
    if (url.host.empty() || url.port.empty()) {
        return std::nullopt;
    }
    return url;
}

// Sends the request on a connected stream (TCP or TLS) and reads the response's head: only the
// status matters, and a subscriber's body, however large, is never held.
template <class Stream>
asio::awaitable<beast::error_code> write_then_read(
    Stream& stream, http::request<http::string_body>& message,
    http::response_parser<http::empty_body>& response) {
    auto [ec, written] =
        co_await http::async_write(stream, message, asio::as_tuple(asio::use_awaitable));
    if (!ec) {
        beast::flat_buffer buffer;
        std::tie(ec, std::ignore) = co_await http::async_read_header(
            stream, buffer, response, asio::as_tuple(asio::use_awaitable));
    }
    co_return ec;
}

}  // namespace

class AsioHttpClient::Impl {
  public:
    explicit Impl(asio::io_context& io) : io_(io) {}

    void send(OutgoingRequest request, Done done) {
        asio::co_spawn(
            io_, exchange(std::move(request)),
            [done = std::move(done)](const std::exception_ptr& failure, OutgoingResult result) {
                if (failure) {
                    result = OutgoingResult{0, "the request failed"};
                }
                done(std::move(result));
            });
    }

  private:
    asio::awaitable<OutgoingResult> exchange(OutgoingRequest request) {
        const auto url = parse_url(request.url);
        if (!url) {
            co_return OutgoingResult{0, "not an http(s) URL: " + request.url};
        }
        http::request<http::string_body> message{http::string_to_verb(request.method), url->target,
                                                 11};
        const bool ipv6 = url->host.find(':') != std::string::npos;
        message.set(http::field::host,
                    (ipv6 ? "[" + url->host + "]" : url->host) + ":" + url->port);
        for (const auto& [name, value] : request.headers.entries()) {
            message.set(name, value);
        }
        message.body() = std::move(request.body);
        message.prepare_payload();
        message.keep_alive(false);

        tcp::resolver resolver(io_);
        auto [resolve_ec, endpoints] = co_await resolver.async_resolve(
            url->host, url->port, asio::as_tuple(asio::use_awaitable));
        if (resolve_ec) {
            co_return OutgoingResult{0, resolve_ec.message()};
        }
        http::response_parser<http::empty_body> response;
        beast::error_code ec;
        if (url->tls) {
            beast::ssl_stream<beast::tcp_stream> stream(io_, tls_context());
            if (!SSL_set_tlsext_host_name(stream.native_handle(), url->host.c_str())) {
                co_return OutgoingResult{0, "cannot set the TLS server name"};
            }
            beast::get_lowest_layer(stream).expires_after(request.timeout);
            std::tie(ec, std::ignore) = co_await beast::get_lowest_layer(stream).async_connect(
                endpoints, asio::as_tuple(asio::use_awaitable));
            if (!ec) {
                std::tie(ec) = co_await stream.async_handshake(asio::ssl::stream_base::client,
                                                               asio::as_tuple(asio::use_awaitable));
            }
            if (!ec) {
                ec = co_await write_then_read(stream, message, response);
            }
        } else {
            beast::tcp_stream stream(io_);
            stream.expires_after(request.timeout);
            std::tie(ec, std::ignore) =
                co_await stream.async_connect(endpoints, asio::as_tuple(asio::use_awaitable));
            if (!ec) {
                ec = co_await write_then_read(stream, message, response);
            }
            beast::error_code ignored;
            stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        }
        if (ec) {
            co_return OutgoingResult{0, ec.message(), ec == beast::error::timeout};
        }
        co_return OutgoingResult{static_cast<int>(response.get().result_int()), {}};
    }

    // Made at the first https request: setting up OpenSSL's TLS costs milliseconds and megabytes
    // that a server which never calls an https endpoint should not pay at start.
    asio::ssl::context& tls_context() {
        std::call_once(tls_once_, [this] {
            tls_.emplace(asio::ssl::context::tls_client);
            tls_->set_verify_mode(asio::ssl::verify_none);
        });
        return *tls_;
    }

    asio::io_context& io_;
    std::once_flag tls_once_;
    std::optional<asio::ssl::context> tls_;
};

AsioHttpClient::AsioHttpClient(asio::io_context& io) : impl_(std::make_unique<Impl>(io)) {}
AsioHttpClient::~AsioHttpClient() = default;

void AsioHttpClient::send(OutgoingRequest request, Done done) {
    impl_->send(std::move(request), std::move(done));
}

}  // namespace awsemu
