#include "emulator/http/proxy_session.hpp"

#include <chrono>
#include <optional>
#include <type_traits>
#include <variant>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "emulator/http/forwarded_headers.hpp"
#include "emulator/http/local_answer.hpp"
#include "emulator/http/proxy_listener_state.hpp"
#include "emulator/http/proxy_tunnel.hpp"

namespace awsemu::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// How much of a body is in memory at once, per connection.
constexpr std::size_t kChunk = 64 * 1024;
// Room for a whole ordinary request head per read.
constexpr std::size_t kReadBuffer = 16 * 1024;
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
// A body sent with a request the load balancer answers itself is read and dropped up to this
// size, so the connection can carry the next request; beyond it the connection is closed.
constexpr std::uint64_t kMaxDiscardedBody = 1024 * 1024;

using RequestParser = http::request_parser<http::buffer_body>;
using ResponseParser = http::response_parser<http::buffer_body>;

template <class Stream>
beast::tcp_stream& lowest(Stream& stream) {
    return beast::get_lowest_layer(stream);
}

// A client's error that deserves a 400, rather than a connection that just went away.
bool is_malformed(const beast::error_code& ec) {
    return ec.category() == http::make_error_code(http::error::bad_target).category() &&
           ec != http::error::end_of_stream && ec != http::error::partial_message;
}

// A pooled connection the target closed before this request reached it fails like this, with
// nothing of an answer received.
bool closed_before_answer(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
           ec == asio::error::eof || ec == asio::error::broken_pipe;
}

