#include "emulator/auth/crypto.hpp"

#include "emulator/auth/md5_lanes.hpp"

#include <cstring>
#include <random>

#include <sys/random.h>

#include <cerrno>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>

namespace awsemu::auth {
namespace {

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// EVP_Digest allocates a context each time: each thread keeps one instead.
std::string digest(const EVP_MD* md, std::string_view data) {
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
        EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int length = 0;
    if (context == nullptr || EVP_DigestInit_ex2(context.get(), md, nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(context.get(), out.data(), &length) != 1) {
        throw std::runtime_error("EVP digest failed");
    }
    return std::string(reinterpret_cast<const char*>(out.data()), length);
}

int base64_value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

}  // namespace

const EVP_MD* fetched_digest(const char* name) {
    const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
    if (md == nullptr) {
        throw std::runtime_error(std::string("OpenSSL has no ") + name);
    }
    return md;
}

std::string sha256_hex(std::string_view data) {
    static const EVP_MD* const kSha256 = fetched_digest("SHA256");
    return hex_encode(digest(kSha256, data));
}

std::string md5_hex(std::string_view data) {
    // md5_lanes' single chain: for the small inputs this mostly hashes (SQS message bodies and
    // attributes), setting up OpenSSL's EVP context costs about as much as the digest.
    const std::string_view inputs[] = {data};
    const Md5Digest digest = md5_each(inputs).front();
    return hex_encode(
        std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int length = 0;
    const unsigned char* result =
        HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &length);
    if (result == nullptr) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return std::string(reinterpret_cast<const char*>(out.data()), length);
}

std::string hex_encode(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
    return out;
}

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
        out.push_back(kBase64Alphabet[(n >> 18) & 0x3F]);
        out.push_back(kBase64Alphabet[(n >> 12) & 0x3F]);
        out.push_back(kBase64Alphabet[(n >> 6) & 0x3F]);
        out.push_back(kBase64Alphabet[n & 0x3F]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const auto n = static_cast<unsigned char>(bytes[i]) << 16;
        out.push_back(kBase64Alphabet[(n >> 18) & 0x3F]);
        out.push_back(kBase64Alphabet[(n >> 12) & 0x3F]);
        out.append("==");
    } else if (rest == 2) {
        const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out.push_back(kBase64Alphabet[(n >> 18) & 0x3F]);
        out.push_back(kBase64Alphabet[(n >> 12) & 0x3F]);
        out.push_back(kBase64Alphabet[(n >> 6) & 0x3F]);
        out.push_back('=');
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=') {
        padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        const std::size_t data_chars = last ? 4 - padding : 4;
        std::uint32_t n = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            int value = 0;
            if (j < data_chars) {
                value = base64_value(text[i + j]);
                if (value < 0) {
                    return std::nullopt;
                }
            }
            n = (n << 6) | static_cast<std::uint32_t>(value);
        }
        out.push_back(static_cast<char>((n >> 16) & 0xFF));
        if (data_chars > 2) {
            out.push_back(static_cast<char>((n >> 8) & 0xFF));
        }
        if (data_chars > 3) {
            out.push_back(static_cast<char>(n & 0xFF));
        }
    }
    return out;
}

std::string random_bytes(std::size_t n) {
    // The kernel's CSPRNG: as strong as OpenSSL's DRBG for ids and passwords, and it spares the
    // process OpenSSL's DRBG set-up (about 2 MiB of resident memory) on the open-auth path.
    std::string out(n, '\0');
    std::size_t filled = 0;
    while (filled < n) {
        const ssize_t got = getrandom(out.data() + filled, n - filled, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::runtime_error("getrandom failed");
        }
        filled += static_cast<std::size_t>(got);
    }
    return out;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string uuid_v4(std::string_view random16) {
    static constexpr char kHex[] = "0123456789abcdef";
    // Into a buffer first: every request makes one, and std::string's push_back is not inlined.
    char id[36];
    std::size_t length = 0;
    for (std::size_t i = 0; i < 16 && i < random16.size(); ++i) {
        auto byte = static_cast<unsigned char>(random16[i]);
        if (i == 6) {
            byte = static_cast<unsigned char>((byte & 0x0F) | 0x40);  // version 4
        } else if (i == 8) {
            byte = static_cast<unsigned char>((byte & 0x3F) | 0x80);  // RFC 4122 variant
        }
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            id[length++] = '-';
        }
        id[length++] = kHex[byte >> 4];
        id[length++] = kHex[byte & 0xF];
    }
    return std::string(id, length);
}

namespace {

std::mt19937_64& fast_generator() {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    return generator;
}

}  // namespace

std::string fast_uuid_v4() {
    const std::uint64_t words[2] = {fast_generator()(), fast_generator()()};
    char bytes[16];
    std::memcpy(bytes, words, sizeof bytes);
    return uuid_v4(std::string_view(bytes, sizeof bytes));
}

std::int64_t fast_random_int() {
    return static_cast<std::int64_t>(fast_generator()() >> 1);
}

}  // namespace awsemu::auth
