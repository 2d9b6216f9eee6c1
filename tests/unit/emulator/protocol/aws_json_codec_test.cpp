#include "emulator/protocol/aws_json_codec.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

#include <string>

#include <nlohmann/json.hpp>

#include "emulator/protocol/common_errors.hpp"

using namespace awsemu;

namespace {

constexpr ErrorSpec kNonExistentQueue{"QueueDoesNotExist", 400, Fault::Sender,
                                      "AWS.SimpleQueueService.NonExistentQueue"};

ServiceDefinition json_service(std::string prefix, bool query_compatible = false) {
    ServiceDefinition service;
    service.name = "svc";
    service.protocol = Protocol::AwsJson11;
    service.json_target_prefix = std::move(prefix);
    service.query_compatible = query_compatible;
    return service;
}

HttpRequest json_request(std::string target, std::string body) {
    HttpRequest request;
    request.method = "POST";
    request.target = "/";
    split_target(request);
    if (!target.empty()) {
        request.headers.add("X-Amz-Target", std::move(target));
    }
    request.body = std::move(body);
    return request;
}

// Runs `action`, which must throw AwsError, and answers it.
using testing::thrown_aws_error;

const AwsJsonCodec kCodec("application/x-amz-json-1.1");
const Operation kOperation{};

}  // namespace

TEST_CASE("AwsJsonCodec operation_name is what follows the service's target prefix",
          "[protocol][unit]") {
    const auto service = json_service("secretsmanager");
    CHECK(kCodec.operation_name(json_request("secretsmanager.CreateSecret", ""), service) ==
          "CreateSecret");
    const auto sqs = json_service("AmazonSQS");
    CHECK(kCodec.operation_name(json_request("AmazonSQS.SendMessage", ""), sqs) == "SendMessage");
}

TEST_CASE("AwsJsonCodec operation_name rejects another prefix or no target", "[protocol][unit]") {
    const auto service = json_service("secretsmanager");
    for (const std::string target :
         {"", "secretsmanager", "AmazonSQS.SendMessage", "secretsmanagerX.CreateSecret",
          "SECRETSMANAGER.CreateSecret"}) {
        INFO(target);
        const auto error =
            thrown_aws_error([&] { kCodec.operation_name(json_request(target, ""), service); });
        CHECK(error.spec().code == "UnknownOperationException");
        CHECK(error.spec().http_status == 400);
    }
}

TEST_CASE("AwsJsonCodec decode_input reads an empty body as an empty object", "[protocol][unit]") {
    CHECK(kCodec.decode_input(json_request("x.Y", ""), kOperation) == nlohmann::json::object());
    CHECK(kCodec.decode_input(json_request("x.Y", " \r\n\t"), kOperation) ==
          nlohmann::json::object());
}

TEST_CASE("AwsJsonCodec decode_input parses the body's structure", "[protocol][unit]") {
    const auto input = kCodec.decode_input(
        json_request("x.Y", R"({"Name": "db", "Tags": [{"Key": "k"}], "Force": true, "N": 3})"),
        kOperation);
    CHECK(input["Name"] == "db");
    CHECK(input["Tags"][0]["Key"] == "k");
    CHECK(input["Force"] == true);
    CHECK(input["N"] == 3);
}

TEST_CASE("AwsJsonCodec decode_input rejects malformed JSON as SerializationException",
          "[protocol][unit]") {
    for (const std::string body : {"{", "{\"Name\": }", "not json", "{\"a\":1}}", "\xFF\xFE"}) {
        INFO(body);
        const auto error =
            thrown_aws_error([&] { kCodec.decode_input(json_request("x.Y", body), kOperation); });
        CHECK(error.spec().code == "SerializationException");
        CHECK(error.spec().http_status == 400);
    }
}

TEST_CASE("AwsJsonCodec decode_input rejects a body that is not an object", "[protocol][unit]") {
    for (const std::string body : {"[]", "[{\"Name\": \"x\"}]", "\"text\"", "42", "null", "true"}) {
        INFO(body);
        const auto error =
            thrown_aws_error([&] { kCodec.decode_input(json_request("x.Y", body), kOperation); });
        CHECK(error.spec().code == "SerializationException");
        CHECK(error.spec().http_status == 400);
        CHECK(std::string(error.what()) == "Start of structure or map found where not expected.");
    }
}

TEST_CASE("AwsJsonCodec encode_result answers 200 with the JSON, content type and request id",
          "[protocol][unit]") {
    const auto service = json_service("secretsmanager");
    const auto response = kCodec.encode_result({{"ARN", "arn:x"}, {"Name", "db"}}, "CreateSecret",
                                               kOperation, service, "rid-1");
    CHECK(response.status == 200);
    CHECK(response.headers.get("Content-Type") == "application/x-amz-json-1.1");
    CHECK(response.headers.get("x-amzn-RequestId") == "rid-1");
    CHECK(nlohmann::json::parse(response.body) == nlohmann::json{{"ARN", "arn:x"}, {"Name", "db"}});
}

TEST_CASE("AwsJsonCodec encode_result writes a null result as an empty object",
          "[protocol][unit]") {
    const auto response =
        kCodec.encode_result(nullptr, "TagResource", kOperation, json_service("s"), "rid");
    CHECK(response.body == "{}");
}

TEST_CASE("AwsJsonCodec encode_result replaces invalid UTF-8 instead of failing",
          "[protocol][unit]") {
    const auto response = kCodec.encode_result({{"SecretString", std::string("a\xFF")}}, "Get",
                                               kOperation, json_service("s"), "rid");
    const auto body = nlohmann::json::parse(response.body);
    CHECK(body["SecretString"] == "a\xEF\xBF\xBD");
}

