#include "emulator/http/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>

#include "emulator/http/answer_writer.hpp"
#include "emulator/http/client_socket.hpp"
#include "emulator/http/md5_batch.hpp"
#include "emulator/http/request_head.hpp"
#include "emulator/http/stream_buffer.hpp"
#include "emulator/http/wire_response.hpp"

namespace awsemu {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Room for a whole ordinary request per read.
constexpr std::size_t kReadBuffer = 16 * 1024;
// The most of a body read at once when it is not streamed.
constexpr std::size_t kBodyRead = 64 * 1024;
// The largest body a sink may take whole with its MD5 (RequestBodySink::takes_md5): held in
// memory while it waits for its batch.
constexpr std::uint64_t kBatchedMd5Body = 64 * 1024;
// The largest body a sink is offered: S3's 5 GiB single upload.
constexpr std::uint64_t kMaxStreamedBody = 5ULL * 1024 * 1024 * 1024;

HttpRequest to_request(const http::request_parser<http::string_body>& parser,
                       const std::string& remote_address) {
    const auto& message = parser.get();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    split_target(request);
    request.headers.reserve(
        static_cast<std::size_t>(std::distance(message.begin(), message.end())));
    for (const auto& field : message) {
        request.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    request.remote_address = remote_address;
    return request;
}

// A session's side of a deferred response: a one-slot channel the handler's responder fills
// from any thread and the session's coroutine waits on.
class SessionDeferral final : public ResponseDeferral {
  public:
    using Channel = asio::experimental::concurrent_channel<void(beast::error_code, HttpResponse)>;

    explicit SessionDeferral(asio::any_io_executor executor) : executor_(std::move(executor)) {}

    Responder defer() override {
        channel_ = std::make_shared<Channel>(executor_, 1);
        return [channel = channel_](HttpResponse response) {
            channel->try_send(beast::error_code{}, std::move(response));
        };
    }

    asio::awaitable<HttpResponse> response() {
        auto [ec, response] = co_await channel_->async_receive(asio::as_tuple(asio::use_awaitable));
        co_return std::move(response);
    }

  private:
    asio::any_io_executor executor_;
    std::shared_ptr<Channel> channel_;
};

// The largest answer handed to the AnswerWriter: one send on an idle connection's buffer.
constexpr std::size_t kHandedOffAnswer = 64 * 1024;
// Chunk buffers of one body streamed off the loop: one on the socket, the others with the
// workers (hashing and writing an upload, reading a download).
constexpr std::size_t kChunksInFlight = 3;

}  // namespace

class HttpServer::Impl {
  public:
    Impl(asio::io_context& io, HttpServerOptions options, RequestHandler& handler)
        : io_(io), options_(std::move(options)), handler_(handler), acceptor_(io) {}

    std::uint16_t start() {
        beast::error_code ec;
        const auto address = asio::ip::make_address(options_.host, ec);
        if (ec) {
            throw std::runtime_error("--host " + options_.host + " is not an IP address");
        }
        const tcp::endpoint endpoint(address, options_.port);
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind(endpoint, ec);
        if (ec) {
            throw std::runtime_error("cannot listen on " + options_.host + ":" +
                                     std::to_string(options_.port) + ": " + ec.message() +
                                     " (is another awsemu running? choose another --port)");
        }
        acceptor_.listen(asio::socket_base::max_listen_connections);
        asio::co_spawn(io_, accept_loop(), asio::detached);
        return acceptor_.local_endpoint().port();
    }

    void stop() {
        asio::post(io_, [this] {
            beast::error_code ignored;
            acceptor_.close(ignored);
        });
    }

    bool bodies_being_hashed() const { return md5_batch_.waiting(); }

