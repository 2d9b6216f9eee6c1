#include "services/s3/checksums.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "emulator/auth/crypto.hpp"
#include "services/s3/crc_clmul.hpp"

using namespace awsemu::s3;

namespace {

// Must match pattern() in checksum_vectors.mjs.
std::string pattern_bytes(std::size_t size) {
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        out[i] = static_cast<char>(i % 251);
    }
    return out;
}

const std::map<std::string, std::string>& inputs() {
    static const std::map<std::string, std::string> all = {
        {"empty", ""},
        {"a", "a"},
        {"hello", "Hello world"},
        {"check", "123456789"},
        {"pattern_1mib", pattern_bytes(1 << 20)},
    };
    return all;
}

struct Vector {
    const char* algorithm;
    const char* input;
    const char* base64;
};

// Made by checksum_vectors.mjs with the AWS SDK for JavaScript v3's checksum classes
// (@aws-sdk/checksums 3.1002.5: Crc32Js, Crc32cJs, Crc64NvmeJs, Sha1Js, Sha256Js, Sha512Js,
// Md5Js), each fed whole and in 1000-byte pieces. botocore 1.43's Crc32Checksum, Sha1Checksum,
// Sha256Checksum and Sha512Checksum give the same pattern_1mib values (it has no CRC32C or
// CRC64NVME without awscrt). "i9aeUg==" is also the trailer boto3 sent for "Hello world" in the
// fixture boto3_put_hello_crc32, and CRC64NVME's "check" value is the catalogue's check value
// 0xae8b14860a799888 (CRC RevEng, CRC-64/NVME).
const Vector kVectors[] = {
    {"CRC32", "empty", "AAAAAA=="},
    {"CRC32", "a", "6Le+Qw=="},
    {"CRC32", "hello", "i9aeUg=="},
    {"CRC32", "check", "y/Q5Jg=="},
    {"CRC32", "pattern_1mib", "7w5gVA=="},
    {"CRC32C", "empty", "AAAAAA=="},
    {"CRC32C", "a", "wdBDMA=="},
    {"CRC32C", "hello", "crUfeA=="},
    {"CRC32C", "check", "4waSgw=="},
    {"CRC32C", "pattern_1mib", "3D4AcQ=="},
    {"CRC64NVME", "empty", "AAAAAAAAAAA="},
    {"CRC64NVME", "a", "jC+ERbTL/Dw="},
    {"CRC64NVME", "hello", "OOJZ0D8xKts="},
    {"CRC64NVME", "check", "rosUhgp5mIg="},
    {"CRC64NVME", "pattern_1mib", "iCHZ8VD+yfw="},
    {"SHA1", "empty", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="},
    {"SHA1", "a", "hvfkN/qlp/zhXR3cuerq6jd2Z7g="},
    {"SHA1", "hello", "e1AsOh9IyGCa4hLN+2Od7jlnP14="},
    {"SHA1", "check", "98O8HYCOBHMq32eZZczDTKeuNEE="},
    {"SHA1", "pattern_1mib", "wvxMsg8TAaaw3SEcGeaaE5JdvkA="},
    {"SHA256", "empty", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
    {"SHA256", "a", "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="},
    {"SHA256", "hello", "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="},
    {"SHA256", "check", "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU="},
    {"SHA256", "pattern_1mib", "YxuEAn1rnlK1OcToNzYi0jAy363GTWCvhzOckDfk92k="},
    {"SHA512", "empty",
     "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="},
    {"SHA512", "a",
     "H0D8ktokFpR1CXnubPWC8tXX0o4YM13gWrxU0FYOD1MChgxlK/CNVgJSql50IQVG82n7u86MEs/HlXsmUv6adQ=="},
    {"SHA512", "hello",
     "t/eDuu2Cl/DbkXRiGE/08I5pwtXl95qUJgD5cl9Yzh8pwYE5v4CwbA//K900c4RS7PQMSIwip+PYDN9vnBwNRw=="},
    {"SHA512", "check",
     "2eZ2LdHI6vbWGzxhkvxAjU1tXxF20MKRabwk5xw/J0rSf81YEbMT1oH35V7ALXPUmclUVba1u1A6z1dPuo/+hQ=="},
    {"SHA512", "pattern_1mib",
     "Z9rVae78mGo7JCT1UW1aAoS7U9e1LXX17YgaaDCpV2XMyCvEh1L7aTQiV58R3JpABWHsGIWvnu73A9u9MS1P0A=="},
    {"MD5", "empty", "1B2M2Y8AsgTpgAmY7PhCfg=="},
    {"MD5", "a", "DMF1ucDxtqgxw5niaXcmYQ=="},
    {"MD5", "hello", "PiWWCnnbxptnTNTsZ6csYg=="},
    {"MD5", "check", "JfnnlDI7RTiF9RgfG2JNCw=="},
    {"MD5", "pattern_1mib", "jyk6L2wZs0UVL3pJu0xkPA=="},
};

// The same script: the pattern cut into parts of 400000, 400000 and 248576 bytes.
const std::pair<const char*, const char*> kCompositeVectors[] = {
    {"CRC32", "PErscw==-3"},
    {"CRC32C", "7dnCVg==-3"},
    {"CRC64NVME", "aV232N7Bl8I=-3"},
    {"SHA1", "DoHlI2bybpRfUpCBVGOOZ0ZXLSo=-3"},
    {"SHA256", "dOtAykXzZPUIMsnUAd8nx5cHvDNNlJhVSKe2qEXxv7E=-3"},
    {"SHA512",
     "WLUWXYvf003M0LWkqIVgQfo5OQhA+4aPsT1zswAsRnUlvyJYKSWn8zbI66l+CX/XPqqRqwUOgfr+aj3Nm3PuuQ==-3"},
    {"MD5", "4AQATPMp8Bb0sniYC5Q4MA==-3"},
};

std::string checksum_in_pieces(ChecksumAlgorithm algorithm, std::string_view data,
                               std::size_t piece) {
    Checksum checksum(algorithm);
    for (std::size_t i = 0; i < data.size(); i += piece) {
        checksum.update(data.substr(i, piece));
    }
    return checksum.base64();
}

std::vector<std::string> pattern_parts() {
    const std::string whole = pattern_bytes(1 << 20);
    return {whole.substr(0, 400000), whole.substr(400000, 400000), whole.substr(800000)};
}

}  // namespace

TEST_CASE("S3 checksums match the AWS SDK's, whole and fed in odd pieces", "[s3][unit]") {
    for (const Vector& v : kVectors) {
        INFO(v.algorithm << " of " << v.input);
        const auto algorithm = parse_checksum_algorithm(v.algorithm);
        REQUIRE(algorithm.has_value());
        const std::string& data = inputs().at(v.input);
        Checksum whole(*algorithm);
        whole.update(data);
        CHECK(whole.base64() == v.base64);
        CHECK(whole.length() == data.size());
        CHECK(whole.raw().size() == checksum_size(*algorithm));
        for (const std::size_t piece : {1, 3, 7, 8, 9, 4093, 65537}) {
            if (piece < 7 && data.size() > 100000) {
                continue;  // a byte at a time over 1 MiB proves nothing more, slowly
            }
            INFO("pieces of " << piece);
            CHECK(checksum_in_pieces(*algorithm, data, piece) == v.base64);
        }
    }
}

TEST_CASE("S3 CRCs by the table code alone match the AWS SDK's (CPUs without PCLMUL)",
          "[s3][unit]") {
    // Whole buffers of three 4 KiB lanes or more take the three-lane table path there: the
    // 1 MiB input does, from odd starts too.
    allow_clmul(false);
    const std::shared_ptr<void> allow_again(nullptr, [](void*) { allow_clmul(true); });
    REQUIRE_FALSE(clmul_available());
    for (const Vector& v : kVectors) {
        const auto algorithm = parse_checksum_algorithm(v.algorithm);
        REQUIRE(algorithm.has_value());
        if (*algorithm != ChecksumAlgorithm::Crc32 && *algorithm != ChecksumAlgorithm::Crc32c &&
            *algorithm != ChecksumAlgorithm::Crc64Nvme) {
            continue;
        }
        INFO(v.algorithm << " of " << v.input);
        const std::string& data = inputs().at(v.input);
        Checksum whole(*algorithm);
        whole.update(data);
        CHECK(whole.base64() == v.base64);
        CHECK(checksum_in_pieces(*algorithm, data, 12289) == v.base64);
    }
}

TEST_CASE("S3 CRCs agree between whole buffers and bytes fed one at a time, at every length",
          "[s3][unit]") {
    // Whole buffers of 64 bytes or more take the carry-less-multiplication path where the CPU
    // has one (crc_clmul.hpp); single bytes always take the tables. Lengths cover every tail
    // after the 64-byte steps, and odd starting addresses unaligned loads.
    const std::string data = pattern_bytes(1200);
    for (const auto algorithm :
         {ChecksumAlgorithm::Crc32, ChecksumAlgorithm::Crc32c, ChecksumAlgorithm::Crc64Nvme}) {
        for (std::size_t start : {0, 1, 7}) {
            for (std::size_t length = 0; length + start <= 1100; ++length) {
                INFO(checksum_name(algorithm) << " of " << length << " bytes from " << start);
                const std::string_view piece = std::string_view(data).substr(start, length);
                Checksum whole(algorithm);
                whole.update(piece);
                CHECK(whole.base64() == checksum_in_pieces(algorithm, piece, 1));
            }
        }
    }
}

TEST_CASE("S3 checksum values can be read mid-stream and the stream goes on", "[s3][unit]") {
    for (const auto algorithm : {ChecksumAlgorithm::Crc32c, ChecksumAlgorithm::Sha256}) {
        Checksum checksum(algorithm);
        checksum.update("Hello");
        const std::string early = checksum.base64();
        CHECK(early == checksum.base64());
        checksum.update(" world");
        const std::string expected = algorithm == ChecksumAlgorithm::Crc32c
                                         ? "crUfeA=="
                                         : "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=";
        CHECK(checksum.base64() == expected);
    }
}

TEST_CASE("S3 checksum algorithm names, headers and XML suffixes", "[s3][unit]") {
    CHECK(parse_checksum_algorithm("crc32c") == ChecksumAlgorithm::Crc32c);
    CHECK(parse_checksum_algorithm("Crc64Nvme") == ChecksumAlgorithm::Crc64Nvme);
    CHECK(parse_checksum_algorithm("sha256") == ChecksumAlgorithm::Sha256);
    CHECK_FALSE(parse_checksum_algorithm("CRC64").has_value());
    CHECK_FALSE(parse_checksum_algorithm("XXHASH64").has_value());
    CHECK_FALSE(parse_checksum_algorithm("").has_value());
    CHECK(checksum_header_name(ChecksumAlgorithm::Crc32) == "x-amz-checksum-crc32");
    CHECK(checksum_header_name(ChecksumAlgorithm::Crc64Nvme) == "x-amz-checksum-crc64nvme");
    CHECK(checksum_algorithm_for_header("X-Amz-Checksum-CRC32C") == ChecksumAlgorithm::Crc32c);
    CHECK_FALSE(checksum_algorithm_for_header("x-amz-checksum-type").has_value());
    CHECK(checksum_name(ChecksumAlgorithm::Crc64Nvme) == "CRC64NVME");
    CHECK(checksum_name(ChecksumAlgorithm::Sha1) == "SHA1");
    CHECK(supports_full_object(ChecksumAlgorithm::Crc32));
    CHECK_FALSE(supports_full_object(ChecksumAlgorithm::Sha256));
}

TEST_CASE("S3 Md5Hasher streams the ETag and Content-MD5 of a body", "[s3][unit]") {
    Md5Hasher md5;
    md5.update("Hello ");
    md5.update("world");
    CHECK(md5.hex() == "3e25960a79dbc69b674cd4ec67a72c62");
    CHECK(md5.base64() == "PiWWCnnbxptnTNTsZ6csYg==");
    CHECK(md5.raw().size() == 16);
    CHECK(Md5Hasher().hex() == "d41d8cd98f00b204e9800998ecf8427e");

    Md5Hasher worked_out;  // elsewhere, e.g. beside other bodies
    awsemu::auth::Md5Digest digest{};
    const std::string raw = md5.raw();
    std::copy(raw.begin(), raw.end(), digest.begin());
    worked_out.set(digest);
    CHECK(worked_out.hex() == "3e25960a79dbc69b674cd4ec67a72c62");
    CHECK(worked_out.base64() == "PiWWCnnbxptnTNTsZ6csYg==");
}

TEST_CASE("S3 multipart ETag is the MD5 of the part MD5s and the part count", "[s3][unit]") {
    std::vector<std::string> raw_md5s;
    for (const std::string& part : pattern_parts()) {
        Md5Hasher md5;
        md5.update(part);
        raw_md5s.push_back(md5.raw());
    }
    // The MD5 composite from checksum_vectors.mjs, in hex.
    const auto expected = awsemu::auth::base64_decode("4AQATPMp8Bb0sniYC5Q4MA==");
    REQUIRE(expected.has_value());
    CHECK(multipart_etag(raw_md5s) == awsemu::auth::hex_encode(*expected) + "-3");
}

TEST_CASE("S3 COMPOSITE checksums of parts match the AWS SDK's", "[s3][unit]") {
    const std::vector<std::string> parts = pattern_parts();
    for (const auto& [name, expected] : kCompositeVectors) {
        INFO(name);
        const ChecksumAlgorithm algorithm = *parse_checksum_algorithm(name);
        std::vector<std::string> raw;
        for (const std::string& part : parts) {
            Checksum checksum(algorithm);
            checksum.update(part);
            raw.push_back(checksum.raw());
        }
        CHECK(composite_checksum(algorithm, raw) == expected);
    }
}

TEST_CASE("S3 FULL_OBJECT CRCs combine part CRCs into the whole object's CRC", "[s3][unit]") {
    const std::string whole = pattern_bytes(1 << 20);
    for (const auto algorithm :
         {ChecksumAlgorithm::Crc32, ChecksumAlgorithm::Crc32c, ChecksumAlgorithm::Crc64Nvme}) {
        INFO(checksum_name(algorithm));
        Checksum reference(algorithm);
        reference.update(whole);
        // Uneven parts, an empty one and a one-byte one among them.
        for (const std::vector<std::size_t>& sizes : std::vector<std::vector<std::size_t>>{
                 {1 << 20}, {400000, 400000, 248576}, {1, 0, 524287, 524288}}) {
            std::vector<PartChecksum> parts;
            std::size_t offset = 0;
            for (const std::size_t size : sizes) {
                Checksum part(algorithm);
                part.update(std::string_view(whole).substr(offset, size));
                parts.push_back({part.raw(), size});
                offset += size;
            }
            CHECK(combine_full_object(algorithm, parts) == reference.base64());
        }
    }
    CHECK(combine_full_object(ChecksumAlgorithm::Crc32, {}) == "AAAAAA==");
    CHECK_THROWS_AS(combine_full_object(ChecksumAlgorithm::Sha256, {}), std::invalid_argument);
    CHECK_THROWS_AS(combine_full_object(ChecksumAlgorithm::Crc32, {{"abc", 3}}),
                    std::invalid_argument);
}

TEST_CASE("S3 crc_combine spans lengths beyond 4 GiB", "[s3][unit]") {
    // crc(A + 2^33 zero bytes) computed two ways: combining with the CRC of the zeros, and
    // combining the zeros' CRC built by doubling (crc of Z+Z from crc of Z).
    for (const auto algorithm : {ChecksumAlgorithm::Crc32, ChecksumAlgorithm::Crc64Nvme}) {
        Checksum zeros_checksum(algorithm);
        zeros_checksum.update(std::string(1 << 20, '\0'));
        std::uint64_t zeros = 0;
        for (const char c : zeros_checksum.raw()) {
            zeros = (zeros << 8) | static_cast<unsigned char>(c);
        }
        std::uint64_t length = 1 << 20;
        while (length < (1ull << 33)) {
            zeros = crc_combine(algorithm, zeros, zeros, length);
            length *= 2;
        }
        Checksum a(algorithm);
        a.update("a");
        std::uint64_t crc_a = 0;
        for (const char c : a.raw()) {
            crc_a = (crc_a << 8) | static_cast<unsigned char>(c);
        }
        const std::uint64_t combined = crc_combine(algorithm, crc_a, zeros, length);
        // Appending a byte after: both orders of grouping must agree.
        Checksum b(algorithm);
        b.update("b");
        std::uint64_t crc_b = 0;
        for (const char c : b.raw()) {
            crc_b = (crc_b << 8) | static_cast<unsigned char>(c);
        }
        CHECK(crc_combine(algorithm, combined, crc_b, 1) ==
              crc_combine(algorithm, crc_a, crc_combine(algorithm, zeros, crc_b, 1), length + 1));
    }
}