TEST_CASE("AwsJsonCodec encode_result writes exactly what nlohmann's dump writes",
          "[protocol][unit]") {
    nlohmann::json result = nlohmann::json::object();
    result["Plain"] = "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf";
    result["Quoted \"key\""] = "say \"hi\" \\ back\n\ttab\x01\x7f";
    result["Unicode"] = "caf\xC3\xA9 \xF0\x9F\x94\x91";
    result["Invalid"] = std::string("a\xFF\xC3");
    result["Empty"] = "";
    result["Float"] = 1767225600.125;
    result["Whole"] = 1767225600.0;
    result["Negative"] = -42;
    result["Unsigned"] = std::uint64_t{18446744073709551615u};
    result["Flags"] = nlohmann::json::array({true, false, nullptr});
    result["Nested"] = {{"List", nlohmann::json::array({"x", 1, nlohmann::json::object()})},
                        {"EmptyList", nlohmann::json::array()}};
    const auto response = kCodec.encode_result(result, "Get", kOperation, json_service("s"), "rid");
    CHECK(response.body == result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

TEST_CASE("AwsJson10 and AwsJson11 codecs send their own content type", "[protocol][unit]") {
    const auto* json10 = operation_codec_for(Protocol::AwsJson10);
    const auto* json11 = operation_codec_for(Protocol::AwsJson11);
    REQUIRE(json10 != nullptr);
    REQUIRE(json11 != nullptr);
    const auto service = json_service("s");
    CHECK(json10->encode_result({}, "Op", kOperation, service, "r").headers.get("Content-Type") ==
          "application/x-amz-json-1.0");
    CHECK(json11->encode_result({}, "Op", kOperation, service, "r").headers.get("Content-Type") ==
          "application/x-amz-json-1.1");
    CHECK(json10->encode_error(AwsError(errors::ValidationException, "m"), &service, "r")
              .headers.get("Content-Type") == "application/x-amz-json-1.0");
}

TEST_CASE("AwsJsonCodec encode_error writes __type and message with the spec's status",
          "[protocol][unit]") {
    const auto service = json_service("secretsmanager");
    const auto response = kCodec.encode_error(
        AwsError(ErrorSpec{"ResourceNotFoundException", 400}, "Secrets Manager can't find it."),
        &service, "rid-2");
    CHECK(response.status == 400);
    CHECK(response.headers.get("Content-Type") == "application/x-amz-json-1.1");
    CHECK(response.headers.get("x-amzn-RequestId") == "rid-2");
    CHECK_FALSE(response.headers.contains("x-amzn-query-error"));
    CHECK(nlohmann::json::parse(response.body) ==
          nlohmann::json{{"__type", "ResourceNotFoundException"},
                         {"message", "Secrets Manager can't find it."}});

    const auto internal =
        kCodec.encode_error(AwsError(errors::InternalFailure, "boom"), &service, "rid-3");
    CHECK(internal.status == 500);
    CHECK(nlohmann::json::parse(internal.body)["__type"] == "InternalFailure");
}

TEST_CASE("AwsJsonCodec encode_error adds x-amzn-query-error for query-compatible services",
          "[protocol][unit]") {
    const auto sqs = json_service("AmazonSQS", /*query_compatible=*/true);
    const auto sender = kCodec.encode_error(AwsError(kNonExistentQueue, "gone"), &sqs, "r");
    CHECK(sender.headers.get("x-amzn-query-error") ==
          "AWS.SimpleQueueService.NonExistentQueue;Sender");
    CHECK(nlohmann::json::parse(sender.body)["__type"] == "QueueDoesNotExist");

    const auto receiver = kCodec.encode_error(AwsError(errors::InternalFailure, "x"), &sqs, "r");
    CHECK(receiver.headers.get("x-amzn-query-error") == "InternalFailure;Receiver");
}

TEST_CASE("AwsJsonCodec encode_error without a service sends no query error header",
          "[protocol][unit]") {
    const auto response =
        kCodec.encode_error(AwsError(errors::UnknownOperationException, ""), nullptr, "r");
    CHECK(response.status == 400);
    CHECK_FALSE(response.headers.contains("x-amzn-query-error"));
    CHECK(nlohmann::json::parse(response.body)["__type"] == "UnknownOperationException");
}

TEST_CASE("AwsJsonCodec auth_errors use the JSON services' codes", "[protocol][unit]") {
    const AuthErrors& errors = kCodec.auth_errors();
    CHECK(errors.incomplete.code == "IncompleteSignatureException");
    CHECK(errors.incomplete.http_status == 400);
    CHECK(errors.missing.code == "MissingAuthenticationTokenException");
    CHECK(errors.missing.http_status == 403);
    CHECK(errors.unknown_key.code == "UnrecognizedClientException");
    CHECK(errors.unknown_key.http_status == 400);
    CHECK(errors.mismatch.code == "InvalidSignatureException");
    CHECK(errors.mismatch.http_status == 400);
    CHECK(errors.expired_token.code == "ExpiredTokenException");
    CHECK(errors.expired_token.http_status == 403);
    CHECK(errors.expired_request.code == "RequestExpired");
    CHECK(errors.expired_request.http_status == 400);
}

TEST_CASE("ErrorSpec wire_query_code falls back to the code", "[protocol][unit]") {
    CHECK(kNonExistentQueue.wire_query_code() == "AWS.SimpleQueueService.NonExistentQueue");
    CHECK(errors::InvalidParameterValue.wire_query_code() == "InvalidParameterValue");
}
