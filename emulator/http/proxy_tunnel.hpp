#pragma once

#include <chrono>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "emulator/http/upstream_pool.hpp"

// Internal to the reverse proxy (emulator/http only).
namespace awsemu::proxy {

// After a target agreed to an upgrade (101 Switching Protocols): copies bytes both ways, those
// already read along with the heads first, until either side closes or no byte has moved
// either way for `idle_timeout`. Never throws. Client: beast::tcp_stream or
// beast::ssl_stream<beast::tcp_stream>.
template <class Client>
boost::asio::awaitable<void> tunnel(Client& client, boost::beast::flat_buffer& client_buffer,
                                    UpstreamConnection& upstream,
                                    std::chrono::milliseconds idle_timeout);

}  // namespace awsemu::proxy
