#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/types.h>

// Hashing, MACs and encodings every service needs (SigV4, S3 ETags, SQS MD5s, KMS blobs).
// Binary values travel as std::string holding raw bytes.
namespace awsemu::auth {

// The digest `name` ("MD5", "SHA256", ...) fetched from OpenSSL's providers: OpenSSL 3 looks
// an algorithm up, under a lock, on every use of EVP_md5() and the like, which costs a short
// input about as much as hashing it. Call once and keep the answer.
const EVP_MD* fetched_digest(const char* name);

// Lower-case hex of the SHA-256 digest.
std::string sha256_hex(std::string_view data);

// Raw 32-byte HMAC-SHA256 of data under key.
std::string hmac_sha256(std::string_view key, std::string_view data);

// Lower-case hex of the MD5 digest.
std::string md5_hex(std::string_view data);

// Lower-case hex, two characters a byte.
std::string hex_encode(std::string_view bytes);

// Standard alphabet with '=' padding (RFC 4648 section 4).
std::string base64_encode(std::string_view bytes);

// Strict: the length must be a multiple of four, only the standard alphabet, padding only at
// the end; no whitespace. Anything else is nullopt.
std::optional<std::string> base64_decode(std::string_view text);

// n bytes from OpenSSL's CSPRNG; throws std::runtime_error if it fails.
std::string random_bytes(std::size_t n);

// Compares in time that depends only on the lengths, so a signature check leaks nothing.
bool constant_time_equals(std::string_view a, std::string_view b);

// A version 4 UUID ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx") from 16 random bytes.
std::string uuid_v4(std::string_view random16);
// A version 4 UUID from a fast per-thread generator: unique, not unpredictable. For request and
// message ids, which are made on every request and need no system call.
std::string fast_uuid_v4();
// 63 bits from the same generator.
std::int64_t fast_random_int();

}  // namespace awsemu::auth
