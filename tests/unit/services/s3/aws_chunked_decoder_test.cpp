#include "services/s3/aws_chunked_decoder.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "emulator/auth/crypto.hpp"
#include "services/s3/checksums.hpp"
#include "services/s3/s3_errors.hpp"
#include "tests/unit/aws_error_capture.hpp"

using namespace awsemu;
using namespace awsemu::s3;
using awsemu::testing::thrown_aws_error;

namespace {

// The example credentials and request of AWS's "Signature Calculations for the Authorization
// Header: Transferring Payload in Multiple Chunks" and "... Including Trailing Headers" (Amazon
// S3 API Reference): PUT of 66560 bytes of 'a' in chunks of 65536, 1024 and 0 bytes.
constexpr std::string_view kExampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kExampleDate = "20130524T000000Z";
constexpr std::string_view kExampleScope = "20130524/us-east-1/s3/aws4_request";

std::string example_signing_key() {
    // The SigV4 key derivation, as auth::signing_key does it.
    std::string key = auth::hmac_sha256("AWS4" + std::string(kExampleSecret), "20130524");
    key = auth::hmac_sha256(key, "us-east-1");
    key = auth::hmac_sha256(key, "s3");
    return auth::hmac_sha256(key, "aws4_request");
}

AwsChunkedDecoder::Signing example_signing(std::string seed) {
    return {std::move(seed), example_signing_key(), std::string(kExampleDate),
            std::string(kExampleScope)};
}

std::string signed_chunk(std::size_t size, std::string_view signature) {
    std::ostringstream out;
    out << std::hex << size << ";chunk-signature=" << signature << "\r\n"
        << std::string(size, 'a') << "\r\n";
    return out.str();
}

// The documented bodies, signatures as the pages print them.
std::string aws_signed_example() {
    return signed_chunk(65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648") +
           signed_chunk(1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497") +
           signed_chunk(0, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
}
constexpr std::string_view kSignedSeed =
    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

std::string aws_signed_trailer_example() {
    std::string body =
        signed_chunk(65536, "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2") +
        signed_chunk(1024, "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7") +
        "0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n";
    body += "x-amz-checksum-crc32c:sOO8/Q==\r\n";
    body +=
        "x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435"
        "\r\n\r\n";
    return body;
}
constexpr std::string_view kSignedTrailerSeed =
    "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";

struct Decoded {
    std::string payload;
    std::map<std::string, std::string> trailers;
    std::uint64_t decoded_length = 0;
};

Decoded decode(std::string_view body, AwsChunkedDecoder::Options options, std::size_t piece) {
    Decoded out;
    AwsChunkedDecoder decoder([&](std::string_view data) { out.payload.append(data); },
                              std::move(options));
    for (std::size_t i = 0; i < body.size(); i += piece) {
        decoder.feed(body.substr(i, piece));
    }
    decoder.finish();
    out.trailers = decoder.trailers();
    out.decoded_length = decoder.decoded_length();
    CHECK(out.decoded_length == out.payload.size());
    return out;
}

AwsChunkedDecoder::Options with_trailers(std::vector<std::string> names) {
    AwsChunkedDecoder::Options options;
    options.declared_trailers = std::move(names);
    return options;
}

std::filesystem::path fixtures() {
    return std::filesystem::path(__FILE__).parent_path() / "fixtures";
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::map<std::string, std::string> read_headers(const std::filesystem::path& path) {
    std::map<std::string, std::string> headers;
    std::istringstream in(read_file(path));
    std::string line;
    while (std::getline(in, line)) {
        const std::size_t colon = line.find(": ");
        headers[line.substr(0, colon)] = line.substr(colon + 2);
    }
    return headers;
}

}  // namespace

TEST_CASE("S3 aws-chunked decodes AWS's documented signed upload and checks every chunk",
          "[s3][unit]") {
    const std::string body = aws_signed_example();
    for (const std::size_t piece : {body.size(), std::size_t{1}, std::size_t{1000}}) {
        INFO("pieces of " << piece);
        AwsChunkedDecoder::Options options;
        options.signing = example_signing(std::string(kSignedSeed));
        const Decoded decoded = decode(body, options, piece);
        CHECK(decoded.payload == std::string(66560, 'a'));
        CHECK(decoded.trailers.empty());
    }
}

TEST_CASE("S3 aws-chunked decodes AWS's documented signed upload with a checksum trailer",
          "[s3][unit]") {
    const std::string body = aws_signed_trailer_example();
    for (const std::size_t piece : {body.size(), std::size_t{1}, std::size_t{7}}) {
        INFO("pieces of " << piece);
        AwsChunkedDecoder::Options options = with_trailers({"x-amz-checksum-crc32c"});
        options.signing = example_signing(std::string(kSignedTrailerSeed));
        const Decoded decoded = decode(body, options, piece);
        CHECK(decoded.payload == std::string(66560, 'a'));
        CHECK(decoded.trailers ==
              std::map<std::string, std::string>{{"x-amz-checksum-crc32c", "sOO8/Q=="}});
        // The documented trailer is the CRC32C of the documented payload.
        Checksum crc32c(ChecksumAlgorithm::Crc32c);
        crc32c.update(decoded.payload);
        CHECK(crc32c.base64() == "sOO8/Q==");
    }
}

TEST_CASE("S3 aws-chunked rejects altered signed bodies with SignatureDoesNotMatch", "[s3][unit]") {
    const auto expect_mismatch = [](std::string body, std::string_view seed,
                                    std::vector<std::string> trailers) {
        AwsChunkedDecoder::Options options = with_trailers(std::move(trailers));
        options.signing = example_signing(std::string(seed));
        const AwsError error = thrown_aws_error([&] { decode(body, options, 4096); });
        CHECK(error.spec().code == "SignatureDoesNotMatch");
        CHECK(error.spec().http_status == 403);
    };
    std::string body = aws_signed_example();
    SECTION("one payload byte changed in the first chunk") {
        body[1000] = 'b';
        expect_mismatch(body, kSignedSeed, {});
    }
    SECTION("one payload byte changed in the last chunk") {
        body[body.size() - 200] = 'b';
        expect_mismatch(body, kSignedSeed, {});
    }
    SECTION("another seed signature") {
        expect_mismatch(body, kSignedTrailerSeed, {});
    }
    SECTION("a first chunk signature that matches only in its first 36 digits") {
        body.replace(body.find("ad80c730"), 64,
                     "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2329467e8d3d69a5f2c5e380");
        expect_mismatch(body, kSignedSeed, {});
    }
    SECTION("a chunk without a signature") {
        body.replace(0, body.find("\r\n"), "10000");
        expect_mismatch(body, kSignedSeed, {});
    }
    SECTION("chunks swapped") {
        const std::string swapped =
            signed_chunk(1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497") +
            signed_chunk(65536,
                         "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648") +
            signed_chunk(0, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
        AwsChunkedDecoder::Options options;
        options.signing = example_signing(std::string(kSignedSeed));
        options.enforce_min_chunk_size = false;
        CHECK(thrown_aws_error([&] { decode(swapped, options, 4096); }).spec().code ==
              "SignatureDoesNotMatch");
    }
    std::string trailer_body = aws_signed_trailer_example();
    SECTION("a trailer value changed") {
        trailer_body.replace(trailer_body.find("sOO8/Q=="), 8, "AAAAAA==");
        expect_mismatch(trailer_body, kSignedTrailerSeed, {"x-amz-checksum-crc32c"});
    }
    SECTION("the trailer signature left out") {
        const std::size_t at = trailer_body.find("x-amz-trailer-signature");
        trailer_body.erase(at, trailer_body.size() - 2 - at);
        expect_mismatch(trailer_body, kSignedTrailerSeed, {"x-amz-checksum-crc32c"});
    }
}

TEST_CASE("S3 aws-chunked in open auth reads past signatures without checking them", "[s3][unit]") {
    std::string body = aws_signed_trailer_example();
    body.replace(body.find("b474d886"), 8, "00000000");
    const Decoded decoded = decode(body, with_trailers({"x-amz-checksum-crc32c"}), 1);
    CHECK(decoded.payload == std::string(66560, 'a'));
    CHECK(decoded.trailers ==
          std::map<std::string, std::string>{{"x-amz-checksum-crc32c", "sOO8/Q=="}});
}

TEST_CASE(
    "S3 aws-chunked decodes boto3's and the JavaScript SDK's uploads, whole and a byte "
    "at a time",
    "[s3][unit]") {
    // Captured by capture_aws_chunked.py from boto3 1.43.11 put_object, upload_part and
    // upload_file over HTTPS, and by capture_aws_chunked_js.mjs from @aws-sdk/client-s3
    // 3.1169.0 PutObject with stream bodies (three pieces: 10000, 10000, 500 bytes), all
    // STREAMING-UNSIGNED-PAYLOAD-TRAILER with a checksum trailer.
    const std::map<std::string, std::string> expected_payloads = {
        {"boto3_put_hello_crc32", "Hello world"},
        {"boto3_put_empty_crc32", ""},
        {"js_put_stream_crc32",
         std::string(10000, 'x') + std::string(10000, 'y') + std::string(500, 'z')},
        {"js_put_stream_crc64nvme",
         std::string(10000, 'x') + std::string(10000, 'y') + std::string(500, 'z')},
    };
    const std::vector<std::string> names = {
        "boto3_put_hello_crc32", "boto3_put_empty_crc32",   "boto3_put_sha256",
        "boto3_put_sha1",        "boto3_upload_part_crc32", "boto3_upload_file_crc32",
        "js_put_stream_crc32",   "js_put_stream_crc64nvme",
    };
    for (const std::string& name : names) {
        INFO(name);
        const std::string body = read_file(fixtures() / (name + ".body"));
        const auto headers = read_headers(fixtures() / (name + ".headers"));
        CHECK(headers.at("content-encoding") == "aws-chunked");
        CHECK(parse_streaming_payload(headers.at("x-amz-content-sha256")) ==
              StreamingPayload::UnsignedTrailer);
        const std::vector<std::string> trailer_names =
            parse_trailer_names(headers.at("x-amz-trailer"));
        REQUIRE(trailer_names.size() == 1);
        const auto algorithm = checksum_algorithm_for_header(trailer_names[0]);
        REQUIRE(algorithm.has_value());
        CHECK(checksum_name(*algorithm) == headers.at("x-amz-sdk-checksum-algorithm"));

        for (const std::size_t piece : {std::max<std::size_t>(body.size(), 1), std::size_t{1}}) {
            const Decoded decoded = decode(body, with_trailers(trailer_names), piece);
            CHECK(std::to_string(decoded.decoded_length) ==
                  headers.at("x-amz-decoded-content-length"));
            if (expected_payloads.contains(name)) {
                CHECK(decoded.payload == expected_payloads.at(name));
            }
            Checksum checksum(*algorithm);
            checksum.update(decoded.payload);
            CHECK(decoded.trailers.at(trailer_names[0]) == checksum.base64());
        }
    }
}

TEST_CASE("S3 aws-chunked refuses the JavaScript SDK's stream of 100-byte pieces as AWS does",
          "[s3][unit]") {
    // The SDK makes one aws chunk of each piece its stream yields; its own middleware answers
    // AWS's InvalidChunkSizeError with advice to set requestStreamBufferSize.
    const std::string body = read_file(fixtures() / "js_put_small_pieces_crc32c.body");
    AwsChunkedDecoder::Options options = with_trailers({"x-amz-checksum-crc32c"});
    CHECK(thrown_aws_error([&] { decode(body, options, 1); }).spec().code ==
          "InvalidChunkSizeError");
    options.enforce_min_chunk_size = false;
    const Decoded decoded = decode(body, options, 1);
    CHECK(decoded.payload == std::string(100, 'a') + std::string(100, 'b') + std::string(100, 'c') +
                                 std::string(100, 'd') + std::string(100, 'e'));
    Checksum crc32c(ChecksumAlgorithm::Crc32c);
    crc32c.update(decoded.payload);
    CHECK(decoded.trailers.at("x-amz-checksum-crc32c") == crc32c.base64());
}

TEST_CASE("S3 aws-chunked bodies that end early are IncompleteBody", "[s3][unit]") {
    const std::string body = read_file(fixtures() / "boto3_put_hello_crc32.body");
    // Every cut short of the closing blank line; without only that line the body is taken.
    for (std::size_t length = 0; length + 2 < body.size(); ++length) {
        INFO("first " << length << " bytes");
        const AwsError error = thrown_aws_error(
            [&] { decode(body.substr(0, length), with_trailers({"x-amz-checksum-crc32"}), 1); });
        CHECK(error.spec().code == "IncompleteBody");
        CHECK(error.spec().http_status == 400);
    }
    for (std::size_t missing : {1, 2}) {
        const Decoded decoded = decode(body.substr(0, body.size() - missing),
                                       with_trailers({"x-amz-checksum-crc32"}), 1);
        CHECK(decoded.trailers.at("x-amz-checksum-crc32") == "i9aeUg==");
    }
}

TEST_CASE("S3 aws-chunked rejects malformed framing with InvalidRequest", "[s3][unit]") {
    const std::vector<std::string> bad_bodies = {
        "zz\r\nab\r\n0\r\n\r\n",      // not hex
        "\r\n",                       // no size
        "2\nab\r\n0\r\n\r\n",         // header ended by LF alone
        "2\r\nabc\r\n0\r\n\r\n",      // data longer than its size
        "2\r\nab\r\n0\r\n\r\nextra",  // bytes after the end
        "11111111111111111\r\n",      // more than 64 bits of size
        std::string(5000, '1'),       // a header line without end
    };
    for (const std::string& body : bad_bodies) {
        INFO(body.substr(0, 40));
        AwsChunkedDecoder::Options options;
        options.enforce_min_chunk_size = false;
        const AwsError error = thrown_aws_error([&] { decode(body, options, 3); });
        CHECK(error.spec().code == "InvalidRequest");
        CHECK(error.spec().http_status == 400);
    }
}

TEST_CASE("S3 aws-chunked lets only the last chunk be under 8192 bytes", "[s3][unit]") {
    const std::string small_then_more =
        "64\r\n" + std::string(100, 'x') + "\r\n64\r\n" + std::string(100, 'y') + "\r\n0\r\n\r\n";
    const AwsError error = thrown_aws_error([&] { decode(small_then_more, {}, 64); });
    CHECK(error.spec().code == "InvalidChunkSizeError");
    CHECK(error.spec().http_status == 403);
    CHECK(std::string(error.what()) ==
          "Only the last chunk is allowed to have a size less than 8192 bytes");

    AwsChunkedDecoder::Options lenient;
    lenient.enforce_min_chunk_size = false;
    CHECK(decode(small_then_more, lenient, 64).payload ==
          std::string(100, 'x') + std::string(100, 'y'));

    const std::string big_then_small =
        "2000\r\n" + std::string(8192, 'x') + "\r\na\r\n" + std::string(10, 'y') + "\r\n0\r\n\r\n";
    CHECK(decode(big_then_small, {}, 1000).decoded_length == 8202);
}

TEST_CASE("S3 aws-chunked trailers must be the declared ones, well-formed", "[s3][unit]") {
    const auto body_with = [](std::string_view trailer_lines) {
        return "5\r\nhello\r\n0\r\n" + std::string(trailer_lines) + "\r\n";
    };
    const auto expect_malformed = [](const std::string& body, std::vector<std::string> names) {
        const AwsError error =
            thrown_aws_error([&] { decode(body, with_trailers(std::move(names)), 1); });
        CHECK(error.spec().code == "MalformedTrailerError");
        CHECK(error.spec().http_status == 400);
    };
    expect_malformed(body_with(""), {"x-amz-checksum-crc32"});  // declared, never sent
    expect_malformed(body_with("x-amz-checksum-sha256:abc=\r\n"), {"x-amz-checksum-crc32"});
    expect_malformed(body_with("x-amz-checksum-crc32:NhCmhg==\r\n"), {});  // not declared
    expect_malformed(body_with("no colon here\r\n"), {"x-amz-checksum-crc32"});
    expect_malformed(body_with("x-amz-checksum-crc32:NhCmhg==\r\nx-amz-checksum-crc32:x\r\n"),
                     {"x-amz-checksum-crc32"});
    expect_malformed(body_with("x-amz-checksum-crc32:" + std::string(20000, 'A') + "\r\n"),
                     {"x-amz-checksum-crc32"});

    // Names in any case, values trimmed; a blank line before the trailers is read past.
    const Decoded decoded = decode("5\r\nhello\r\n0\r\n\r\nX-Amz-Checksum-CRC32: NhCmhg== \r\n\r\n",
                                   with_trailers(parse_trailer_names("X-Amz-Checksum-Crc32")), 1);
    CHECK(decoded.payload == "hello");
    CHECK(decoded.trailers ==
          std::map<std::string, std::string>{{"x-amz-checksum-crc32", "NhCmhg=="}});
    // No trailer declared, none sent.
    CHECK(decode("5\r\nhello\r\n0\r\n\r\n", {}, 2).trailers.empty());
}

TEST_CASE("S3 aws-chunked payload modes and trailer names from the request headers", "[s3][unit]") {
    CHECK(parse_streaming_payload("STREAMING-UNSIGNED-PAYLOAD-TRAILER") ==
          StreamingPayload::UnsignedTrailer);
    CHECK(parse_streaming_payload("STREAMING-AWS4-HMAC-SHA256-PAYLOAD") ==
          StreamingPayload::Signed);
    CHECK(parse_streaming_payload("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") ==
          StreamingPayload::SignedTrailer);
    CHECK_FALSE(parse_streaming_payload("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD").has_value());
    CHECK_FALSE(parse_streaming_payload("UNSIGNED-PAYLOAD").has_value());
    CHECK(parse_trailer_names(" X-Amz-Checksum-CRC32 , x-amz-meta-a,") ==
          std::vector<std::string>{"x-amz-checksum-crc32", "x-amz-meta-a"});
    CHECK(parse_trailer_names("").empty());
}

TEST_CASE("S3 error constants carry AWS's codes and statuses", "[s3][unit]") {
    CHECK(s3::errors::IncompleteBody.code == "IncompleteBody");
    CHECK(s3::errors::IncompleteBody.http_status == 400);
    CHECK(s3::errors::SignatureDoesNotMatch.http_status == 403);
    CHECK(s3::errors::InvalidRequest.http_status == 400);
    CHECK(s3::errors::MalformedTrailerError.http_status == 400);
    CHECK(s3::errors::InvalidChunkSizeError.http_status == 403);
    CHECK(s3::errors::XAmzContentSHA256Mismatch.code == "XAmzContentSHA256Mismatch");
    CHECK(s3::errors::XAmzContentSHA256Mismatch.http_status == 400);
    CHECK(s3::errors::BadDigest.http_status == 400);
    CHECK(s3::errors::InvalidDigest.http_status == 400);
}
