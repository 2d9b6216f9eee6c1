#include "emulator/http/md5_batch.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "emulator/auth/crypto.hpp"

namespace awsemu {
namespace {

namespace asio = boost::asio;

std::string hex(const auth::Md5Digest& digest) {
    return auth::hex_encode(
        std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace

TEST_CASE("Md5Batch answers each waiter the MD5 of its own bytes", "[http][unit][md5_batch]") {
    asio::io_context io;
    Md5Batch batch(io);
    std::vector<std::string> bodies;
    for (int i = 0; i < 21; ++i) {
        bodies.push_back(std::string(static_cast<std::size_t>(i * 97), static_cast<char>('a' + i)));
    }
    std::vector<std::string> answers(bodies.size());
    // All ask in the same turn of the loop (one batch of 21: three groups of lanes), and one
    // asks again afterwards (a batch of its own).
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        asio::co_spawn(
            io,
            [&, i]() -> asio::awaitable<void> {
                answers[i] = hex(co_await batch.digest(bodies[i]));
                if (i == 0) {
                    answers[i] += " " + hex(co_await batch.digest("again"));
                }
            },
            asio::detached);
    }
    io.run();
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        INFO("body " << i);
        CHECK(answers[i] ==
              auth::md5_hex(bodies[i]) + (i == 0 ? " " + auth::md5_hex("again") : ""));
    }
}

}  // namespace awsemu