  private:
    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] =
                co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
                co_return;
            }
            if (ec) {
                continue;  // e.g. too many open files: keep serving the connections we have
            }
            socket.set_option(tcp::no_delay(true), ec);
            asio::co_spawn(socket.get_executor(), session(std::move(socket)), asio::detached);
        }
    }

    // A connection's whole life. Its socket stays open until the AnswerWriter is done with it,
    // whatever way serve() ends: a closed descriptor's number goes to the next connection.
    asio::awaitable<void> session(tcp::socket socket) {
        ClientSocket stream(std::move(socket), options_.idle_timeout);
        std::exception_ptr failure;
        try {
            co_await serve(stream);
        } catch (...) {
            failure = std::current_exception();
        }
        if (!stream.writes->idle()) {
            stream.expires_after(options_.idle_timeout);
            co_await stream.answers_written();
        }
        if (failure) {
            std::rethrow_exception(failure);
        }
    }

    // Reads a request and answers it, until either side closes.
    asio::awaitable<void> serve(ClientSocket& stream) {
        beast::flat_buffer buffer;
        // Beast reads as much as the buffer has room for (at least 512 bytes): without room
        // reserved, a request of a few KiB takes a read system call per KiB.
        buffer.reserve(kReadBuffer);
        beast::error_code ec;
        // Once per connection: formatting the address costs as much as parsing the headers.
        const std::string remote_address =
            stream.socket().remote_endpoint(ec).address().to_string();
        for (;;) {
            switch (co_await serve_simple(stream, buffer, remote_address)) {
                case Simple::served:
                    continue;
                case Simple::last:
                    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
                    co_return;
                case Simple::gone:
                    co_return;
                case Simple::for_beast:
                    break;
            }
            http::request_parser<http::string_body> parser;
            // No limit while the head is read, so that an announced oversized body reaches
            // the check below and gets an AWS-shaped 413 rather than a parse error.
            parser.body_limit(boost::none);
            parser.header_limit(64 * 1024);
            stream.expires_after(options_.idle_timeout);
            auto [header_ec, header_bytes] = co_await http::async_read_header(
                stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            if (stream.timed_out()) {
                co_return;  // shut down: nothing more can be read or answered
            }
            if (header_ec) {
                if (header_ec != http::error::end_of_stream &&
                    header_ec != asio::error::connection_reset && header_ec != asio::error::eof) {
                    co_await reply_and_close(stream,
                                             handler_.reject_malformed(header_ec.message()));
                }
                co_return;
            }
            // The previous answer is written before this request is worked on: nothing else
            // is written meanwhile (answers stay in order), a handler's time without deadline
            // never covers a write, and a client found gone is not served further.
            if (!stream.writes->idle()) {
                co_await stream.answers_written();
            }
            if (stream.writes->broken() || stream.timed_out()) {
                co_return;
            }
            HttpRequest head = to_request(parser, remote_address);
            const unsigned version = parser.get().version();
            std::shared_ptr<RequestBodySink> sink = handler_.body_sink_for(head);
            const std::uint64_t limit = sink ? kMaxStreamedBody : options_.max_body_size;
            if (parser.content_length() && *parser.content_length() > limit) {
                co_await reply_and_close(stream, handler_.reject_oversized(head, limit));
                co_return;
            }
            if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
                http::response<http::empty_body> proceed{http::status::continue_, version};
                auto [continue_ec, continue_bytes] = co_await http::async_write(
                    stream, proceed, asio::as_tuple(asio::use_awaitable));
                if (continue_ec) {
                    co_return;
                }
            }
            bool keep_alive = parser.get().keep_alive();
            if (sink) {
                // A body of one chunk or less gains nothing from a worker but the hand-over.
                const bool off_loop =
                    sink->off_loop_lanes() > 0 &&
                    parser.content_length().value_or(kStreamChunk + 1) > kStreamChunk;
                http::request_parser<http::buffer_body> streaming{std::move(parser)};
                streaming.body_limit(limit);
                const bool received =
                    off_loop ? co_await stream_body_off_loop(stream, buffer, streaming, sink)
                             : co_await stream_body(stream, buffer, streaming, *sink);
                if (!received) {
                    co_return;
                }
                keep_alive = streaming.get().keep_alive();
                head.body_sink = std::move(sink);
                if (!co_await answer(stream, head, version, keep_alive) || !keep_alive) {
                    break;
                }
                continue;
            }
            parser.body_limit(options_.max_body_size);
            auto [body_ec, body_bytes] = co_await http::async_read(
                stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            if (stream.timed_out()) {
                co_return;
            }
            if (body_ec == http::error::body_limit) {
                co_await reply_and_close(stream,
                                         handler_.reject_oversized(head, options_.max_body_size));
                co_return;
            }
            if (body_ec) {
                if (body_ec != http::error::end_of_stream &&
                    body_ec != http::error::partial_message && body_ec != asio::error::eof) {
                    co_await reply_and_close(stream, handler_.reject_malformed(body_ec.message()));
                }
                co_return;
            }
            head.body = std::move(parser.get().body());
            if (!co_await answer(stream, head, version, keep_alive) || !keep_alive) {
                break;
            }
        }
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    enum class Simple {
        served,     // answered; the connection stays open for the next request
        last,       // answered, and the connection closes (Connection: close, or a failed write)
        gone,       // the connection is over: closed, timed out, broken or refused
        for_beast,  // not a simple request: Beast reads it from the bytes buffered so far
    };

    // One request whose head parse_simple_head() takes and whose body is at most one stream
    // chunk: read, handed to the handler and answered without Beast. Reads into `buffer` until
    // the head is whole, and consumes nothing of it when the request turns out to be Beast's.
    asio::awaitable<Simple> serve_simple(ClientSocket& stream, beast::flat_buffer& buffer,
                                         const std::string& remote_address) {
        SimpleRequestHead parsed;
        // As on Beast's path, the whole request (its head and a body that is not streamed)
        // must arrive within one idle timeout.
        stream.expires_after(options_.idle_timeout);
        std::size_t searched = 0;  // bytes known to hold no end of head
        for (;;) {
            const std::string_view buffered(static_cast<const char*>(buffer.data().data()),
                                            buffer.size());
            const HeadParse result = parse_simple_head(buffered, parsed, searched);
            if (result == HeadParse::complete) {
                break;
            }
            if (result == HeadParse::not_simple || buffer.size() >= kReadBuffer) {
                co_return Simple::for_beast;  // a head of 16 KiB or more is Beast's (64 KiB)
            }
            searched = buffered.size() < 3 ? 0 : buffered.size() - 3;
            auto [ec, bytes] = co_await stream.async_read_some(
                buffer.prepare(kReadBuffer - buffer.size()), asio::as_tuple(asio::use_awaitable));
            buffer.commit(bytes);
            if (stream.timed_out()) {
                co_return Simple::gone;
            }
            if (ec) {
                // A head cut short by the end of the stream is Beast's to answer (400, as it
                // always was); any other failure ends the connection quietly.
                const bool partial_head = ec == asio::error::eof && buffer.size() > 0;
                co_return partial_head ? Simple::for_beast : Simple::gone;
            }
        }
        if (parsed.content_length > kStreamChunk) {
            co_return Simple::for_beast;  // streamed in chunks, maybe off the loop
        }
        // As in serve(): the previous answer is written before this request is worked on.
        if (!stream.writes->idle()) {
            co_await stream.answers_written();
        }
        if (stream.writes->broken() || stream.timed_out()) {
            co_return Simple::gone;
        }
        buffer.consume(parsed.head_size);
        HttpRequest& request = parsed.request;
        request.remote_address = remote_address;
        std::shared_ptr<RequestBodySink> sink = handler_.body_sink_for(request);
        const std::uint64_t limit = sink ? kMaxStreamedBody : options_.max_body_size;
        if (parsed.content_length > limit) {
            co_await reply_and_close(stream, handler_.reject_oversized(request, limit));
            co_return Simple::gone;
        }
        if (parsed.expect_continue) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            auto [ec, written] = co_await asio::async_write(stream, asio::buffer(kContinue),
                                                            asio::as_tuple(asio::use_awaitable));
            if (ec) {
                co_return Simple::gone;
            }
        }
        if (sink && sink->takes_md5() && parsed.content_length > 0 &&
            parsed.content_length <= kBatchedMd5Body) {
            std::string body;
            stream.expires_after(options_.idle_timeout);  // as for any sink's body
            if (!co_await read_simple_body(stream, buffer, parsed.content_length, body, nullptr)) {
                co_return Simple::gone;
            }
            sink->write_digested(body, co_await md5_batch_.digest(body));
        } else if (!co_await read_simple_body(stream, buffer, parsed.content_length, request.body,
                                              sink.get())) {
            co_return Simple::gone;
        }
        if (sink) {
            sink->finish();
            request.body_sink = std::move(sink);
        }
        if (!co_await answer(stream, request, 11, parsed.keep_alive) || !parsed.keep_alive) {
            co_return Simple::last;
        }
        co_return Simple::served;
    }

    // A body of `length` bytes, those buffered first, into `sink` or else `body`; false
    // when the client went away first (a sink is then not finished).
    asio::awaitable<bool> read_simple_body(ClientSocket& stream, beast::flat_buffer& buffer,
                                           std::uint64_t length, std::string& body,
                                           RequestBodySink* sink) {
        if (sink) {
            stream.expires_after(options_.idle_timeout);  // as read_chunk() does for a chunk
        } else {
            body.reserve(length);
        }
        for (std::uint64_t remaining = length;;) {
            const std::size_t take = std::min<std::uint64_t>(remaining, buffer.size());
            if (take > 0) {
                const std::string_view bytes(static_cast<const char*>(buffer.data().data()), take);
                if (sink) {
                    sink->write(bytes);
                } else {
                    body.append(bytes);
                }
                buffer.consume(take);
                remaining -= take;
            }
            if (remaining == 0) {
                co_return true;
            }
            auto [ec, bytes] = co_await stream.async_read_some(
                buffer.prepare(std::min<std::uint64_t>(remaining, kBodyRead)),
                asio::as_tuple(asio::use_awaitable));
            buffer.commit(bytes);
            if (ec || stream.timed_out()) {
                co_return false;
            }
        }
    }

    // Hands the request to the handler (waiting for a deferred answer) and writes the answer, or
    // hands it to the AnswerWriter (serve() saw the connection idle before it read the body);
    // false when the connection is broken.
    asio::awaitable<bool> answer(ClientSocket& stream, const HttpRequest& request, unsigned version,
                                 bool keep_alive) {
        stream.expires_never();  // the handler takes the time it takes (a long poll: 20 s)
        SessionDeferral deferral(stream.get_executor());
        std::optional<HttpResponse> answer = handler_.handle(request, deferral);
        if (!answer) {
            answer = co_await deferral.response();
        }
        auto response = to_wire(std::move(*answer), version, keep_alive, request.method == "HEAD");
        if (keep_alive && !response.body_source &&
            response.head.size() + response.body.size() <= kHandedOffAnswer) {
            response.head += response.body;
            hand_to_writer(stream, std::move(response.head));
            co_return true;  // a broken connection shows in the next read, or in broken()
        }
        stream.expires_after(options_.idle_timeout);
        auto [write_ec, written] = co_await asio::async_write(stream, response.buffers(),
                                                              asio::as_tuple(asio::use_awaitable));
        if (write_ec) {
            co_return false;
        }
        if (!response.body_source) {
            co_return true;
        }
        const std::uint64_t sent = response.body_source->size() > kStreamChunk
                                       ? co_await send_body_off_loop(stream, response.body_source)
                                       : co_await send_body(stream, *response.body_source);
        // A body that ended before its Content-Length (its file shrank, or a read failed, or
        // the client went away): the connection cannot carry another answer, so it closes and
        // the client sees the body cut short.
        co_return sent == response.body_source->size();
    }

    // Queues a whole answer for the AnswerWriter, and wakes it once the answers given in this
    // turn of the event loop (a group commit's, typically) are all queued: waking a sleeping
    // thread costs a futex call and a context switch each time, and halving their number took
    // about 2 us of CPU off a SendMessage.
    void hand_to_writer(ClientSocket& stream, std::string answer) {
        writer_.queue(stream.writes, std::move(answer));
        if (!writer_wake_posted_) {
            writer_wake_posted_ = true;
            asio::post(io_, [this] {
                writer_wake_posted_ = false;
                writer_.wake();
            });
        }
    }

    // Sends a response body a chunk at a time, read on the loop; answers the bytes sent.
    asio::awaitable<std::uint64_t> send_body(ClientSocket& stream, ResponseBodySource& source) {
        StreamBuffer chunk;
        std::uint64_t sent = 0;
        while (const std::size_t n = source.read(chunk.data(), chunk.size())) {
            if (!co_await send_chunk(stream, chunk.data(), n)) {
                break;
            }
            sent += n;
        }
        co_return sent;
    }

    // send_body for a body of several chunks: a worker reads the next chunks (a file read
    // waits for the disk) while the loop sends the one before, so a large download takes as
    // long as the slower of the two rather than both, and the loop serves other connections
    // while the disk works. Every read has ended when this returns (the client may have gone
    // away): the buffers and the source stay the loop's.
    asio::awaitable<std::uint64_t> send_body_off_loop(ClientSocket& stream,
                                                      std::shared_ptr<ResponseBodySource> source) {
        const auto read = std::make_shared<ReadChunks>(stream.get_executor(), kChunksInFlight);
        StreamBuffer chunks[kChunksInFlight];
        const auto reader = asio::make_strand(workers().get_executor());
        // A read may give less than a chunk (the end of a part's file): reads go on until the
        // bytes received make the body, or one gives nothing.
        const std::uint64_t size = source->size();
        std::uint64_t received = 0;
        bool ended = false;
        std::size_t reading = 0;
        const auto read_into = [&](std::size_t index) {
            if (ended || received >= size) {
                return;
            }
            ++reading;
            asio::post(reader, [source, read, index, chunk = chunks[index].data()] {
                std::size_t n = 0;
                try {
                    n = source->read(chunk, kStreamChunk);
                } catch (const std::exception&) {
                    // as a read that fails: the body ends short and the connection closes
                }
                read->try_send(beast::error_code{}, index, n);
            });
        };
        for (std::size_t index = 0; index < kChunksInFlight; ++index) {
            read_into(index);
        }
        std::uint64_t sent = 0;
        bool sending = true;
        while (reading > 0) {
            stream.expires_never();  // the disk takes the time it takes
            auto [ec, index, n] = co_await read->async_receive(asio::as_tuple(asio::use_awaitable));
            --reading;
            ended = ended || n == 0;
            received += n;
            sending = sending && n > 0 && co_await send_chunk(stream, chunks[index].data(), n);
            if (sending) {
                sent += n;
                read_into(index);
            }
        }
        co_return sent;
    }
    // The index of a chunk buffer a read filled, and how many bytes it holds (0: the body
    // ended early).
    using ReadChunks =
        asio::experimental::concurrent_channel<void(beast::error_code, std::size_t, std::size_t)>;

    asio::awaitable<bool> send_chunk(ClientSocket& stream, const char* data, std::size_t size) {
        stream.expires_after(options_.idle_timeout);
        auto [ec, written] = co_await asio::async_write(stream, asio::buffer(data, size),
                                                        asio::as_tuple(asio::use_awaitable));
        co_return !ec;
    }

    // Reads a body into `sink` a chunk at a time; false when the client went away or sent
    // something that is not HTTP (the sink is then never finished).
    asio::awaitable<bool> stream_body(ClientSocket& stream, beast::flat_buffer& buffer,
                                      http::request_parser<http::buffer_body>& parser,
                                      RequestBodySink& sink) {
        StreamBuffer chunk;
        while (!parser.is_done()) {
            const auto received = co_await read_chunk(stream, buffer, parser, chunk);
            if (!received) {
                co_return false;
            }
            sink.write(*received);
        }
        sink.finish();
        co_return true;
    }

    // stream_body for a sink that writes off the loop: each chunk received goes to every lane
    // of the sink, a strand each on the worker threads, while the next chunk is received into
    // another buffer. Lanes keep their own pace (MD5 need not wait for the disk), so a large
    // upload's hashing and disk writes overlap its network reads and each other, and the event
    // loop does none of them. A buffer is read into again once every lane has written it.
    asio::awaitable<bool> stream_body_off_loop(ClientSocket& stream, beast::flat_buffer& buffer,
                                               http::request_parser<http::buffer_body>& parser,
                                               std::shared_ptr<RequestBodySink> sink) {
        const auto written =
            std::make_shared<WrittenChunks>(stream.get_executor(), kChunksInFlight);
        std::vector<asio::strand<asio::thread_pool::executor_type>> lanes;
        for (int lane = 0; lane < sink->off_loop_lanes(); ++lane) {
            lanes.push_back(asio::make_strand(workers().get_executor()));
        }
        StreamBuffer chunks[kChunksInFlight];
        std::vector<std::size_t> free_chunks(kChunksInFlight);
        std::iota(free_chunks.begin(), free_chunks.end(), 0);
        // A body of known length is read from the socket straight into the chunk buffers,
        // which the parser would have read into `buffer` 64 KiB at a time and copied over.
        std::optional<std::uint64_t> direct_left;
        if (!parser.chunked() && parser.content_length()) {
            direct_left = *parser.content_length();  // the head alone is parsed yet
        }
        bool received_all = true;
        while (direct_left ? *direct_left > 0 : !parser.is_done()) {
            if (free_chunks.empty()) {
                free_chunks.push_back(co_await next_written(stream, *written));
            }
            const std::size_t index = free_chunks.back();
            free_chunks.pop_back();
            const auto received =
                direct_left ? co_await read_body_chunk(stream, buffer, *direct_left, chunks[index])
                            : co_await read_chunk(stream, buffer, parser, chunks[index]);
            if (!received) {
                free_chunks.push_back(index);
                received_all = false;
                break;
            }
            if (direct_left) {
                *direct_left -= received->size();
            }
            // The lane that finishes the chunk last hands its buffer back.
            const auto pending = std::make_shared<std::atomic<std::size_t>>(lanes.size());
            for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
                asio::post(lanes[lane], [sink, written, pending, lane, index, bytes = *received] {
                    sink->write_lane(static_cast<int>(lane), bytes, [written, pending, index] {
                        if (pending->fetch_sub(1) == 1) {
                            written->try_send(beast::error_code{}, index);
                        }
                    });
                });
            }
        }
        while (free_chunks.size() < kChunksInFlight) {
            free_chunks.push_back(co_await next_written(stream, *written));
        }
        if (received_all) {
            sink->finish();
        }
        co_return received_all;
    }

    // The index of a chunk buffer every lane has written, as lanes finish them.
    using WrittenChunks =
        asio::experimental::concurrent_channel<void(beast::error_code, std::size_t)>;
    // No deadline while it waits: the lanes (disk, hashing) take the time they take.
    static asio::awaitable<std::size_t> next_written(ClientSocket& stream, WrittenChunks& written) {
        stream.expires_never();
        auto [ec, index] = co_await written.async_receive(asio::as_tuple(asio::use_awaitable));
        co_return index;
    }

    // The next chunk of a body of which `left` bytes are still to come, read into `chunk` past
    // the parser: the bytes already in `buffer` first, then from the socket until the chunk is
    // full or the body whole. Nothing when the client went away or stopped sending.
    asio::awaitable<std::optional<std::string_view>> read_body_chunk(ClientSocket& stream,
                                                                     beast::flat_buffer& buffer,
                                                                     std::uint64_t left,
                                                                     StreamBuffer& chunk) {
        const std::size_t want =
            static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
        const std::size_t buffered = std::min(buffer.size(), want);
        asio::buffer_copy(asio::buffer(chunk.data(), buffered), buffer.data());
        buffer.consume(buffered);
        std::size_t filled = buffered;
        while (filled < want) {
            stream.expires_after(options_.idle_timeout);
            auto [ec, n] =
                co_await stream.async_read_some(asio::buffer(chunk.data() + filled, want - filled),
                                                asio::as_tuple(asio::use_awaitable));
            if (ec || stream.timed_out()) {
                co_return std::nullopt;
            }
            filled += n;
        }
        co_return std::string_view(chunk.data(), filled);
    }

    // One read of a streamed body into `chunk`: the bytes it holds now, or nothing when the
    // client went away or sent something that is not HTTP.
    asio::awaitable<std::optional<std::string_view>> read_chunk(
        ClientSocket& stream, beast::flat_buffer& buffer,
        http::request_parser<http::buffer_body>& parser, StreamBuffer& chunk) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        stream.expires_after(options_.idle_timeout);
        auto [ec, bytes] =
            co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        if (ec == http::error::need_buffer) {
            ec = {};
        }
        if (stream.timed_out()) {
            co_return std::nullopt;
        }
        if (ec) {
            if (ec == http::error::body_limit) {
                co_await reply_and_close(stream, handler_.reject_malformed("body too large"));
            }
            co_return std::nullopt;
        }
        co_return std::string_view(chunk.data(), chunk.size() - parser.get().body().size);
    }

    // Threads for sinks' writes off the loop, one per core; started by the first large upload.
    asio::thread_pool& workers() {
        std::call_once(workers_started_, [this] {
            workers_.emplace(std::max(1u, std::thread::hardware_concurrency()));
        });
        return *workers_;
    }

    asio::awaitable<void> reply_and_close(ClientSocket& stream, HttpResponse response) {
        const auto message = to_wire(std::move(response), 11, false, false);
        if (!stream.writes->idle()) {
            stream.expires_after(options_.idle_timeout);
            co_await stream.answers_written();  // e.g. a malformed request pipelined after one
        }
        stream.expires_after(std::chrono::seconds(5));
        co_await asio::async_write(stream, message.buffers(), asio::as_tuple(asio::use_awaitable));
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    asio::io_context& io_;
    HttpServerOptions options_;
    RequestHandler& handler_;
    tcp::acceptor acceptor_;
    std::once_flag workers_started_;
    std::optional<asio::thread_pool> workers_;
    AnswerWriter writer_;
    bool writer_wake_posted_ = false;  // hand_to_writer() posted a wake-up not run yet
    Md5Batch md5_batch_{io_};
};

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, RequestHandler& handler)
    : impl_(std::make_unique<Impl>(io, std::move(options), handler)) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::start() {
    return impl_->start();
}

void HttpServer::stop() {
    impl_->stop();
}

bool HttpServer::bodies_being_hashed() const {
    return impl_->bodies_being_hashed();
}

}  // namespace awsemu
