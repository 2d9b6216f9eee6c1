#include "services/sqs/message_digest.hpp"

#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <utility>

// Where the expected digests come from (none from this code):
//
// - "SDK" vectors: digest_vectors.mjs beside this file, run as
//     node tests/unit/services/sqs/digest_vectors.mjs
//   after scripts/install-deps.sh. It sends each message through the AWS SDK for JavaScript v3
//   (@aws-sdk/client-sqs 3.1169.0) over a fake HTTP handler. The body digests are checked by the
//   SDK's own SendMessage middleware with the SDK's MD5. The JavaScript SDK does not check
//   attribute digests, so the script encodes them as AWS documents, from the attributes as the
//   SDK serialized them, and first proves its encoder on the external vectors below.
// - External vectors: the AWS SDK for Ruby's and for PHP's own tests of their attribute-digest
//   checks, and a SendMessage answered by the real SQS service (quoted in aws-sdk-ruby #1885).

using awsemu::sqs::md5_of_attributes;
using awsemu::sqs::md5_of_body;
using awsemu::sqs::MessageAttributes;
using awsemu::sqs::MessageAttributeValue;

namespace {

// "héllo wörld — 日本語 🙂": GCC and Clang encode narrow literals as UTF-8.
constexpr char kUnicodeText[] = "h\u00e9llo w\u00f6rld \u2014 \u65e5\u672c\u8a9e \U0001F642";

MessageAttributeValue string_value(std::string value, std::string data_type = "String") {
    return {std::move(data_type), std::move(value), false};
}

MessageAttributeValue binary_value(std::initializer_list<unsigned char> bytes,
                                   std::string data_type = "Binary") {
    return {std::move(data_type), std::string(bytes.begin(), bytes.end()), true};
}

MessageAttributes ruby_sdk_attributes(const std::string& suffix) {
    return {
        {"ccc", string_value("test", "String" + suffix)},
        {"aaa", binary_value({2, 3, 4}, "Binary" + suffix)},
        {"zzz", string_value("0230.01", "Number" + suffix)},
        {"\u00f6ther_encodings", string_value("T\u00fcst", "String" + suffix)},  // "öther", "Tüst"
    };
}

}  // namespace

