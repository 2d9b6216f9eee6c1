#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/auth/chunk_signing.hpp"
#include "services/s3/checksums.hpp"

// Bodies sent with Content-Encoding: aws-chunked, decoded as they stream in:
//
//   unsigned, trailer:  hex-size CRLF data CRLF ... 0 CRLF x-amz-checksum-crc32:BASE64 CRLF CRLF
//   signed:             hex-size;chunk-signature=SIG CRLF data CRLF ... 0;chunk-signature=SIG
//                       CRLF CRLF
//   signed, trailer:    ... 0;chunk-signature=SIG CRLF trailer lines
//                       x-amz-trailer-signature:SIG CRLF CRLF
//
// (AWS S3 API Reference, "Signature Calculations for the Authorization Header: Transferring
// Payload in Multiple Chunks" and "... Including Trailing Headers".) The outer HTTP framing
// (Content-Length or Transfer-Encoding: chunked, which boto3 uses) is already gone.
namespace awsemu::s3 {

// The x-amz-content-sha256 values that announce an aws-chunked body awsemu decodes.
// STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER] (SigV4a) is not among them.
enum class StreamingPayload {
    UnsignedTrailer,  // STREAMING-UNSIGNED-PAYLOAD-TRAILER
    Signed,           // STREAMING-AWS4-HMAC-SHA256-PAYLOAD
    SignedTrailer,    // STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
};
std::optional<StreamingPayload> parse_streaming_payload(std::string_view content_sha256);

// The names in x-amz-trailer ("x-amz-checksum-crc32", comma-separated), trimmed, lower-case.
std::vector<std::string> parse_trailer_names(std::string_view x_amz_trailer);

// Every chunk but the last must carry at least this many bytes.
inline constexpr std::size_t kMinChunkSize = 8192;

// Fed the body in pieces of any size (a chunk header or trailer line may be split anywhere), it
// hands the payload bytes to on_data as they arrive and keeps the trailers. Errors are
// AwsErrors with S3's codes: IncompleteBody (body ends early), InvalidRequest (bad framing),
// InvalidChunkSizeError, MalformedTrailerError, SignatureDoesNotMatch.
//
// A chunk's bytes reach on_data before its signature can be checked (the signature covers the
// whole chunk, which may be large): after any throw the caller must discard everything it was
// given. Comparing decoded_length() with x-amz-decoded-content-length and a trailer checksum
// with the checksum of the bytes is the caller's part.
class AwsChunkedDecoder {
  public:
    using DataSink = std::function<void(std::string_view)>;

    using Signing = auth::ChunkSigning;

    struct Options {
        // Set: every chunk must carry a chunk-signature, every one is checked, and trailers
        // must end with a valid x-amz-trailer-signature. Unset (open auth, or the unsigned
        // trailer form): signatures are read past, unchecked.
        std::optional<Signing> signing;
        // x-amz-trailer's names (parse_trailer_names): each must arrive, no other may.
        std::vector<std::string> declared_trailers;
        // AWS's InvalidChunkSizeError for a short chunk that is not the last.
        bool enforce_min_chunk_size = true;
    };

    AwsChunkedDecoder(DataSink on_data, Options options);

    void feed(std::string_view bytes);
    // The body has ended: throws unless it ended after a complete final chunk and trailers.
    void finish();

    // Trailer names lower-case, values trimmed; x-amz-trailer-signature is not among them.
    const std::map<std::string, std::string>& trailers() const { return trailers_; }
    // Payload bytes handed to on_data so far.
    std::uint64_t decoded_length() const { return decoded_length_; }
    bool done() const { return state_ == State::Done; }

  private:
    enum class State { ChunkHeader, ChunkData, ChunkDataEnd, Trailers, Done };

    std::size_t take_line(std::string_view bytes, std::size_t max_line);
    void on_chunk_header(std::string_view line);
    void on_chunk_end();
    void on_trailer_line(std::string_view line);
    void check_chunk_signature(std::string_view data_sha256_hex);
    [[noreturn]] void fail_signature() const;

    DataSink on_data_;
    Options options_;
    State state_ = State::ChunkHeader;
    std::string line_;  // the header or trailer line being gathered
    bool line_complete_ = false;
    std::uint64_t chunk_remaining_ = 0;
    std::uint64_t chunk_count_ = 0;
    std::optional<std::uint64_t> short_chunk_;  // number of a chunk below kMinChunkSize
    int chunk_end_matched_ = 0;                 // bytes of the CRLF after the data seen
    std::string chunk_signature_;
    std::string previous_signature_;
    std::optional<Checksum> chunk_sha256_;
    std::uint64_t decoded_length_ = 0;
    std::map<std::string, std::string> trailers_;
    std::string canonical_trailers_;  // "name:value\n" each, as the trailer signature covers
    std::size_t trailer_bytes_ = 0;
    bool trailer_signature_seen_ = false;
    bool blank_before_trailers_ = false;
};

}  // namespace awsemu::s3
