#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "emulator/http/http_message.hpp"
#include "emulator/runtime/clock.hpp"

// AWS Signature Version 4 verification as small named steps, each testable on its own:
// parse -> canonical request -> string to sign -> signature -> verify.
namespace awsemu::auth {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
// AWS rejects presigned URLs valid for longer than seven days.
inline constexpr long kMaxPresignedExpirySeconds = 604800;

struct CredentialScope {
    std::string access_key_id;
    std::string date;  // YYYYMMDD
    std::string region;
    std::string service;
};

// What a request says about its signature.
struct SigV4Request {
    CredentialScope scope;
    std::vector<std::string> signed_headers;  // lower-case, in the order given
    std::string signature;                    // hex
    std::string amz_date;                     // YYYYMMDD'T'HHMMSS'Z', from X-Amz-Date or Date
    std::string session_token;                // X-Amz-Security-Token, may be empty
    bool presigned = false;                   // from query parameters X-Amz-*
    std::optional<long> expires_seconds;      // X-Amz-Expires (presigned only)
};

// Missing: no SigV4 at all (an anonymous request). Malformed: an Authorization header or
// X-Amz-* query parameters that do not make a usable SigV4 signature, including another scheme
// (SigV2, SigV4a), both header and query signing at once, or a credential date that differs
// from the request date.
enum class SigV4ParseError { Missing, Malformed };

// Reads the Authorization header ("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/
// aws4_request, SignedHeaders=host;x-amz-date, Signature=...") or the presigned query parameters
// (X-Amz-Algorithm, -Credential, -SignedHeaders, -Signature, -Date, optional -Expires and
// -Security-Token). Commas and spaces between components are interchangeable, as AWS allows.
std::variant<SigV4Request, SigV4ParseError> parse_sigv4(const HttpRequest& request);

// Who a signed request says it comes from: what open mode needs.
struct SigV4Caller {
    std::string access_key_id;
    std::string region;
};

// parse_sigv4's checks and result codes, without copying the signature, the signed header names
// and the dates out of the request.
std::variant<SigV4Caller, SigV4ParseError> parse_sigv4_caller(const HttpRequest& request);

// "20150830/us-east-1/service/aws4_request"
std::string scope_string(const CredentialScope& scope);

// s3_style: the path as sent, no dot-segment normalization, each segment decoded and encoded
// once. Otherwise: dot segments and empty segments removed, then the path as received (already
// percent-encoded once by the client) encoded again, which is the double encoding AWS's SigV4
// test suite and every non-S3 service expect.
std::string canonical_uri(const HttpRequest& request, bool s3_style);

// Parameters from the raw query, decoded ('+' stays '+') and re-encoded RFC 3986 style, sorted
// by encoded key then value; X-Amz-Signature is left out. A key without '=' gets an empty value.
std::string canonical_query(const HttpRequest& request);

// One "name:value\n" line per signed header, in the order given: values trimmed, runs of
// whitespace collapsed to one space, repeated headers joined with ','.
std::string canonical_headers(const HttpRequest& request,
                              const std::vector<std::string>& signed_headers);

// The x-amz-content-sha256 header if present (UNSIGNED-PAYLOAD, STREAMING-..., or a hash);
// else UNSIGNED-PAYLOAD for presigned S3 requests; else the SHA-256 of the body (presigned
// requests to other services sign the body hash, as the SDKs and AWS's test suite do).
std::string payload_hash(const HttpRequest& request, const SigV4Request& sig);

// Method, URI, query, headers, signed header names and payload hash, one per line. The URI is
// S3-style when the credential scope's service is "s3".
std::string canonical_request(const HttpRequest& request, const SigV4Request& sig);

std::string string_to_sign(const SigV4Request& sig, std::string_view canonical_request);

// The raw 32-byte key: HMAC chain of "AWS4" + secret over date, region, service, aws4_request.
std::string signing_key(std::string_view secret, const CredentialScope& scope);

// Lower-case hex.
std::string compute_signature(std::string_view secret, const SigV4Request& sig,
                              std::string_view string_to_sign);

enum class SigV4Check { Valid, SignatureMismatch, Expired, NotYetValid };

// Checks the signature in constant time and then, for presigned requests only, that now lies in
// [amz_date - 15 minutes, amz_date + expires] (expires defaults to, and is capped at, 604800).
// Header-signed requests get no clock-skew check: the emulated clock may run ahead of the
// client's wall clock (--time-scale).
SigV4Check verify_sigv4(const HttpRequest& request, const SigV4Request& sig,
                        std::string_view secret, TimePoint now);

// YYYYMMDD'T'HHMMSS'Z' in UTC; nullopt unless exactly that shape and a real date and time.
std::optional<TimePoint> parse_amz_date(std::string_view text);

}  // namespace awsemu::auth
