#include "services/s3/aws_chunked_decoder.hpp"

#include "emulator/protocol/url_encoding.hpp"

#include <algorithm>
#include <utility>

#include "emulator/ascii.hpp"
#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/aws_error.hpp"
#include "services/s3/s3_errors.hpp"

namespace awsemu::s3 {
namespace {

// A chunk header with its signature is about 85 bytes; a trailer line about 100.
constexpr std::size_t kMaxChunkHeaderBytes = 4096;
constexpr std::size_t kMaxTrailerBytes = 16384;
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kTrailerSignature = "x-amz-trailer-signature";

constexpr std::string_view kIncompleteBodyMessage = "The request body terminated unexpectedly";
constexpr std::string_view kSignatureMessage =
    "The request signature we calculated does not match the signature you provided. Check "
    "your key and signing method.";
constexpr std::string_view kMalformedTrailerMessage =
    "The request contained trailing data that was not well-formed or did not conform to our "
    "published schema.";

[[noreturn]] void fail_framing(std::string_view what) {
    throw AwsError(errors::InvalidRequest, "Invalid aws-chunked body: " + std::string(what));
}

[[noreturn]] void fail_trailer() {
    throw AwsError(errors::MalformedTrailerError, std::string(kMalformedTrailerMessage));
}

bool is_lower_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::optional<StreamingPayload> parse_streaming_payload(std::string_view content_sha256) {
    if (content_sha256 == "STREAMING-UNSIGNED-PAYLOAD-TRAILER") {
        return StreamingPayload::UnsignedTrailer;
    }
    if (content_sha256 == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") {
        return StreamingPayload::Signed;
    }
    if (content_sha256 == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
        return StreamingPayload::SignedTrailer;
    }
    return std::nullopt;
}

std::vector<std::string> parse_trailer_names(std::string_view x_amz_trailer) {
    std::vector<std::string> names;
    while (!x_amz_trailer.empty()) {
        const std::size_t comma = x_amz_trailer.find(',');
        const std::string_view name = trim_blanks(x_amz_trailer.substr(0, comma));
        if (!name.empty()) {
            names.push_back(ascii_lower(name));
        }
        if (comma == std::string_view::npos) {
            break;
        }
        x_amz_trailer.remove_prefix(comma + 1);
    }
    return names;
}

AwsChunkedDecoder::AwsChunkedDecoder(DataSink on_data, Options options)
    : on_data_(std::move(on_data)), options_(std::move(options)) {
    if (options_.signing) {
        previous_signature_ = options_.signing->seed_signature;
    }
}

std::size_t AwsChunkedDecoder::take_line(std::string_view bytes, std::size_t max_line) {
    const std::size_t newline = bytes.find('\n');
    const std::size_t taken = newline == std::string_view::npos ? bytes.size() : newline + 1;
    if (line_.size() + taken > max_line) {
        if (state_ == State::Trailers) {
            fail_trailer();
        }
        fail_framing("chunk header too long");
    }
    line_.append(bytes.substr(0, taken));
    line_complete_ = newline != std::string_view::npos;
    return taken;
}

void AwsChunkedDecoder::feed(std::string_view bytes) {
    while (!bytes.empty()) {
        switch (state_) {
            case State::ChunkHeader:
            case State::Trailers: {
                const bool header = state_ == State::ChunkHeader;
                const std::size_t taken = take_line(
                    bytes, header ? kMaxChunkHeaderBytes : kMaxTrailerBytes - trailer_bytes_);
                bytes.remove_prefix(taken);
                if (!line_complete_) {
                    break;
                }
                if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
                    if (header) {
                        fail_framing("chunk header not ended by CRLF");
                    }
                    fail_trailer();
                }
                const std::string line = std::move(line_);
                line_.clear();
                line_complete_ = false;
                const std::string_view content(line.data(), line.size() - 2);
                if (header) {
                    on_chunk_header(content);
                } else {
                    trailer_bytes_ += line.size();
                    on_trailer_line(content);
                }
                break;
            }
            case State::ChunkData: {
                const auto n = static_cast<std::size_t>(
                    std::min<std::uint64_t>(chunk_remaining_, bytes.size()));
                const std::string_view data = bytes.substr(0, n);
                if (chunk_sha256_) {
                    chunk_sha256_->update(data);
                }
                decoded_length_ += n;
                chunk_remaining_ -= n;
                bytes.remove_prefix(n);
                on_data_(data);
                if (chunk_remaining_ == 0) {
                    state_ = State::ChunkDataEnd;
                    chunk_end_matched_ = 0;
                }
                break;
            }
            case State::ChunkDataEnd: {
                const char expected = chunk_end_matched_ == 0 ? '\r' : '\n';
                if (bytes.front() != expected) {
                    fail_framing("chunk data longer than its size");
                }
                bytes.remove_prefix(1);
                if (++chunk_end_matched_ == 2) {
                    on_chunk_end();
                }
                break;
            }
            case State::Done:
                fail_framing("data after the final chunk");
        }
    }
}

void AwsChunkedDecoder::on_chunk_header(std::string_view line) {
    const std::size_t semicolon = line.find(';');
    const std::string_view size_text = line.substr(0, semicolon);
    if (size_text.empty() || size_text.size() > 16) {
        fail_framing("bad chunk size");
    }
    std::uint64_t size = 0;
    for (const char c : size_text) {
        const int digit = hex_value(c);
        if (digit < 0) {
            fail_framing("bad chunk size");
        }
        size = (size << 4) | static_cast<std::uint64_t>(digit);
    }
    chunk_signature_.clear();
    std::string_view extensions =
        semicolon == std::string_view::npos ? std::string_view() : line.substr(semicolon + 1);
    while (!extensions.empty()) {
        const std::size_t next = extensions.find(';');
        const std::string_view extension = extensions.substr(0, next);
        const std::size_t equals = extension.find('=');
        if (equals != std::string_view::npos &&
            trim_blanks(extension.substr(0, equals)) == "chunk-signature") {
            chunk_signature_ = std::string(trim_blanks(extension.substr(equals + 1)));
        }
        extensions =
            next == std::string_view::npos ? std::string_view() : extensions.substr(next + 1);
    }
    if (options_.signing && (chunk_signature_.size() != 64 || !is_lower_hex(chunk_signature_))) {
        fail_signature();
    }

    ++chunk_count_;
    if (size > 0 && short_chunk_ && options_.enforce_min_chunk_size) {
        throw AwsError(errors::InvalidChunkSizeError,
                       "Only the last chunk is allowed to have a size less than 8192 bytes");
    }
    if (size > 0 && size < kMinChunkSize) {
        short_chunk_ = chunk_count_;
    }
    if (size == 0) {
        if (options_.signing) {
            check_chunk_signature(kEmptySha256);
        }
        state_ = State::Trailers;
        return;
    }
    if (options_.signing) {
        chunk_sha256_.emplace(ChecksumAlgorithm::Sha256);
    }
    chunk_remaining_ = size;
    state_ = State::ChunkData;
}

void AwsChunkedDecoder::on_chunk_end() {
    if (chunk_sha256_) {
        const std::string digest = auth::hex_encode(chunk_sha256_->raw());
        chunk_sha256_.reset();
        check_chunk_signature(digest);
    }
    state_ = State::ChunkHeader;
}

void AwsChunkedDecoder::check_chunk_signature(std::string_view data_sha256_hex) {
    const Signing& signing = *options_.signing;
    std::string to_sign = "AWS4-HMAC-SHA256-PAYLOAD\n";
    to_sign.append(signing.amz_date).append("\n");
    to_sign.append(signing.scope).append("\n");
    to_sign.append(previous_signature_).append("\n");
    to_sign.append(kEmptySha256).append("\n");
    to_sign.append(data_sha256_hex);
    std::string expected = auth::hex_encode(auth::hmac_sha256(signing.signing_key, to_sign));
    if (!auth::constant_time_equals(expected, chunk_signature_)) {
        fail_signature();
    }
    previous_signature_ = std::move(expected);
}

void AwsChunkedDecoder::on_trailer_line(std::string_view line) {
    if (line.empty()) {
        // Some writers put the blank line that ends a bodiless chunked message before the
        // trailers; it ends the body only when no trailer is expected.
        if (trailers_.empty() && !trailer_signature_seen_ && !blank_before_trailers_ &&
            !options_.declared_trailers.empty()) {
            blank_before_trailers_ = true;
            return;
        }
        state_ = State::Done;
        return;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || trailer_signature_seen_) {
        fail_trailer();
    }
    const std::string name = ascii_lower(trim_blanks(line.substr(0, colon)));
    const std::string_view value = trim_blanks(line.substr(colon + 1));
    if (name.empty()) {
        fail_trailer();
    }
    if (name == kTrailerSignature) {
        trailer_signature_seen_ = true;
        if (options_.signing) {
            const Signing& signing = *options_.signing;
            std::string to_sign = "AWS4-HMAC-SHA256-TRAILER\n";
            to_sign.append(signing.amz_date).append("\n");
            to_sign.append(signing.scope).append("\n");
            to_sign.append(previous_signature_).append("\n");
            to_sign.append(auth::sha256_hex(canonical_trailers_));
            const std::string expected =
                auth::hex_encode(auth::hmac_sha256(signing.signing_key, to_sign));
            if (!auth::constant_time_equals(expected, value)) {
                fail_signature();
            }
        }
        return;
    }
    const auto& declared = options_.declared_trailers;
    if (std::find(declared.begin(), declared.end(), name) == declared.end() ||
        trailers_.contains(name)) {
        fail_trailer();
    }
    canonical_trailers_.append(name).append(":").append(value).append("\n");
    trailers_.emplace(name, std::string(value));
}

void AwsChunkedDecoder::finish() {
    // A body whose trailers are not followed by the closing blank line is taken as ended.
    const bool unterminated_trailers =
        state_ == State::Trailers &&
        (!trailers_.empty() || trailer_signature_seen_ || blank_before_trailers_) &&
        (line_.empty() || line_ == "\r");
    if (state_ != State::Done && !unterminated_trailers) {
        throw AwsError(errors::IncompleteBody, std::string(kIncompleteBodyMessage));
    }
    state_ = State::Done;
    for (const std::string& name : options_.declared_trailers) {
        if (!trailers_.contains(name)) {
            fail_trailer();
        }
    }
    if (options_.signing && !trailers_.empty() && !trailer_signature_seen_) {
        fail_signature();
    }
}

void AwsChunkedDecoder::fail_signature() const {
    throw AwsError(errors::SignatureDoesNotMatch, std::string(kSignatureMessage));
}

}  // namespace awsemu::s3
