#include "emulator/protocol/rest_xml_codec.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

#include <string>

#include "emulator/protocol/common_errors.hpp"

using namespace awsemu;

namespace {

constexpr ErrorSpec kNoSuchKey{"NoSuchKey", 404};

using testing::thrown_aws_error;

const RestXmlCodec kCodec;

}  // namespace

TEST_CASE("RestXmlCodec encode_error writes S3's Error document", "[protocol][unit]") {
    const auto response = kCodec.encode_error(
        AwsError(kNoSuchKey, "The specified key does not exist."), nullptr, "rid-s3");
    CHECK(response.status == 404);
    CHECK(response.headers.get("Content-Type") == "application/xml");
    CHECK(response.headers.get("x-amz-request-id") == "rid-s3");
    CHECK(response.headers.get("x-amz-id-2") == "rid-s3");
    CHECK(response.body == R"(<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code>)"
                           "<Message>The specified key does not "
                           "exist.</Message><RequestId>rid-s3</RequestId><HostId>rid-s3</HostId>"
                           "</Error>");
}

TEST_CASE("RestXmlCodec encode_error writes an error's details and headers", "[protocol][unit]") {
    const auto response =
        kCodec.encode_error(AwsError(kNoSuchKey, "The specified key does not exist.")
                                .with("Key", "a/b <c>")
                                .with_header("x-amz-delete-marker", "true"),
                            nullptr, "rid");
    const auto document = parse_xml_body(response.body);
    CHECK(std::string(document.child("Error").child_value("Key")) == "a/b <c>");
    CHECK(response.headers.get("x-amz-delete-marker") == "true");
}

TEST_CASE("parse_xml_body refuses DTDs and absurd nesting, keeping documents AWS sends",
          "[protocol][unit]") {
    CHECK(std::string(parse_xml_body("<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag>"
                                     "</TagSet></Tagging>")
                          .child("Tagging")
                          .child("TagSet")
                          .child("Tag")
                          .child_value("Value")) == "v");
    const auto code = [](const std::string& body) {
        return std::string(thrown_aws_error([&] { parse_xml_body(body); }).spec().code);
    };
    CHECK(code(R"(<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x "y">]><T>&x;</T>)") ==
          "MalformedXML");
    std::string deep;
    for (int i = 0; i < 1000; ++i) {
        deep += "<a>";
    }
    for (int i = 0; i < 1000; ++i) {
        deep += "</a>";
    }
    CHECK(code(deep) == "MalformedXML");
    CHECK(code("<unclosed>") == "MalformedXML");
}

TEST_CASE("RestXmlCodec encode_error escapes the message", "[protocol][unit]") {
    const auto response =
        kCodec.encode_error(AwsError(errors::BadRequest, "bad <&> request"), nullptr, "r");
    CHECK(response.status == 400);
    const auto document = parse_xml_body(response.body);
    CHECK(std::string(document.child("Error").child_value("Message")) == "bad <&> request");
    CHECK(std::string(document.child("Error").child_value("Code")) == "BadRequest");
}

TEST_CASE("RestXmlCodec auth_errors use S3's codes", "[protocol][unit]") {
    const AuthErrors& errors = kCodec.auth_errors();
    CHECK(errors.incomplete.code == "AuthorizationHeaderMalformed");
    CHECK(errors.incomplete.http_status == 400);
    CHECK(errors.missing.code == "AccessDenied");
    CHECK(errors.missing.http_status == 403);
    CHECK(errors.unknown_key.code == "InvalidAccessKeyId");
    CHECK(errors.unknown_key.http_status == 403);
    CHECK(errors.mismatch.code == "SignatureDoesNotMatch");
    CHECK(errors.mismatch.http_status == 403);
    CHECK(errors.expired_token.code == "ExpiredToken");
    CHECK(errors.expired_token.http_status == 400);
    CHECK(errors.expired_request.code == "AccessDenied");
    CHECK(errors.expired_request.http_status == 403);
}

TEST_CASE("RestXmlCodec is the error encoder of REST-XML, which has no operation codec",
          "[protocol][unit]") {
    CHECK(operation_codec_for(Protocol::RestXml) == nullptr);
    CHECK(dynamic_cast<const RestXmlCodec*>(&error_encoder_for(Protocol::RestXml)) != nullptr);
}

TEST_CASE("RestXmlCodec parse_xml_body reads well-formed XML", "[protocol][unit]") {
    const auto document = parse_xml_body(
        R"(<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>)");
    CHECK(std::string(document.child("VersioningConfiguration").child_value("Status")) ==
          "Enabled");
}

TEST_CASE("RestXmlCodec parse_xml_body rejects malformed XML as MalformedXML", "[protocol][unit]") {
    for (const std::string body : {"<A>", "<A></B>", "not xml <", "", "<A><B></A></B>"}) {
        INFO(body);
        const auto error = thrown_aws_error([&] { parse_xml_body(body); });
        CHECK(error.spec().code == "MalformedXML");
        CHECK(error.spec().http_status == 400);
        CHECK(std::string(error.what()) ==
              "The XML you provided was not well-formed or did not validate against our published "
              "schema");
    }
}
