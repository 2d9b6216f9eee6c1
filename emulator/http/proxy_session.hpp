#pragma once

#include <memory>

#include <boost/asio/awaitable.hpp>

// Internal to the reverse proxy (emulator/http only).
namespace awsemu::proxy {

struct ListenerState;

// A client connection's whole life on a listener: read a request head, ask the routes, answer
// or forward, until either side closes or the listener does. Runs on the event loop;
// never throws. Stream: beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>, already
// handshaken.
template <class Stream>
boost::asio::awaitable<void> serve_client(std::shared_ptr<ListenerState> state, Stream& client);

}  // namespace awsemu::proxy
