#include "services/s3/checksums.hpp"

#include <openssl/evp.h>

#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>

#include "emulator/ascii.hpp"
#include "emulator/auth/crypto.hpp"
#include "services/s3/crc_clmul.hpp"

namespace awsemu::s3 {
namespace detail {

struct EvpDigest {
    EVP_MD_CTX* context = nullptr;
};

void EvpDigestDeleter::operator()(EvpDigest* digest) const {
    if (digest != nullptr) {
        EVP_MD_CTX_free(digest->context);
        delete digest;
    }
}

}  // namespace detail

namespace {

// The three CRCs are reflected (least significant bit first) with initial value and final XOR
// all ones; they differ only in width and polynomial. Polynomials here are bit-reversed.
constexpr std::uint32_t kCrc32Polynomial = 0xEDB88320u;   // ISO-HDLC, zlib's 0x04C11DB7
constexpr std::uint32_t kCrc32cPolynomial = 0x82F63B78u;  // Castagnoli 0x1EDC6F41
constexpr std::uint64_t kCrc64NvmePolynomial = 0x9A6C9329AC4BC9B5ull;  // 0xAD93D23594C93659

// Slice-by-8: eight table look-ups consume eight bytes per step.
template <class Word>
struct CrcTables {
    Word table[8][256];
};

template <class Word>
constexpr CrcTables<Word> make_tables(Word polynomial) {
    CrcTables<Word> t{};
    for (unsigned i = 0; i < 256; ++i) {
        Word c = i;
        for (int bit = 0; bit < 8; ++bit) {
            c = (c & 1) != 0 ? static_cast<Word>((c >> 1) ^ polynomial) : static_cast<Word>(c >> 1);
        }
        t.table[0][i] = c;
    }
    for (unsigned i = 0; i < 256; ++i) {
        for (int k = 1; k < 8; ++k) {
            const Word previous = t.table[k - 1][i];
            t.table[k][i] = static_cast<Word>((previous >> 8) ^ t.table[0][previous & 0xFF]);
        }
    }
    return t;
}

constexpr CrcTables<std::uint32_t> kCrc32Tables = make_tables<std::uint32_t>(kCrc32Polynomial);
constexpr CrcTables<std::uint32_t> kCrc32cTables = make_tables<std::uint32_t>(kCrc32cPolynomial);
constexpr CrcTables<std::uint64_t> kCrc64NvmeTables =
    make_tables<std::uint64_t>(kCrc64NvmePolynomial);

// One step of slice-by-8: the register after eight more bytes.
template <class Word>
inline Word crc_step8(const CrcTables<Word>& t, Word crc, const unsigned char* p) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    if constexpr (sizeof(Word) == 4) {
        const std::uint32_t lo = static_cast<std::uint32_t>(word) ^ crc;
        const auto hi = static_cast<std::uint32_t>(word >> 32);
        return t.table[7][lo & 0xFF] ^ t.table[6][(lo >> 8) & 0xFF] ^
               t.table[5][(lo >> 16) & 0xFF] ^ t.table[4][lo >> 24] ^ t.table[3][hi & 0xFF] ^
               t.table[2][(hi >> 8) & 0xFF] ^ t.table[1][(hi >> 16) & 0xFF] ^ t.table[0][hi >> 24];
    } else {
        word ^= crc;
        return t.table[7][word & 0xFF] ^ t.table[6][(word >> 8) & 0xFF] ^
               t.table[5][(word >> 16) & 0xFF] ^ t.table[4][(word >> 24) & 0xFF] ^
               t.table[3][(word >> 32) & 0xFF] ^ t.table[2][(word >> 40) & 0xFF] ^
               t.table[1][(word >> 48) & 0xFF] ^ t.table[0][word >> 56];
    }
}

template <class Word>
Word crc_update_serial(const CrcTables<Word>& t, Word crc, const unsigned char* p, std::size_t n) {
    if constexpr (std::endian::native == std::endian::little) {
        for (; n >= 8; p += 8, n -= 8) {
            crc = crc_step8(t, crc, p);
        }
    }
    for (; n > 0; --n, ++p) {
        crc = static_cast<Word>(t.table[0][(crc ^ *p) & 0xFF] ^ (crc >> 8));
    }
    return crc;
}

bool is_crc(ChecksumAlgorithm algorithm) {
    return algorithm == ChecksumAlgorithm::Crc32 || algorithm == ChecksumAlgorithm::Crc32c ||
           algorithm == ChecksumAlgorithm::Crc64Nvme;
}

std::uint64_t crc_mask(ChecksumAlgorithm algorithm) {
    return algorithm == ChecksumAlgorithm::Crc64Nvme ? ~0ull : 0xFFFFFFFFull;
}

const EVP_MD* evp_md(ChecksumAlgorithm algorithm) {
    static const EVP_MD* const kSha1 = auth::fetched_digest("SHA1");
    static const EVP_MD* const kSha256 = auth::fetched_digest("SHA256");
    static const EVP_MD* const kSha512 = auth::fetched_digest("SHA512");
    static const EVP_MD* const kMd5 = auth::fetched_digest("MD5");
    switch (algorithm) {
        case ChecksumAlgorithm::Sha1:
            return kSha1;
        case ChecksumAlgorithm::Sha256:
            return kSha256;
        case ChecksumAlgorithm::Sha512:
            return kSha512;
        case ChecksumAlgorithm::Md5:
            return kMd5;
        default:
            return nullptr;
    }
}

// The lanes of crc_update: each a block of this many bytes.
constexpr std::size_t kLaneBytes = 4096;

// GF(2) polynomial arithmetic modulo the CRC polynomial in the reflected representation (the
// top bit of the word is x^0), after zlib's multmodp and x2nmodp.
struct CrcField {
    int width;
    std::uint64_t polynomial;
    // x2n[k] = x^(2^k) mod p; enough entries for any 64-bit byte count shifted by 3.
    std::array<std::uint64_t, 67> x2n{};
    std::uint64_t lane_shift = 0;  // x^(8 * kLaneBytes): moves a register over one lane
    ClmulFoldConstants fold{};

