#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

// MD5 of several inputs at once. One MD5 is a chain of dependent 32-bit steps that leaves most
// of a core idle; eight run side by side in the lanes of AVX2 registers for about the time one
// takes alone. A server hashing the bodies of many small uploads gains most of a hash per body.
namespace awsemu::auth {

using Md5Digest = std::array<unsigned char, 16>;

// The MD5 of each input, in order, exactly as one-by-one hashing answers it. Inputs run eight
// at a time where the CPU has AVX2; otherwise, and for a lone input, one by one (AVX-512's
// one-chain steps where the CPU has them, else OpenSSL's).
std::vector<Md5Digest> md5_each(std::span<const std::string_view> inputs);

inline constexpr std::size_t kMd5Block = 64;

// MD5's chaining words (RFC 1321's A, B, C, D) after some whole 64-byte blocks of a message:
// what carries one message's hashing from piece to piece.
struct Md5Chain {
    std::uint32_t words[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
};

// Moves chains[k] over the `blocks` whole blocks at data[k], for every k: side by side in lanes
// where the CPU has AVX2 and there are several chains, else one by one (as md5_each).
void md5_advance(std::span<Md5Chain* const> chains, std::span<const unsigned char* const> data,
                 std::size_t blocks);

// The MD5 of a message of `length` bytes from its chain after every whole block and the bytes
// after them (fewer than a block).
Md5Digest md5_finish(Md5Chain chain, std::string_view tail, std::uint64_t length);

// The instructions the hashing above takes: the fastest the CPU has, or, so that tests check
// each path on one machine, AVX2's lanes without AVX-512 (one chain then goes through
// OpenSSL), or neither (every input one by one through OpenSSL). For tests: it changes the
// path of every thread.
enum class Md5Instructions { fastest, without_avx512, portable };
void md5_use_for_tests(Md5Instructions instructions);

}  // namespace awsemu::auth
