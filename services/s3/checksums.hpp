#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/auth/md5_lanes.hpp"

// S3's integrity values, computed as the body streams by: the flexible checksums
// (x-amz-checksum-*), the MD5 behind ETags and Content-MD5, and the multipart checksums of
// checksums. Nothing here holds a body; every hasher takes it piece by piece.
namespace awsemu::s3 {

// The ChecksumAlgorithm values of S3's model that awsemu computes. The model (botocore 1.43)
// also lists XXHASH64, XXHASH3 and XXHASH128, which parse_checksum_algorithm does not accept.
enum class ChecksumAlgorithm { Crc32, Crc32c, Crc64Nvme, Sha1, Sha256, Sha512, Md5 };

// "CRC32", "crc32c", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5" in any case, as the
// x-amz-sdk-checksum-algorithm and x-amz-checksum-algorithm headers carry them.
std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name);

// "x-amz-checksum-crc32", ... : the request and response header, and the trailer name.
std::string_view checksum_header_name(ChecksumAlgorithm algorithm);

// The algorithm a (case-insensitive) header name like "x-amz-checksum-crc32c" stands for.
std::optional<ChecksumAlgorithm> checksum_algorithm_for_header(std::string_view header_name);

// "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "SHA512", "MD5": the wire name, and the
// suffix of the XML members (<ChecksumCRC32>, <ChecksumCRC64NVME>, ...).
std::string_view checksum_name(ChecksumAlgorithm algorithm);

// Bytes of the raw digest: 4, 4, 8, 20, 32, 64, 16.
std::size_t checksum_size(ChecksumAlgorithm algorithm);

// The CRCs, whose multipart uploads may use the FULL_OBJECT checksum type; the others only
// COMPOSITE.
bool supports_full_object(ChecksumAlgorithm algorithm);

namespace detail {
struct EvpDigest;
struct EvpDigestDeleter {
    void operator()(EvpDigest* digest) const;
};
}  // namespace detail

// One running checksum. raw() and base64() may be asked at any time and do not end it: more
// update() calls may follow.
class Checksum {
  public:
    explicit Checksum(ChecksumAlgorithm algorithm);
    Checksum(Checksum&&) noexcept;
    Checksum& operator=(Checksum&&) noexcept;
    ~Checksum();

    ChecksumAlgorithm algorithm() const { return algorithm_; }
    void update(std::string_view bytes);
    // Bytes fed so far.
    std::uint64_t length() const { return length_; }
    // The digest's bytes, a CRC big-endian (as S3 sends it).
    std::string raw() const;
    // The value as S3 sends it: base64 of raw().
    std::string base64() const;

  private:
    ChecksumAlgorithm algorithm_;
    std::uint64_t crc_ = 0;  // the CRC's running register, before the final inversion
    std::uint64_t length_ = 0;
    std::unique_ptr<detail::EvpDigest, detail::EvpDigestDeleter> digest_;
};

// The streaming MD5 of an object or part body: the ETag (hex) and Content-MD5 (base64).
class Md5Hasher {
  public:
    void update(std::string_view bytes);
    // The whole body's MD5, worked out elsewhere; no update() comes before or after.
    void set(const auth::Md5Digest& md5);
    std::string raw() const;
    std::string hex() const;
    std::string base64() const;

  private:
    // Made by the first update(): a body whose MD5 is set never needs OpenSSL's context.
    std::optional<Checksum> running_;
    std::string set_;
};

// A multipart upload's ETag: hex MD5 of the concatenated raw part MD5s, "-", the part count
// (without the quotes the ETag header adds).
std::string multipart_etag(const std::vector<std::string>& raw_part_md5s);

// The COMPOSITE checksum of a multipart upload: base64 of the algorithm's digest of the
// concatenated raw part checksums, "-", the part count.
std::string composite_checksum(ChecksumAlgorithm algorithm,
                               const std::vector<std::string>& raw_part_checksums);

struct PartChecksum {
    std::string raw;       // the part's raw CRC, big-endian
    std::uint64_t length;  // the part's size in bytes
};

// The FULL_OBJECT checksum of a multipart upload: the CRC of the whole object, combined from
// the parts' CRCs and sizes without reading the object; base64 of it, no part count. Throws
// std::invalid_argument for an algorithm that is not a CRC or a raw value of the wrong size.
std::string combine_full_object(ChecksumAlgorithm algorithm,
                                const std::vector<PartChecksum>& parts);

// The CRC of A followed by B from crc(A), crc(B) and B's length, each CRC as its final value
// (as raw() holds it, read as a number): zlib's crc32_combine for the three CRCs.
std::uint64_t crc_combine(ChecksumAlgorithm algorithm, std::uint64_t crc_a, std::uint64_t crc_b,
                          std::uint64_t length_b);

}  // namespace awsemu::s3
