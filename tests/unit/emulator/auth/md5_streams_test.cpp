#include "emulator/auth/md5_streams.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "emulator/auth/crypto.hpp"

namespace awsemu::auth {
namespace {

std::string hex(const Md5Digest& digest) {
    return hex_encode(
        std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string pattern(std::size_t length, unsigned seed) {
    std::mt19937 random(seed);
    std::string bytes(length, '\0');
    for (char& byte : bytes) {
        byte = static_cast<char>(random());
    }
    return bytes;
}

}  // namespace

TEST_CASE("a stream fed in pieces of any size has the MD5 of their concatenation",
          "[auth][unit][md5_streams]") {
    Md5Streams streams;
    const std::string message = pattern(70000, 1);
    const auto stream = std::make_shared<Md5Streams::Stream>();
    int done = 0;
    std::size_t at = 0;
    // Pieces that end inside a block, fill one exactly, and span many.
    for (const std::size_t size : {0, 1, 62, 1, 64, 65, 127, 4096, 3, 60, 5000}) {
        streams.update(stream, std::string_view(message).substr(at, size), [&done] { ++done; });
        at += size;
    }
    streams.update(stream, std::string_view(message).substr(at), [&done] { ++done; });
    CHECK(done == 12);  // alone, each update hashes its own piece before it returns
    CHECK(hex(stream->digest()) == md5_hex(message));
    CHECK(hex(Md5Streams::Stream().digest()) == "d41d8cd98f00b204e9800998ecf8427e");
}

TEST_CASE("a piece given while another thread hashes is hashed by that thread",
          "[auth][unit][md5_streams]") {
    Md5Streams streams;
    const std::string first = pattern(1000, 2);
    const std::string second = pattern(3000, 3);
    const auto one = std::make_shared<Md5Streams::Stream>();
    const auto two = std::make_shared<Md5Streams::Stream>();
    bool second_done = false;
    bool second_done_when_its_update_returned = true;
    // The first piece's done() runs while its thread is the one hashing: an update then only
    // leaves its piece, which the same thread takes on its next round.
    streams.update(one, first, [&] {
        streams.update(two, second, [&] { second_done = true; });
        second_done_when_its_update_returned = second_done;
    });
    CHECK_FALSE(second_done_when_its_update_returned);
    CHECK(second_done);
    CHECK(hex(one->digest()) == md5_hex(first));
    CHECK(hex(two->digest()) == md5_hex(second));
}

TEST_CASE("streams fed by several threads at once each get their own MD5",
          "[auth][unit][md5_streams]") {
    Md5Streams streams;
    constexpr int kThreads = 6;
    std::vector<std::string> messages;
    std::vector<std::shared_ptr<Md5Streams::Stream>> hashed;
    for (int k = 0; k < kThreads; ++k) {
        messages.push_back(pattern(300000 + 4099 * k, 10 + k));
        hashed.push_back(std::make_shared<Md5Streams::Stream>());
    }
    std::atomic<int> pieces_given = 0;
    std::atomic<int> pieces_done = 0;
    std::vector<std::thread> threads;
    for (int k = 0; k < kThreads; ++k) {
        threads.emplace_back([&, k] {
            std::mt19937 random(k);
            std::uniform_int_distribution<std::size_t> piece_size(1, 20000);
            const std::string_view message = messages[k];
            for (std::size_t at = 0; at < message.size();) {
                const std::size_t size = std::min(piece_size(random), message.size() - at);
                ++pieces_given;
                streams.update(hashed[k], message.substr(at, size), [&] { ++pieces_done; });
                at += size;
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    // The last thread hashing stops only when nothing waits: every piece is done by now.
    CHECK(pieces_done == pieces_given);
    for (int k = 0; k < kThreads; ++k) {
        INFO("stream " << k);
        CHECK(hex(hashed[k]->digest()) == md5_hex(messages[k]));
    }
}

}  // namespace awsemu::auth
