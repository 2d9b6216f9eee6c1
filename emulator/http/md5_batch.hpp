#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <string_view>
#include <vector>

#include "emulator/auth/md5_lanes.hpp"

namespace awsemu {

// The MD5s of the request bodies that arrive in one turn of the event loop, worked out side by
// side (auth::md5_each): under load, many connections' uploads arrive together, and eight
// cost about what one costs alone. A body waits only for the requests already queued on the
// loop; a lone body is hashed as it would have been.
class Md5Batch {
  public:
    explicit Md5Batch(boost::asio::io_context& io) : io_(io) {}
    Md5Batch(const Md5Batch&) = delete;
    Md5Batch& operator=(const Md5Batch&) = delete;

    // The MD5 of `bytes`, which must stay as they are until it answers. On the loop's thread.
    boost::asio::awaitable<auth::Md5Digest> digest(std::string_view bytes);
    // Bodies wait for the next batch, whose requests go on when it is done.
    bool waiting() const { return !waiting_.empty(); }

  private:
    struct Waiting {
        std::string_view bytes;
        auth::Md5Digest* answer;
        boost::asio::any_completion_handler<void()> resume;
    };
    // Hashes every waiting body and resumes each waiter.
    void run();

    boost::asio::io_context& io_;
    std::vector<Waiting> waiting_;
};

}  // namespace awsemu