    CrcField(int bits, std::uint64_t poly) : width(bits), polynomial(poly) {
        std::uint64_t p = one() >> 1;  // x^1
        x2n[0] = p;
        for (std::size_t k = 1; k < x2n.size(); ++k) {
            p = multiply(p, p);
            x2n[k] = p;
        }
        lane_shift = x_to_the(kLaneBytes, 3);
        for (std::size_t s = 1; s <= fold.stride.size(); ++s) {
            // In the 64-bit reflected form x^0 is the top bit, whatever the width.
            const int to_64_bits = 64 - width;
            fold.stride[s - 1] = {x_to_the(128 * s + 63, 0) << to_64_bits, x_to_the(128 * s - 1, 0)
                                                                               << to_64_bits};
        }
    }

    std::uint64_t one() const { return 1ull << (width - 1); }

    std::uint64_t multiply(std::uint64_t a, std::uint64_t b) const {
        std::uint64_t m = one();
        std::uint64_t product = 0;
        while (m != 0) {
            if ((a & m) != 0) {
                product ^= b;
            }
            m >>= 1;
            b = (b & 1) != 0 ? (b >> 1) ^ polynomial : b >> 1;
        }
        return product;
    }

    // x^(n * 2^k) mod p
    std::uint64_t x_to_the(std::uint64_t n, std::size_t k) const {
        std::uint64_t p = one();
        while (n != 0) {
            if ((n & 1) != 0) {
                p = multiply(x2n[k], p);
            }
            n >>= 1;
            ++k;
        }
        return p;
    }
};

const CrcField& crc_field(ChecksumAlgorithm algorithm) {
    static const CrcField crc32(32, kCrc32Polynomial);
    static const CrcField crc32c(32, kCrc32cPolynomial);
    static const CrcField crc64(64, kCrc64NvmePolynomial);
    switch (algorithm) {
        case ChecksumAlgorithm::Crc32:
            return crc32;
        case ChecksumAlgorithm::Crc32c:
            return crc32c;
        case ChecksumAlgorithm::Crc64Nvme:
            return crc64;
        default:
            throw std::invalid_argument("not a CRC checksum algorithm");
    }
}

// Where the CPU has no carry-less multiplication: slice-by-8 waits on each step's result
// before the next look-ups, so one stream of bytes runs at about 2 GB/s. Three lanes over three
// adjacent blocks hide that latency (about 5 GB/s); their registers are then joined by shifting,
// since the register is linear in its input: reg(r, A + B) = reg(r, A) * x^(8 |B|) + reg(0, B).
template <class Word>
Word crc_update(ChecksumAlgorithm algorithm, const CrcTables<Word>& t, Word crc,
                const unsigned char* p, std::size_t n) {
    if (n >= 64 && clmul_available()) {
        const std::size_t bulk = n & ~std::size_t{63};
        const auto folded = clmul_fold(crc_field(algorithm).fold, crc, p, bulk);
        crc = crc_update_serial(t, Word{0}, folded.data(), folded.size());
        return crc_update_serial(t, crc, p + bulk, n - bulk);
    }
    if constexpr (std::endian::native == std::endian::little) {
        if (n >= 3 * kLaneBytes) {
            const CrcField& field = crc_field(algorithm);
            for (; n >= 3 * kLaneBytes; p += 3 * kLaneBytes, n -= 3 * kLaneBytes) {
                Word a = crc;
                Word b = 0;
                Word c = 0;
                for (std::size_t i = 0; i < kLaneBytes; i += 8) {
                    a = crc_step8(t, a, p + i);
                    b = crc_step8(t, b, p + kLaneBytes + i);
                    c = crc_step8(t, c, p + 2 * kLaneBytes + i);
                }
                const std::uint64_t ab = field.multiply(field.lane_shift, a) ^ b;
                crc = static_cast<Word>(field.multiply(field.lane_shift, ab) ^ c);
            }
        }
    }
    return crc_update_serial(t, crc, p, n);
}

std::string big_endian(std::uint64_t value, std::size_t bytes) {
    std::string out(bytes, '\0');
    for (std::size_t i = 0; i < bytes; ++i) {
        out[bytes - 1 - i] = static_cast<char>(value & 0xFF);
        value >>= 8;
    }
    return out;
}

std::uint64_t from_big_endian(std::string_view bytes) {
    std::uint64_t value = 0;
    for (const char c : bytes) {
        value = (value << 8) | static_cast<unsigned char>(c);
    }
    return value;
}

constexpr ChecksumAlgorithm kAllAlgorithms[] = {
    ChecksumAlgorithm::Crc32, ChecksumAlgorithm::Crc32c, ChecksumAlgorithm::Crc64Nvme,
    ChecksumAlgorithm::Sha1,  ChecksumAlgorithm::Sha256, ChecksumAlgorithm::Sha512,
    ChecksumAlgorithm::Md5,
};

}  // namespace