TEST_CASE("MessageDigest md5_of_body matches the JavaScript SDK", "[sqs][unit]") {
    CHECK(md5_of_body("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(md5_of_body("hello") == "5d41402abc4b2a76b9719d911017c592");
    CHECK(md5_of_body(kUnicodeText) == "cf9a6db60fb439f1534f5ea5b67f4748");
}

TEST_CASE("MessageDigest md5_of_attributes is empty when there are none", "[sqs][unit]") {
    CHECK(md5_of_attributes({}).empty());
}

TEST_CASE("MessageDigest md5_of_attributes of a single String attribute", "[sqs][unit]") {
    CHECK(md5_of_attributes({{"Greeting", string_value("Hello, world")}}) ==
          "adae226483d6735f17f9002d816bd184");
}

TEST_CASE("MessageDigest md5_of_attributes hashes Number and custom labels as strings",
          "[sqs][unit]") {
    CHECK(md5_of_attributes({{"Count", string_value("42", "Number")},
                             {"Ratio", string_value("3.14159", "Number.float")}}) ==
          "045492a7a5911922bbf32553dc187831");
    // The label is part of the digest: "Number.float" is not "Number".
    CHECK(md5_of_attributes({{"Ratio", string_value("3.14159", "Number.float")}}) ==
          "08811096b203347f992bdf7e1ef2816a");
    CHECK(md5_of_attributes({{"Ratio", string_value("3.14159", "Number")}}) !=
          "08811096b203347f992bdf7e1ef2816a");
}

TEST_CASE("MessageDigest md5_of_attributes hashes Binary and Binary.gif raw bytes", "[sqs][unit]") {
    const MessageAttributes attributes = {
        {"Blob", binary_value({0x00, 0xff, 0x80, 0x7f, 0x0a, 0xc3, 0x28})},
        {"Image", binary_value({0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
                                0x00, 0x00, 0xff, 0xff, 0xff},
                               "Binary.gif")},
    };
    CHECK(md5_of_attributes(attributes) == "975d57fb0a8df3bafaebfcd148a4fb69");
    // The transport byte (2 for binary) is in the digest too.
    MessageAttributes as_strings = attributes;
    for (auto& [name, value] : as_strings) {
        value.binary = false;
    }
    CHECK(md5_of_attributes(as_strings) != "975d57fb0a8df3bafaebfcd148a4fb69");
}

TEST_CASE("MessageDigest md5_of_attributes sorts names by their bytes", "[sqs][unit]") {
    // Given to the SDK as zeta, alpha, Zulu, b.b, b-b: capitals first, '-' before '.'.
    MessageAttributes attributes;
    attributes.emplace("zeta", string_value("last"));
    attributes.emplace("alpha", string_value("1", "Number"));
    attributes.emplace("Zulu", string_value("capitals sort first"));
    attributes.emplace("b.b", binary_value({1, 2, 3}));
    attributes.emplace("b-b", string_value("hyphen before period"));
    CHECK(md5_of_attributes(attributes) == "e3555d9f4c6dc9e973a33c434ab82969");
}

TEST_CASE("MessageDigest md5_of_attributes hashes unicode names, types and values as UTF-8",
          "[sqs][unit]") {
    // SQS itself accepts only [A-Za-z0-9_.-] in names; the digest is defined on any bytes.
    const MessageAttributes attributes = {
        {"\u00fcn\u00efcode-\u540d\u524d", string_value(kUnicodeText)},  // "ünïcode-名前"
        {"ascii",
         string_value("Gr\u00fc\u00dfe", "String.\u65e5\u672c")},  // "Grüße", "String.日本"
    };
    CHECK(md5_of_attributes(attributes) == "c9f1e6f47a17bdc260b1662cc6b046da");
}

TEST_CASE("MessageDigest md5_of_attributes of the AWSTraceHeader system attribute", "[sqs][unit]") {
    const MessageAttributes system_attributes = {
        {"AWSTraceHeader",
         string_value(
             "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")},
    };
    CHECK(md5_of_attributes(system_attributes) == "5ae4d5d7636402d80f4eb6d213245a88");
}

TEST_CASE("MessageDigest md5_of_attributes matches the Ruby SDK's test vectors", "[sqs][unit]") {
    // aws-sdk-ruby gems/aws-sdk-sqs/spec/client/verify_checksums_spec.rb
    CHECK(md5_of_attributes(ruby_sdk_attributes("")) == "756d7f4338696745d063b420a2f7e502");
    CHECK(md5_of_attributes(ruby_sdk_attributes(".test")) == "5b7ef6c8a8d46001c7cdadaeea917aa4");
}

TEST_CASE("MessageDigest md5_of_attributes matches the PHP SDK's test vectors", "[sqs][unit]") {
    // aws-sdk-php tests/Sqs/SqsClientTest.php
    const MessageAttributes attributes = {
        {"Reference", {"Binary", "ID-1234", true}},
        {"Name", string_value("Bob")},
        {"LastName", string_value("Smith", "String.LN")},
        {"Id", string_value("3.14", "Number")},
        {"Test", string_value("\u77ed\u53d1")},  // "短发"
        {"Test2", string_value("true", "String.\u77ed\u53d1")},
        {"name", string_value("bob")},
        {"Named", string_value("true")},
    };
    CHECK(md5_of_attributes(attributes) == "ee5a4b60facbcc4723c1b5b8baca2593");
    CHECK(md5_of_attributes({{"Name", string_value("Bob")}}) == "0408bb33aa149494a6a4683d58a7133f");
}

TEST_CASE("MessageDigest matches a response of the real SQS service", "[sqs][unit]") {
    // SendMessage of body {"foo":20} with baz=qux in us-east-1, quoted in aws-sdk-ruby #1885.
    CHECK(md5_of_body(R"({"foo":20})") == "d6cf0f93237ada70daf9b6e75cfff2e6");
    CHECK(md5_of_attributes({{"baz", string_value("qux")}}) == "16bd0283a5b4962721ccd3efe4bc6257");
}
