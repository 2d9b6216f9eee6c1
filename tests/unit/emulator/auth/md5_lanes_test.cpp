#include "emulator/auth/md5_lanes.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "emulator/auth/crypto.hpp"

namespace awsemu::auth {
namespace {

std::string hex(const Md5Digest& digest) {
    return hex_encode(
        std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string random_bytes_of(std::mt19937& random, std::size_t length) {
    std::string bytes(length, '\0');
    for (char& byte : bytes) {
        byte = static_cast<char>(random());
    }
    return bytes;
}

std::vector<std::string> hex_each(const std::vector<std::string>& inputs) {
    const std::vector<std::string_view> views(inputs.begin(), inputs.end());
    std::vector<std::string> answers;
    for (const Md5Digest& digest : md5_each(views)) {
        answers.push_back(hex(digest));
    }
    return answers;
}

// Every test below runs once for each path the hashing can take: the fastest the CPU has, and
// the ones it falls back to elsewhere. A path the CPU lacks falls back further, and is then
// checked again.
struct EachPath {
    EachPath() {
        const auto instructions = GENERATE(
            Md5Instructions::fastest, Md5Instructions::without_avx512, Md5Instructions::portable);
        md5_use_for_tests(instructions);
    }
    ~EachPath() { md5_use_for_tests(Md5Instructions::fastest); }
    EachPath(const EachPath&) = delete;
    EachPath& operator=(const EachPath&) = delete;
};

}  // namespace

TEST_CASE("md5_each answers RFC 1321's test values", "[auth][unit][md5_lanes]") {
    const EachPath path;
    const std::vector<std::string> inputs = {
        "",
        "a",
        "abc",
        "message digest",
        "abcdefghijklmnopqrstuvwxyz",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890"};
    CHECK(hex_each(inputs) ==
          std::vector<std::string>{
              "d41d8cd98f00b204e9800998ecf8427e", "0cc175b9c0f1b6a831c399e269772661",
              "900150983cd24fb0d6963f7d28e17f72", "f96b697d7cb7938d525a2f31aaf161d0",
              "c3fcd3d76192e4007dfb496cca67e13b", "d174ab98d277d9f5a5611c2c9f419d9f",
              "57edf4a22be3c955ac49da2e2107b67a"});
}

TEST_CASE("md5_each agrees with one-by-one MD5 whatever the lengths and the count",
          "[auth][unit][md5_lanes]") {
    const EachPath path;
    std::mt19937 random(20261124);
    // Lengths around the block and padding edges, and longer ones that share lanes unevenly.
    std::vector<std::size_t> lengths = {0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 4096};
    std::uniform_int_distribution<std::size_t> any_length(0, 9000);
    for (int count : {1, 2, 3, 7, 8, 9, 16, 17, 40}) {
        std::vector<std::string> inputs;
        for (int i = 0; i < count; ++i) {
            const std::size_t length =
                i % 2 == 0 ? lengths[(i / 2 + count) % lengths.size()] : any_length(random);
            inputs.push_back(random_bytes_of(random, length));
        }
        std::vector<std::string> one_by_one;
        for (const std::string& input : inputs) {
            one_by_one.push_back(md5_hex(input));
        }
        INFO("inputs: " << count);
        CHECK(hex_each(inputs) == one_by_one);
    }
}

TEST_CASE("a lone long input hashes as one-by-one MD5 does", "[auth][unit][md5_lanes]") {
    const EachPath path;
    // A lone input takes the one-chain path (AVX-512's steps where the CPU has them): every
    // step's table, rotation and word over thousands of blocks, carried from block to block.
    std::mt19937 random(24112026);
    const std::string input = random_bytes_of(random, (1 << 20) + 13);
    const std::vector<std::string_view> views = {input};
    CHECK(hex(md5_each(views).at(0)) == md5_hex(input));
}

TEST_CASE("md5_each of no inputs is no digests; an empty view may have no data",
          "[auth][unit][md5_lanes]") {
    const EachPath path;
    CHECK(md5_each({}).empty());
    const std::vector<std::string_view> views = {std::string_view(), "abc", std::string_view()};
    const auto digests = md5_each(views);
    REQUIRE(digests.size() == 3);
    CHECK(hex(digests[0]) == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(hex(digests[1]) == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(hex(digests[2]) == "d41d8cd98f00b204e9800998ecf8427e");
}

TEST_CASE("chains advanced together, from different starts, finish as one-by-one MD5s",
          "[auth][unit][md5_lanes]") {
    const EachPath path;
    std::mt19937 random(112026);
    for (const std::size_t count : {1, 2, 3, 8, 9, 17}) {
        // Chain k first runs k % 3 blocks alone, then 5 blocks beside the others, then ends
        // with a tail of any length up to a block.
        std::vector<std::string> messages;
        std::vector<Md5Chain> chains(count);
        std::vector<Md5Chain*> together;
        std::vector<const unsigned char*> data;
        for (std::size_t k = 0; k < count; ++k) {
            const std::size_t alone = k % 3;
            const std::size_t tail = (k * 29 + count) % kMd5Block;
            messages.push_back(random_bytes_of(random, (alone + 5) * kMd5Block + tail));
            const auto* bytes = reinterpret_cast<const unsigned char*>(messages[k].data());
            Md5Chain* chain = &chains[k];
            md5_advance({&chain, 1}, {&bytes, 1}, alone);
            together.push_back(chain);
            data.push_back(bytes + alone * kMd5Block);
        }
        md5_advance(together, data, 5);
        for (std::size_t k = 0; k < count; ++k) {
            INFO("chains: " << count << ", chain " << k);
            const std::string_view tail =
                std::string_view(messages[k]).substr(messages[k].size() / kMd5Block * kMd5Block);
            CHECK(hex(md5_finish(chains[k], tail, messages[k].size())) == md5_hex(messages[k]));
        }
    }
}

TEST_CASE("md5_finish pads every tail length as RFC 1321 does", "[auth][unit][md5_lanes]") {
    const EachPath path;
    std::mt19937 random(7);
    for (std::size_t tail = 0; tail < kMd5Block; ++tail) {
        const std::string message = random_bytes_of(random, kMd5Block + tail);
        Md5Chain chain;
        const auto* bytes = reinterpret_cast<const unsigned char*>(message.data());
        Md5Chain* one = &chain;
        md5_advance({&one, 1}, {&bytes, 1}, 1);
        INFO("tail: " << tail);
        CHECK(hex(md5_finish(chain, std::string_view(message).substr(kMd5Block), message.size())) ==
              md5_hex(message));
    }
    CHECK(hex(md5_finish(Md5Chain{}, {}, 0)) == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK_THROWS_AS(md5_finish(Md5Chain{}, std::string(kMd5Block, 'a'), kMd5Block),
                    std::invalid_argument);
}

}  // namespace awsemu::auth