std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name) {
    for (const ChecksumAlgorithm algorithm : kAllAlgorithms) {
        if (ascii_iequals(name, checksum_name(algorithm))) {
            return algorithm;
        }
    }
    return std::nullopt;
}

std::string_view checksum_header_name(ChecksumAlgorithm algorithm) {
    switch (algorithm) {
        case ChecksumAlgorithm::Crc32:
            return "x-amz-checksum-crc32";
        case ChecksumAlgorithm::Crc32c:
            return "x-amz-checksum-crc32c";
        case ChecksumAlgorithm::Crc64Nvme:
            return "x-amz-checksum-crc64nvme";
        case ChecksumAlgorithm::Sha1:
            return "x-amz-checksum-sha1";
        case ChecksumAlgorithm::Sha256:
            return "x-amz-checksum-sha256";
        case ChecksumAlgorithm::Sha512:
            return "x-amz-checksum-sha512";
        case ChecksumAlgorithm::Md5:
            return "x-amz-checksum-md5";
    }
    return {};
}

std::optional<ChecksumAlgorithm> checksum_algorithm_for_header(std::string_view header_name) {
    for (const ChecksumAlgorithm algorithm : kAllAlgorithms) {
        if (ascii_iequals(header_name, checksum_header_name(algorithm))) {
            return algorithm;
        }
    }
    return std::nullopt;
}

std::string_view checksum_name(ChecksumAlgorithm algorithm) {
    switch (algorithm) {
        case ChecksumAlgorithm::Crc32:
            return "CRC32";
        case ChecksumAlgorithm::Crc32c:
            return "CRC32C";
        case ChecksumAlgorithm::Crc64Nvme:
            return "CRC64NVME";
        case ChecksumAlgorithm::Sha1:
            return "SHA1";
        case ChecksumAlgorithm::Sha256:
            return "SHA256";
        case ChecksumAlgorithm::Sha512:
            return "SHA512";
        case ChecksumAlgorithm::Md5:
            return "MD5";
    }
    return {};
}

std::size_t checksum_size(ChecksumAlgorithm algorithm) {
    switch (algorithm) {
        case ChecksumAlgorithm::Crc32:
        case ChecksumAlgorithm::Crc32c:
            return 4;
        case ChecksumAlgorithm::Crc64Nvme:
            return 8;
        case ChecksumAlgorithm::Sha1:
            return 20;
        case ChecksumAlgorithm::Sha256:
            return 32;
        case ChecksumAlgorithm::Sha512:
            return 64;
        case ChecksumAlgorithm::Md5:
            return 16;
    }
    return 0;
}

bool supports_full_object(ChecksumAlgorithm algorithm) {
    return is_crc(algorithm);
}

Checksum::Checksum(ChecksumAlgorithm algorithm) : algorithm_(algorithm) {
    if (is_crc(algorithm)) {
        crc_ = crc_mask(algorithm);
        return;
    }
    digest_.reset(new detail::EvpDigest{EVP_MD_CTX_new()});
    if (digest_->context == nullptr ||
        EVP_DigestInit_ex(digest_->context, evp_md(algorithm), nullptr) != 1) {
        throw std::runtime_error("EVP_DigestInit_ex failed");
    }
}

