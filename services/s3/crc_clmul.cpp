#include "services/s3/crc_clmul.hpp"

#include <atomic>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace awsemu::s3 {
namespace {
std::atomic<bool> clmul_allowed{true};
}  // namespace

void allow_clmul(bool allowed) {
    clmul_allowed.store(allowed, std::memory_order_relaxed);
}

#if defined(__x86_64__)

bool clmul_available() {
    static const bool available = __builtin_cpu_supports("pclmul") != 0;
    return available && clmul_allowed.load(std::memory_order_relaxed);
}

namespace {

// The register moved `constants` along and its halves multiplied back into 128 bits: the low
// half holds the higher powers of x (reflection), so it takes the larger constant.
__attribute__((target("pclmul"))) inline __m128i fold(__m128i value, __m128i constants) {
    return _mm_xor_si128(_mm_clmulepi64_si128(value, constants, 0x00),
                         _mm_clmulepi64_si128(value, constants, 0x11));
}

__attribute__((target("pclmul"))) inline __m128i constants_of(
    const std::array<std::uint64_t, 2>& stride) {
    return _mm_set_epi64x(static_cast<long long>(stride[1]), static_cast<long long>(stride[0]));
}

__attribute__((target("pclmul"))) inline __m128i load(const unsigned char* p) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

}  // namespace

__attribute__((target("pclmul"))) std::array<unsigned char, 16> clmul_fold(
    const ClmulFoldConstants& constants, std::uint64_t crc, const unsigned char* data,
    std::size_t size) {
    // Lane k holds the 16-byte blocks 4i + k; each step moves every lane 512 bits along.
    __m128i lanes[4] = {_mm_xor_si128(load(data), _mm_set_epi64x(0, static_cast<long long>(crc))),
                        load(data + 16), load(data + 32), load(data + 48)};
    const __m128i by512 = constants_of(constants.stride[3]);
    for (std::size_t at = 64; at < size; at += 64) {
        for (int k = 0; k < 4; ++k) {
            lanes[k] = _mm_xor_si128(fold(lanes[k], by512), load(data + at + 16 * k));
        }
    }
    // Lane k ends 3 - k blocks before the data does.
    __m128i joined = lanes[3];
    for (int k = 0; k < 3; ++k) {
        joined = _mm_xor_si128(joined, fold(lanes[k], constants_of(constants.stride[2 - k])));
    }
    std::array<unsigned char, 16> out{};
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data()), joined);
    return out;
}

#else

bool clmul_available() {
    return false;
}

std::array<unsigned char, 16> clmul_fold(const ClmulFoldConstants&, std::uint64_t,
                                         const unsigned char*, std::size_t) {
    return {};
}

#endif

}  // namespace awsemu::s3