ProxiedRequest to_proxied(const http::request<http::buffer_body>& message,
                          const std::string& source_ip) {
    ProxiedRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.headers.reserve(
        static_cast<std::size_t>(std::distance(message.begin(), message.end())));
    for (const auto& field : message) {
        request.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    request.source_ip = source_ip;
    return request;
}

bool is_websocket_upgrade(const http::request<http::buffer_body>& message) {
    return message.method() == http::verb::get &&
           http::token_list{message[http::field::connection]}.exists("upgrade") &&
           beast::iequals(message[http::field::upgrade], "websocket");
}

// Removes hop-by-hop headers, those the Connection header names among them. For an upgrade,
// Upgrade stays and Connection says "Upgrade".
template <class Fields>
void strip_hop_by_hop(Fields& fields, bool upgrade) {
    std::vector<std::string> named;
    for (const auto& token : http::token_list{fields[http::field::connection]}) {
        if (!beast::iequals(token, "close") && !beast::iequals(token, "keep-alive") &&
            !beast::iequals(token, "upgrade")) {
            named.emplace_back(token);
        }
    }
    for (const auto& name : named) {
        fields.erase(name);
    }
    for (auto it = fields.begin(); it != fields.end();) {
        const auto name = it->name_string();
        if (is_hop_by_hop(name) && !(upgrade && beast::iequals(name, "Upgrade"))) {
            it = fields.erase(it);
        } else {
            ++it;
        }
    }
    if (upgrade) {
        fields.set(http::field::connection, "Upgrade");
    }
}

// The request as the target gets it: hop-by-hop headers out, the ALB's X-Forwarded-* and
// X-Amzn-Trace-Id in, HTTP/1.1 (pooled connections stay open).
void prepare_upstream_request(http::request<http::buffer_body>& message, bool upgrade,
                              const ListenerState& state, const std::string& source_ip) {
    strip_hop_by_hop(message, upgrade);
    message.erase(http::field::expect);  // the proxy answered 100 Continue itself
    std::string forwarded_for;
    for (auto [it, end] = message.equal_range("X-Forwarded-For"); it != end; ++it) {
        forwarded_for = forwarded_for.empty() ? std::string(it->value())
                                              : appended_forwarded_for(forwarded_for, it->value());
    }
    message.set("X-Forwarded-For", appended_forwarded_for(forwarded_for, source_ip));
    message.set("X-Forwarded-Proto", state.forwarded_proto);
    message.set("X-Forwarded-Port", state.forwarded_port);
    const auto epoch = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    std::string trace = updated_trace_header(message["X-Amzn-Trace-Id"],
                                             new_trace_id(static_cast<std::uint64_t>(epoch)));
    message.set("X-Amzn-Trace-Id", std::move(trace));
    message.version(11);
}

enum class Relay { done, input_failed, output_failed };

// What the current exchange's client asked for.
struct Exchange {
    unsigned version = 11;
    bool keep_alive = true;
    bool head_request = false;
};

template <class Stream>
class ClientSession {
  public:
    ClientSession(std::shared_ptr<ListenerState> state, Stream& client)
        : state_(std::move(state)), client_(client), chunk_(new char[kChunk]) {}

    asio::awaitable<void> run() {
        auto control = std::make_shared<SessionControl>();
        // The client's executor, which this coroutine runs on. Not `co_await this_coro::executor`
        // inside a larger expression: under ASan that released a strand once too often (GCC 12's
        // temporaries around co_await are the suspect).
        control->strand = client_.get_executor();
        control->socket = &lowest(client_).socket();
        state_->sessions.add(control);
        const Registration registration{state_->sessions, *control};
        beast::error_code ec;
        // Once per connection: formatting the address costs as much as parsing the headers.
        source_ip_ = lowest(client_).socket().remote_endpoint(ec).address().to_string();
        buffer_.reserve(kReadBuffer);
        for (;;) {
            control->idle = true;
            if (state_->closed) {
                break;
            }
            RequestParser parser;
            parser.header_limit(kHeaderLimit);
            parser.body_limit(boost::none);
            lowest(client_).expires_after(state_->routes->idle_timeout());
            auto [read_ec, bytes] =
                co_await http::async_read_header(client_, buffer_, parser, kAwait);
            control->idle = false;
            if (read_ec) {
                if (is_malformed(read_ec)) {
                    current_ = Exchange{};
                    co_await write_local(load_balancer_error(400), false);
                }
                break;
            }
            if (!co_await exchange(parser)) {
                break;
            }
        }
        lowest(client_).socket().shutdown(tcp::socket::shutdown_send, ec);
    }

  private:
    // Takes the session out of the registry when it ends, however it ends.
    struct Registration {
        SessionRegistry& registry;
        SessionControl& control;
        ~Registration() {
            control.socket = nullptr;
            registry.remove(&control);
        }
    };

    std::chrono::milliseconds idle_timeout() const { return state_->routes->idle_timeout(); }

    // One request and its answer; false when the client connection is to close.
    asio::awaitable<bool> exchange(RequestParser& parser) {
        auto& request = parser.get();
        current_.version = request.version();
        current_.keep_alive = request.keep_alive();
        current_.head_request = request.method() == http::verb::head;
        const bool expects_continue = beast::iequals(request[http::field::expect], "100-continue");
        RouteDecision decision = route(request);
        if (auto* local = std::get_if<LocalAnswer>(&decision)) {
            bool keep = current_.keep_alive;
            if (!parser.is_done()) {
                // A client waiting for 100 Continue sends no body: the connection closes instead.
                keep = keep && !expects_continue && co_await discard_body(parser);
            }
            co_return co_await write_local(*local, keep) && keep;
        }
        if (expects_continue && !parser.is_done()) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            lowest(client_).expires_after(idle_timeout());
            auto [ec, written] =
                co_await asio::async_write(client_, asio::buffer(kContinue), kAwait);
            if (ec) {
                co_return false;
            }
        }
        co_return co_await forward(parser, std::get<ForwardTo>(std::move(decision)));
    }

    RouteDecision route(const http::request<http::buffer_body>& request) {
        try {
            return state_->routes->route(to_proxied(request, source_ip_));
        } catch (...) {
            // The data plane should not throw; if it does, the client gets the ALB's 500.
            return load_balancer_error(500);
        }
    }

    asio::awaitable<bool> forward(RequestParser& parser, ForwardTo target) {
        // Held until the exchange with the target is over, however it ends.
        const std::shared_ptr<void> lease = std::move(target.lease);
        beast::error_code ec;
        const auto address = asio::ip::make_address(target.ip, ec);
        if (ec) {
            co_return co_await fail(502, parser);
        }
        const tcp::endpoint endpoint(address, target.port);
        auto& request = parser.get();
        const bool upgrade = is_websocket_upgrade(request);
        prepare_upstream_request(request, upgrade, *state_, source_ip_);
        const bool bodiless = parser.is_done();
        for (int attempt = 0;; ++attempt) {
            std::unique_ptr<UpstreamConnection> upstream =
                attempt == 0 ? state_->pool.take(endpoint) : nullptr;
            const bool reused = upstream != nullptr;
            if (!upstream) {
                upstream = std::make_unique<UpstreamConnection>(client_.get_executor());
                upstream->stream.expires_after(state_->options.connect_timeout);
                auto [connect_ec] = co_await upstream->stream.async_connect(endpoint, kAwait);
                if (connect_ec) {
                    co_return co_await fail(connect_ec == beast::error::timeout ? 504 : 502,
                                            parser);
                }
                upstream->stream.socket().set_option(tcp::no_delay(true), ec);
            }
            // A pooled connection the target has just closed fails before any answer: a request
            // without a body goes again on a new connection, as nginx does.
            http::request_serializer<http::buffer_body> serializer{request};
            const Relay sent =
                co_await relay_body(client_, buffer_, parser, upstream->stream, serializer);
            if (sent == Relay::input_failed) {
                co_return false;
            }
            if (sent == Relay::output_failed) {
                if (reused && bodiless) {
                    continue;
                }
                co_return co_await fail(502, parser);
            }
            std::optional<ResponseParser> response;
            const beast::error_code head_ec = co_await read_response_head(*upstream, response);
            if (head_ec) {
                if (reused && bodiless && closed_before_answer(head_ec)) {
                    continue;
                }
                co_return co_await fail(head_ec == beast::error::timeout ? 504 : 502, parser);
            }
            co_return co_await answer_from_target(*response, std::move(upstream), endpoint,
                                                  upgrade);
        }
    }

    asio::awaitable<beast::error_code> read_response_head(UpstreamConnection& upstream,
                                                          std::optional<ResponseParser>& response) {
        for (;;) {
            response.emplace();
            response->header_limit(kHeaderLimit);
            response->body_limit(boost::none);
            if (current_.head_request) {
                response->skip(true);
            }
            upstream.stream.expires_after(idle_timeout());
            auto [ec, bytes] = co_await http::async_read_header(upstream.stream, upstream.buffer,
                                                                *response, kAwait);
            const unsigned status = response->get().result_int();
            // Interim answers (103 Early Hints) are not passed on; 100 Continue was given to
            // the client already.
            if (ec || status >= 200 || status == 101) {
                co_return ec;
            }
        }
    }

    // Relays the target's response to the client; false when the client connection is to close.
    asio::awaitable<bool> answer_from_target(ResponseParser& parser,
                                             std::unique_ptr<UpstreamConnection> upstream,
                                             const tcp::endpoint& endpoint, bool upgrade) {
        auto& response = parser.get();
        if (upgrade && response.result() == http::status::switching_protocols) {
            response.body().data = nullptr;
            response.body().more = false;
            http::response_serializer<http::buffer_body> serializer{response};
            lowest(client_).expires_after(idle_timeout());
            auto [ec, written] = co_await http::async_write(client_, serializer, kAwait);
            if (!ec) {
                co_await tunnel(client_, buffer_, *upstream, idle_timeout());
            }
            co_return false;
        }
        strip_hop_by_hop(response, false);
        bool keep = current_.keep_alive && !state_->closed;
        if (!parser.is_done() && !response.chunked() && !response.has_content_length()) {
            keep = false;  // the body ends when the target closes: so must the client's
        }
        if (current_.version < 11 && response.chunked()) {
            response.chunked(false);  // HTTP/1.0 knows no chunks: the body ends at the close
            keep = false;
        }
        response.version(current_.version);
        response.keep_alive(keep);
        http::response_serializer<http::buffer_body> serializer{response};
        const Relay relayed =
            co_await relay_body(upstream->stream, upstream->buffer, parser, client_, serializer);
        if (relayed == Relay::done && parser.keep_alive() && upstream->buffer.size() == 0) {
            state_->pool.give_back(endpoint, std::move(upstream));
        }
        co_return relayed == Relay::done&& keep;
    }

    // Streams a message's body from `in` (parsed by `parser`, whose head is read) to `out`
    // through the serializer, whose head is not yet written: a chunk at a time, the head and
    // the first chunk in one write when the chunk is already buffered.
    template <class InStream, class Parser, class OutStream, class Serializer>
    asio::awaitable<Relay> relay_body(InStream& in, beast::flat_buffer& in_buffer, Parser& parser,
                                      OutStream& out, Serializer& serializer) {
        auto& body = parser.get().body();
        bool first = true;
        do {
            if (parser.is_done()) {
                body.data = nullptr;
                body.size = 0;
                body.more = false;
            } else if (first && in_buffer.size() == 0) {
                body.data = nullptr;  // the head goes alone; the body follows as it comes
                body.size = 0;
                body.more = true;
            } else {
                body.data = chunk_.get();
                body.size = kChunk;
                // What is buffered already (often the whole body, read with the head) is parsed
                // here: Beast's async_read_some would post a completion to the event loop for it.
                beast::error_code put_ec = http::error::need_more;
                if (in_buffer.size() != 0) {
                    put_ec = {};
                    in_buffer.consume(parser.put(in_buffer.data(), put_ec));
                    if (put_ec && put_ec != http::error::need_buffer &&
                        put_ec != http::error::need_more) {
                        co_return Relay::input_failed;
                    }
                }
                if (put_ec == http::error::need_more) {
                    lowest(in).expires_after(idle_timeout());
                    auto [ec, bytes] =
                        co_await http::async_read_some(in, in_buffer, parser, kAwait);
                    if (ec && ec != http::error::need_buffer) {
                        co_return Relay::input_failed;
                    }
                }
                const std::size_t produced = kChunk - body.size;
                if (produced == 0 && !parser.is_done()) {
                    first = false;
                    continue;  // chunk framing only: an empty chunk would end a chunked body
                }
                body.data = produced == 0 ? nullptr : chunk_.get();
                body.size = produced;
                body.more = !parser.is_done();
            }
            first = false;
            if (write_now(out, serializer)) {
                continue;
            }
            lowest(out).expires_after(idle_timeout());
            auto [ec, written] = co_await http::async_write(out, serializer, kAwait);
            if (ec && ec != http::error::need_buffer) {
                co_return Relay::output_failed;
            }
        } while (!serializer.is_done());
        co_return Relay::done;
    }

    // Writes what the serializer has now on a plain TCP connection whose socket takes it all at
    // once (the usual case): no timer to arm and cancel, no completion to run. False, with the
    // serializer where the socket stopped, when the socket is full or failed: the timed
    // asynchronous write then goes on from there (and reports the failure).
    template <class OutStream, class Serializer>
    static bool write_now(OutStream& out, Serializer& serializer) {
        if constexpr (std::is_same_v<OutStream, beast::tcp_stream>) {
            auto& socket = out.socket();
            beast::error_code ec;
            if (!socket.non_blocking()) {
                socket.non_blocking(true, ec);  // once per socket: would_block, never a wait
            }
            if (!ec) {
                http::write(socket, serializer, ec);
            }
            return !ec || ec == http::error::need_buffer;
        } else {
            return false;
        }
    }

    asio::awaitable<bool> discard_body(RequestParser& parser) {
        std::uint64_t discarded = 0;
        auto& body = parser.get().body();
        while (!parser.is_done()) {
            body.data = chunk_.get();
            body.size = kChunk;
            lowest(client_).expires_after(idle_timeout());
            auto [ec, bytes] = co_await http::async_read_some(client_, buffer_, parser, kAwait);
            if (ec && ec != http::error::need_buffer) {
                co_return false;
            }
            discarded += kChunk - body.size;
            if (discarded > kMaxDiscardedBody) {
                co_return false;
            }
        }
        co_return true;
    }

    // The load balancer's error page; the connection stays only when the request was read
    // whole.
    asio::awaitable<bool> fail(int status, const RequestParser& parser) {
        const bool keep = current_.keep_alive && parser.is_done() && !state_->closed;
        co_return co_await write_local(load_balancer_error(status), keep) && keep;
    }

    asio::awaitable<bool> write_local(const LocalAnswer& answer, bool keep_alive) {
        const std::string bytes =
            format_local_answer(answer, current_.version, keep_alive, current_.head_request);
        lowest(client_).expires_after(idle_timeout());
        auto [ec, written] = co_await asio::async_write(client_, asio::buffer(bytes), kAwait);
        co_return !ec;
    }

    std::shared_ptr<ListenerState> state_;
    Stream& client_;
    beast::flat_buffer buffer_;
    std::unique_ptr<char[]> chunk_;
    std::string source_ip_;
    Exchange current_;
};

}  // namespace

template <class Stream>
asio::awaitable<void> serve_client(std::shared_ptr<ListenerState> state, Stream& client) {
    ClientSession<Stream> session(std::move(state), client);
    co_await session.run();
}

template asio::awaitable<void> serve_client(std::shared_ptr<ListenerState>, beast::tcp_stream&);
template asio::awaitable<void> serve_client(std::shared_ptr<ListenerState>,
                                            beast::ssl_stream<beast::tcp_stream>&);

}  // namespace awsemu::proxy
