#include "emulator/auth/md5_lanes.hpp"

#include <openssl/md5.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace awsemu::auth {

namespace {

constexpr std::size_t kBlock = kMd5Block;

// The digest's bytes: the chaining words, each little-endian.
Md5Digest digest_of(const std::uint32_t* words) {
    Md5Digest digest{};
    for (int i = 0; i < 4; ++i) {
        for (int byte = 0; byte < 4; ++byte) {
            digest[4 * i + byte] = static_cast<unsigned char>(words[i] >> (8 * byte));
        }
    }
    return digest;
}

// Writes a message's end into `end` (room for two blocks): the bytes after its last whole
// block, 0x80, zeros and its length in bits; answers how many blocks that fills, 1 or 2.
std::size_t pad_end(unsigned char* end, std::string_view tail, std::uint64_t length) {
    std::memset(end, 0, 2 * kBlock);
    if (!tail.empty()) {  // an empty view's data may be null
        std::memcpy(end, tail.data(), tail.size());
    }
    end[tail.size()] = 0x80;
    const std::size_t blocks = tail.size() < kBlock - 8 ? 1 : 2;
    const std::uint64_t bits = length * 8;
    for (int i = 0; i < 8; ++i) {  // little-endian, as RFC 1321 has it
        end[blocks * kBlock - 8 + i] = static_cast<unsigned char>(bits >> (8 * i));
    }
    return blocks;
}

// The chaining words of a running MD5 are only reachable through OpenSSL's MD5_CTX, which
// OpenSSL 3 deprecates (EVP's contexts hide them); its block function is the fastest portable
// one at hand.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
void advance_one_openssl(Md5Chain& chain, const unsigned char* data, std::size_t blocks) {
    MD5_CTX context;
    MD5_Init(&context);
    context.A = chain.words[0];
    context.B = chain.words[1];
    context.C = chain.words[2];
    context.D = chain.words[3];
    MD5_Update(&context, data, blocks * kBlock);  // whole blocks: nothing stays buffered
    chain.words[0] = context.A;
    chain.words[1] = context.B;
    chain.words[2] = context.C;
    chain.words[3] = context.D;
}
#pragma GCC diagnostic pop

void advance_one(Md5Chain& chain, const unsigned char* data, std::size_t blocks);

// One input alone: one chain over its whole blocks, then its end.
Md5Digest md5_one(std::string_view input) {
    Md5Chain chain;
    const std::size_t whole = input.size() / kBlock;
    advance_one(chain, reinterpret_cast<const unsigned char*>(input.data()), whole);
    return md5_finish(chain, input.substr(whole * kBlock), input.size());
}

#if defined(__x86_64__)

constexpr std::size_t kLanes = 8;
// What a lane without input reads.
const unsigned char kIdle[kBlock] = {};

// RFC 1321's table: floor(abs(sin(i + 1)) * 2^32).
constexpr std::uint32_t kSine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
constexpr int kShift[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                            5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                            4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                            6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

// The message word step `step` reads.
constexpr int word_of(int step) {
    return step < 16   ? step
           : step < 32 ? (5 * step + 1) % 16
           : step < 48 ? (3 * step + 5) % 16
                       : (7 * step) % 16;
}

// Step `step`'s mixing of b, c and d as a vpternlogd truth table (bit 4b+2c+d of the table is
// the answer for those bits): F = b ? c : d, G = d ? b : c, H = b ^ c ^ d, I = c ^ (b | ~d).
constexpr int mix_table(int step) {
    constexpr int kTables[4] = {0xCA, 0xE4, 0x96, 0x39};
    return kTables[step / 16];
}

// The steps with AVX-512's three-input logic (vpternlogd) and rotate (vprold), for one chain in
// the first lane of an xmm register or eight in a ymm register. A step is then four dependent
// one-cycle instructions (mix, add, rotate, add), where general registers take five or six and
// AVX2 lanes nine: one chain hashes about 1.2 times as fast as OpenSSL's, eight about 1.5 times
// as fast as AVX2's.
#define AWSEMU_AVX512 __attribute__((target("avx2,avx512f,avx512vl"), always_inline)) inline

template <int Step>
AWSEMU_AVX512 __m128i step_input(const std::uint32_t* words) {
    return _mm_cvtsi32_si128(static_cast<int>(words[word_of(Step)] + kSine[Step]));
}
template <int Step>
AWSEMU_AVX512 __m256i step_input(const __m256i* words) {
    return _mm256_add_epi32(words[word_of(Step)], _mm256_set1_epi32(static_cast<int>(kSine[Step])));
}
AWSEMU_AVX512 __m128i add(__m128i x, __m128i y) {
    return _mm_add_epi32(x, y);
}
AWSEMU_AVX512 __m256i add(__m256i x, __m256i y) {
    return _mm256_add_epi32(x, y);
}
template <int Table>
AWSEMU_AVX512 __m128i mix(__m128i b, __m128i c, __m128i d) {
    return _mm_ternarylogic_epi32(b, c, d, Table);
}
template <int Table>
AWSEMU_AVX512 __m256i mix(__m256i b, __m256i c, __m256i d) {
    return _mm256_ternarylogic_epi32(b, c, d, Table);
}
template <int Bits>
AWSEMU_AVX512 __m128i rotate(__m128i x) {
    return _mm_rol_epi32(x, Bits);
}
template <int Bits>
AWSEMU_AVX512 __m256i rotate(__m256i x) {
    return _mm256_rol_epi32(x, Bits);
}

template <int Step, class Vector, class Words>
AWSEMU_AVX512 void ternary_step(Vector& a, Vector& b, Vector& c, Vector& d, Words words) {
    Vector sum = add(a, step_input<Step>(words));
    // a + word + constant does not wait for b: kept apart, or the compiler adds it after the
    // mix, one more instruction on the chain's critical path.
    asm("" : "+v"(sum));
    sum = add(sum, mix<mix_table(Step)>(b, c, d));
    a = d;
    d = c;
    c = b;
    b = add(b, rotate<kShift[Step]>(sum));
}

template <class Vector, class Words, int... Steps>
AWSEMU_AVX512 void ternary_steps(Vector* state, Words words, std::integer_sequence<int, Steps...>) {
    Vector a = state[0], b = state[1], c = state[2], d = state[3];
    (ternary_step<Steps>(a, b, c, d, words), ...);
    state[0] = add(state[0], a);
    state[1] = add(state[1], b);
    state[2] = add(state[2], c);
    state[3] = add(state[3], d);
}

#undef AWSEMU_AVX512

__attribute__((target("avx2,avx512f,avx512vl"))) void advance_one_avx512(Md5Chain& chain,
                                                                         const unsigned char* data,
                                                                         std::size_t blocks) {
    __m128i state[4];
    for (int i = 0; i < 4; ++i) {
        state[i] = _mm_cvtsi32_si128(static_cast<int>(chain.words[i]));
    }
    for (std::size_t index = 0; index < blocks; ++index) {
        std::uint32_t words[16];  // little-endian, as x86 reads them
        std::memcpy(words, data + index * kBlock, kBlock);
        ternary_steps(state, static_cast<const std::uint32_t*>(words),
                      std::make_integer_sequence<int, 64>{});
    }
    for (int i = 0; i < 4; ++i) {
        chain.words[i] = static_cast<std::uint32_t>(_mm_cvtsi128_si32(state[i]));
    }
}

__attribute__((target("avx2,avx512f,avx512vl"))) void md5_steps_avx512(__m256i* state,
                                                                       const __m256i* words) {
    ternary_steps(state, words, std::make_integer_sequence<int, 64>{});
}

std::atomic<Md5Instructions> chosen_instructions{Md5Instructions::fastest};

bool has_avx2() {
    static const bool kHas = __builtin_cpu_supports("avx2");
    return kHas && chosen_instructions.load(std::memory_order_relaxed) != Md5Instructions::portable;
}

bool has_avx512() {
    static const bool kHas =
        __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
    return kHas && has_avx2() &&
           chosen_instructions.load(std::memory_order_relaxed) == Md5Instructions::fastest;
}

// One input's blocks: its whole 64-byte blocks where they are, then the padded end (the last
// bytes, 0x80, zeros and the length in bits) in one or two blocks of its own.
struct LaneBlocks {
    const unsigned char* data = nullptr;
    std::size_t whole = 0;
    std::size_t total = 0;
    alignas(32) unsigned char end[2 * kBlock];

    void take(std::string_view input) {
        data = reinterpret_cast<const unsigned char*>(input.data());
        whole = input.size() / kBlock;
        total = whole + pad_end(end, input.substr(whole * kBlock), input.size());
    }

    const unsigned char* block(std::size_t index) const {
        return index < whole ? data + index * kBlock : end + (index - whole) * kBlock;
    }
};

__attribute__((target("avx2"))) inline __m256i rotate_left(__m256i x, int bits) {
    return _mm256_or_si256(_mm256_slli_epi32(x, bits), _mm256_srli_epi32(x, 32 - bits));
}

// The 16 words of one block of each lane, transposed: words[j] holds word j of every lane.
__attribute__((target("avx2"))) void load_words(const unsigned char* const* blocks,
                                                __m256i* words) {
    for (int half = 0; half < 2; ++half) {
        __m256i row[kLanes];
        for (std::size_t lane = 0; lane < kLanes; ++lane) {
            row[lane] =
                _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blocks[lane] + half * 32));
        }
        const __m256i t0 = _mm256_unpacklo_epi32(row[0], row[1]);
        const __m256i t1 = _mm256_unpackhi_epi32(row[0], row[1]);
        const __m256i t2 = _mm256_unpacklo_epi32(row[2], row[3]);
        const __m256i t3 = _mm256_unpackhi_epi32(row[2], row[3]);
        const __m256i t4 = _mm256_unpacklo_epi32(row[4], row[5]);
        const __m256i t5 = _mm256_unpackhi_epi32(row[4], row[5]);
        const __m256i t6 = _mm256_unpacklo_epi32(row[6], row[7]);
        const __m256i t7 = _mm256_unpackhi_epi32(row[6], row[7]);
        const __m256i u0 = _mm256_unpacklo_epi64(t0, t2);
        const __m256i u1 = _mm256_unpackhi_epi64(t0, t2);
        const __m256i u2 = _mm256_unpacklo_epi64(t1, t3);
        const __m256i u3 = _mm256_unpackhi_epi64(t1, t3);
        const __m256i u4 = _mm256_unpacklo_epi64(t4, t6);
        const __m256i u5 = _mm256_unpackhi_epi64(t4, t6);
        const __m256i u6 = _mm256_unpacklo_epi64(t5, t7);
        const __m256i u7 = _mm256_unpackhi_epi64(t5, t7);
        __m256i* out = words + half * 8;
        out[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
        out[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
        out[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
        out[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
        out[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
        out[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
        out[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
        out[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
    }
}

// RFC 1321's 64 steps over one block of every lane.
__attribute__((target("avx2"))) void md5_steps_avx2(__m256i* state, const __m256i* words) {
    const __m256i ones = _mm256_set1_epi32(-1);
    __m256i a = state[0], b = state[1], c = state[2], d = state[3];
#pragma GCC unroll 64
    for (int i = 0; i < 64; ++i) {
        __m256i mixed;
        if (i < 16) {
            mixed = _mm256_xor_si256(d, _mm256_and_si256(b, _mm256_xor_si256(c, d)));
        } else if (i < 32) {
            mixed = _mm256_xor_si256(c, _mm256_and_si256(d, _mm256_xor_si256(b, c)));
        } else if (i < 48) {
            mixed = _mm256_xor_si256(_mm256_xor_si256(b, c), d);
        } else {
            mixed = _mm256_xor_si256(c, _mm256_or_si256(b, _mm256_xor_si256(d, ones)));
        }
        const __m256i sum = _mm256_add_epi32(
            _mm256_add_epi32(a, mixed),
            _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(kSine[i])), words[word_of(i)]));
        a = d;
        d = c;
        c = b;
        b = _mm256_add_epi32(b, rotate_left(sum, kShift[i]));
    }
    state[0] = _mm256_add_epi32(state[0], a);
    state[1] = _mm256_add_epi32(state[1], b);
    state[2] = _mm256_add_epi32(state[2], c);
    state[3] = _mm256_add_epi32(state[3], d);
}

// RFC 1321's 64 steps over one block of every lane, the fastest way the CPU has.
using LaneSteps = void (*)(__m256i* state, const __m256i* words);
LaneSteps lane_steps() {
    return has_avx512() ? md5_steps_avx512 : md5_steps_avx2;
}

// Up to eight inputs side by side. Lanes run in step, block by block; a lane whose input has
// ended reads a block of zeros and keeps its state, so inputs of different lengths can share.
__attribute__((target("avx2"))) void md5_eight(const std::string_view* inputs, std::size_t count,
                                               Md5Digest* digests) {
    LaneBlocks lanes[kLanes];
    std::size_t blocks = 0;
    for (std::size_t lane = 0; lane < count; ++lane) {
        lanes[lane].take(inputs[lane]);
        blocks = std::max(blocks, lanes[lane].total);
    }
    __m256i state[4] = {
        _mm256_set1_epi32(0x67452301), _mm256_set1_epi32(static_cast<int>(0xefcdab89)),
        _mm256_set1_epi32(static_cast<int>(0x98badcfe)), _mm256_set1_epi32(0x10325476)};
    const LaneSteps steps = lane_steps();
    for (std::size_t index = 0; index < blocks; ++index) {
        const unsigned char* block[kLanes];
        alignas(32) std::int32_t running[kLanes];
        for (std::size_t lane = 0; lane < kLanes; ++lane) {
            const bool on = lane < count && index < lanes[lane].total;
            block[lane] = on ? lanes[lane].block(index) : kIdle;
            running[lane] = on ? -1 : 0;
        }
        __m256i words[16];
        load_words(block, words);
        __m256i next[4] = {state[0], state[1], state[2], state[3]};
        steps(next, words);
        const __m256i keep = _mm256_load_si256(reinterpret_cast<const __m256i*>(running));
        for (int i = 0; i < 4; ++i) {
            state[i] = _mm256_blendv_epi8(state[i], next[i], keep);
        }
    }
    alignas(32) std::uint32_t words[4][kLanes];
    for (int i = 0; i < 4; ++i) {
        _mm256_store_si256(reinterpret_cast<__m256i*>(words[i]), state[i]);
    }
    for (std::size_t lane = 0; lane < count; ++lane) {
        const std::uint32_t lane_words[4] = {words[0][lane], words[1][lane], words[2][lane],
                                             words[3][lane]};
        digests[lane] = digest_of(lane_words);
    }
}

// Up to eight chains side by side over the same number of whole blocks each.
__attribute__((target("avx2"))) void advance_in_lanes(Md5Chain* const* chains,
                                                      const unsigned char* const* data,
                                                      std::size_t count, std::size_t blocks) {
    alignas(32) std::uint32_t words[4][kLanes] = {};
    const unsigned char* block[kLanes];
    for (std::size_t lane = 0; lane < kLanes; ++lane) {
        for (int i = 0; lane < count && i < 4; ++i) {
            words[i][lane] = chains[lane]->words[i];
        }
        block[lane] = lane < count ? data[lane] : kIdle;
    }
    __m256i state[4];
    for (int i = 0; i < 4; ++i) {
        state[i] = _mm256_load_si256(reinterpret_cast<const __m256i*>(words[i]));
    }
    const LaneSteps steps = lane_steps();
    for (std::size_t index = 0; index < blocks; ++index) {
        __m256i block_words[16];
        load_words(block, block_words);
        steps(state, block_words);
        for (std::size_t lane = 0; lane < count; ++lane) {
            block[lane] += kBlock;
        }
    }
    for (int i = 0; i < 4; ++i) {
        _mm256_store_si256(reinterpret_cast<__m256i*>(words[i]), state[i]);
    }
    for (std::size_t lane = 0; lane < count; ++lane) {
        for (int i = 0; i < 4; ++i) {
            chains[lane]->words[i] = words[i][lane];
        }
    }
}

// Inputs of like length share a group of lanes (a group runs as long as its longest input):
// sorted by length, a group takes inputs at most twice as long as its first, plus a block.
void md5_in_lanes(std::span<const std::string_view> inputs, std::vector<Md5Digest>& digests) {
    std::vector<std::size_t> order(inputs.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t left, std::size_t right) {
        return inputs[left].size() < inputs[right].size();
    });
    for (std::size_t start = 0; start < order.size();) {
        const std::size_t longest = 2 * inputs[order[start]].size() + kBlock;
        std::size_t count = 1;
        while (count < kLanes && start + count < order.size() &&
               inputs[order[start + count]].size() <= longest) {
            ++count;
        }
        if (count == 1) {
            digests[order[start]] = md5_one(inputs[order[start]]);
        } else {
            std::string_view group[kLanes];
            Md5Digest out[kLanes];
            for (std::size_t lane = 0; lane < count; ++lane) {
                group[lane] = inputs[order[start + lane]];
            }
            md5_eight(group, count, out);
            for (std::size_t lane = 0; lane < count; ++lane) {
                digests[order[start + lane]] = out[lane];
            }
        }
        start += count;
    }
}

#endif  // __x86_64__

void advance_one(Md5Chain& chain, const unsigned char* data, std::size_t blocks) {
#if defined(__x86_64__)
    if (has_avx512()) {
        advance_one_avx512(chain, data, blocks);
        return;
    }
#endif
    advance_one_openssl(chain, data, blocks);
}

}  // namespace

std::vector<Md5Digest> md5_each(std::span<const std::string_view> inputs) {
    std::vector<Md5Digest> digests(inputs.size());
#if defined(__x86_64__)
    if (inputs.size() >= 2 && has_avx2()) {
        md5_in_lanes(inputs, digests);
        return digests;
    }
#endif
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        digests[i] = md5_one(inputs[i]);
    }
    return digests;
}

void md5_advance(std::span<Md5Chain* const> chains, std::span<const unsigned char* const> data,
                 std::size_t blocks) {
    if (chains.size() != data.size()) {
        throw std::invalid_argument("md5_advance needs one data pointer per chain");
    }
#if defined(__x86_64__)
    if (chains.size() >= 2 && has_avx2()) {
        for (std::size_t first = 0; first < chains.size(); first += kLanes) {
            const std::size_t count = std::min(kLanes, chains.size() - first);
            if (count == 1) {
                advance_one(*chains[first], data[first], blocks);
            } else {
                advance_in_lanes(chains.data() + first, data.data() + first, count, blocks);
            }
        }
        return;
    }
#endif
    for (std::size_t k = 0; k < chains.size(); ++k) {
        advance_one(*chains[k], data[k], blocks);
    }
}

void md5_use_for_tests(Md5Instructions instructions) {
#if defined(__x86_64__)
    chosen_instructions.store(instructions);
#else
    (void)instructions;
#endif
}

Md5Digest md5_finish(Md5Chain chain, std::string_view tail, std::uint64_t length) {
    if (tail.size() >= kBlock) {
        throw std::invalid_argument("md5_finish takes less than a block after the chain");
    }
    unsigned char end[2 * kBlock];
    advance_one(chain, end, pad_end(end, tail, length));
    return digest_of(chain.words);
}

}  // namespace awsemu::auth