Checksum::Checksum(Checksum&&) noexcept = default;
Checksum& Checksum::operator=(Checksum&&) noexcept = default;
Checksum::~Checksum() = default;

void Checksum::update(std::string_view bytes) {
    length_ += bytes.size();
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    switch (algorithm_) {
        case ChecksumAlgorithm::Crc32:
            crc_ = crc_update(algorithm_, kCrc32Tables, static_cast<std::uint32_t>(crc_), p,
                              bytes.size());
            return;
        case ChecksumAlgorithm::Crc32c:
            crc_ = crc_update(algorithm_, kCrc32cTables, static_cast<std::uint32_t>(crc_), p,
                              bytes.size());
            return;
        case ChecksumAlgorithm::Crc64Nvme:
            crc_ = crc_update(algorithm_, kCrc64NvmeTables, crc_, p, bytes.size());
            return;
        default:
            if (EVP_DigestUpdate(digest_->context, bytes.data(), bytes.size()) != 1) {
                throw std::runtime_error("EVP_DigestUpdate failed");
            }
    }
}

std::string Checksum::raw() const {
    if (is_crc(algorithm_)) {
        return big_endian(crc_ ^ crc_mask(algorithm_), checksum_size(algorithm_));
    }
    // Finish a copy, so the running digest can go on.
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> copy(EVP_MD_CTX_new(),
                                                                 &EVP_MD_CTX_free);
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int size = 0;
    if (copy == nullptr || EVP_MD_CTX_copy_ex(copy.get(), digest_->context) != 1 ||
        EVP_DigestFinal_ex(copy.get(), out.data(), &size) != 1) {
        throw std::runtime_error("EVP_DigestFinal_ex failed");
    }
    return std::string(reinterpret_cast<const char*>(out.data()), size);
}

std::string Checksum::base64() const {
    return auth::base64_encode(raw());
}

void Md5Hasher::update(std::string_view bytes) {
    if (!running_) {
        running_.emplace(ChecksumAlgorithm::Md5);
    }
    running_->update(bytes);
}

void Md5Hasher::set(const auth::Md5Digest& md5) {
    set_.assign(reinterpret_cast<const char*>(md5.data()), md5.size());
}

std::string Md5Hasher::raw() const {
    if (running_) {
        return running_->raw();
    }
    return set_.empty() ? Checksum(ChecksumAlgorithm::Md5).raw() : set_;
}

std::string Md5Hasher::hex() const {
    return auth::hex_encode(raw());
}

std::string Md5Hasher::base64() const {
    return auth::base64_encode(raw());
}

std::string multipart_etag(const std::vector<std::string>& raw_part_md5s) {
    std::string concatenated;
    concatenated.reserve(raw_part_md5s.size() * 16);
    for (const std::string& md5 : raw_part_md5s) {
        concatenated += md5;
    }
    return auth::md5_hex(concatenated) + "-" + std::to_string(raw_part_md5s.size());
}

std::string composite_checksum(ChecksumAlgorithm algorithm,
                               const std::vector<std::string>& raw_part_checksums) {
    Checksum checksum(algorithm);
    for (const std::string& part : raw_part_checksums) {
        checksum.update(part);
    }
    return checksum.base64() + "-" + std::to_string(raw_part_checksums.size());
}

std::uint64_t crc_combine(ChecksumAlgorithm algorithm, std::uint64_t crc_a, std::uint64_t crc_b,
                          std::uint64_t length_b) {
    const CrcField& field = crc_field(algorithm);
    // Shifting A's CRC over B's length in bits (length * 2^3) and adding B's is the CRC of
    // both, because initial value and final XOR are equal.
    return field.multiply(field.x_to_the(length_b, 3), crc_a) ^ crc_b;
}

std::string combine_full_object(ChecksumAlgorithm algorithm,
                                const std::vector<PartChecksum>& parts) {
    if (!is_crc(algorithm)) {
        throw std::invalid_argument("FULL_OBJECT checksums are CRCs only");
    }
    const std::size_t size = checksum_size(algorithm);
    std::uint64_t crc = 0;  // the CRC of nothing
    for (const PartChecksum& part : parts) {
        if (part.raw.size() != size) {
            throw std::invalid_argument("part checksum of the wrong size");
        }
        crc = crc_combine(algorithm, crc, from_big_endian(part.raw), part.length);
    }
    return auth::base64_encode(big_endian(crc, size));
}

}  // namespace awsemu::s3
