#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/beast/core/error.hpp>

#include "emulator/http/answer_writer.hpp"
#include "emulator/http/idle_limited_socket.hpp"

namespace awsemu {

// A client's connection: its socket, and whether an answer of its is in the AnswerWriter's
// hands (nothing else may be written until that one is).
struct ClientSocket : IdleLimitedSocket {
    using Wake = boost::asio::experimental::concurrent_channel<void(boost::beast::error_code)>;

    ClientSocket(boost::asio::ip::tcp::socket accepted, std::chrono::seconds idle_timeout)
        : IdleLimitedSocket(std::move(accepted)) {
        auto executor = get_executor();
        auto wake_channel = std::make_shared<Wake>(executor, 1);
        wake = wake_channel;
        // The rest of an answer the client's full buffer did not take, written by the loop.
        auto finish_on_loop = [this, executor, idle_timeout](
                                  std::shared_ptr<AnswerWriter::Connection> connection,
                                  std::string rest) {
            boost::asio::post(executor, [this, idle_timeout, connection = std::move(connection),
                                         rest = std::make_shared<std::string>(std::move(rest))] {
                expires_after(idle_timeout);
                boost::asio::async_write(*this, boost::asio::buffer(*rest),
                                         [this, idle_timeout, connection, rest](
                                             boost::beast::error_code ec, std::size_t) {
                                             if (ec) {
                                                 connection->failed();
                                             } else {
                                                 expires_after(idle_timeout);  // idle from now on
                                             }
                                             connection->written();
                                         });
            });
        };
        writes = std::make_shared<AnswerWriter::Connection>(
            socket().native_handle(), std::move(finish_on_loop),
            [wake_channel] { wake_channel->try_send(boost::beast::error_code{}); });
    }
    ClientSocket(const ClientSocket&) = delete;
    ClientSocket& operator=(const ClientSocket&) = delete;

    // Until the answer in the writer's hands (if any) is written. Called with a deadline set:
    // the rest of an answer handed back to the loop is written under it.
    boost::asio::awaitable<void> answers_written() {
        while (!writes->idle()) {
            writes->waiting();
            if (writes->idle()) {
                break;
            }
            co_await wake->async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
        }
    }

    std::shared_ptr<AnswerWriter::Connection> writes;
    std::shared_ptr<Wake> wake;
};

}  // namespace awsemu
