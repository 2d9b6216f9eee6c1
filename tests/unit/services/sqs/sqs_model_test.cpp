#include "services/sqs/sqs_model.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

using namespace awsemu;
using namespace awsemu::sqs;
using awsemu::testing::thrown_aws_error;

TEST_CASE("SQS queue names: 1-80 of [A-Za-z0-9_-], FIFO ones ending in .fifo", "[sqs][unit]") {
    CHECK_NOTHROW(validate_queue_name("orders-2024_v1", false));
    CHECK_NOTHROW(validate_queue_name("orders.fifo", true));
    CHECK_NOTHROW(validate_queue_name(std::string(80, 'q'), false));
    const std::vector<std::string> bad_names = {"", "has space", "dot.name", std::string(81, 'q')};
    for (const auto& bad : bad_names) {
        INFO(bad);
        CHECK(thrown_aws_error([&] { validate_queue_name(bad, false); }).spec().code ==
              "InvalidParameterValue");
    }
    CHECK(thrown_aws_error([] { validate_queue_name("orders", true); }).spec().code ==
          "InvalidParameterValue");
}

TEST_CASE("SQS queue attributes are checked by name and range", "[sqs][unit]") {
    CHECK(validate_attributes({{"VisibilityTimeout", "43200"}}, false, true)
              .at("VisibilityTimeout") == "43200");
    CHECK(thrown_aws_error([] {
              validate_attributes({{"VisibilityTimeout", "43201"}}, false, true);
          })
              .spec()
              .code == "InvalidAttributeValue");
    CHECK(thrown_aws_error([] {
              validate_attributes({{"MaximumMessageSize", "1048577"}}, false, true);
          })
              .spec()
              .code == "InvalidAttributeValue");
    CHECK(thrown_aws_error([] {
              validate_attributes({{"Colour", "blue"}}, false, true);
          })
              .spec()
              .code == "InvalidAttributeName");
    // FIFO-only attributes on a standard queue are unknown there.
    CHECK(thrown_aws_error([] {
              validate_attributes({{"ContentBasedDeduplication", "true"}}, false, true);
          })
              .spec()
              .code == "InvalidAttributeName");
    CHECK(thrown_aws_error([] {
              validate_attributes({{"RedrivePolicy", "not json"}}, false, true);
          })
              .spec()
              .code == "InvalidParameterValue");
    const auto settings = settings_of(validate_attributes(
        {{"RedrivePolicy",
          R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":"4"})"}},
        false, true));
    REQUIRE(settings.redrive.has_value());
    CHECK(settings.redrive->max_receive_count == 4);
}

TEST_CASE("SQS receipt handles round-trip and garbage is refused", "[sqs][unit]") {
    const ReceiptHandle handle{7, 123456789, 987654321};
    const auto decoded = decode_receipt_handle(encode_receipt_handle(handle));
    REQUIRE(decoded.has_value());
    CHECK(decoded->queue_id == 7);
    CHECK(decoded->seq == 123456789);
    CHECK(decoded->nonce == 987654321);
    CHECK_FALSE(decode_receipt_handle("not base64 !").has_value());
    CHECK_FALSE(decode_receipt_handle("").has_value());
    CHECK_FALSE(decode_receipt_handle("aGVsbG8=").has_value());  // "hello"
}

TEST_CASE("SQS bodies: only characters of XML's set are allowed", "[sqs][unit]") {
    CHECK_NOTHROW(validate_body("plain \t\r\n text"));
    CHECK_NOTHROW(validate_body("caf\xC3\xA9 \xF0\x9F\x98\x80 \xEF\xBF\xBD"));
    CHECK(thrown_aws_error([] { validate_body(""); }).spec().code == "MissingParameter");
    const auto nul = thrown_aws_error([] { validate_body(std::string("a\0b", 3)); });
    CHECK(nul.spec().code == "InvalidMessageContents");
    CHECK(std::string(nul.what()).starts_with("Invalid binary character '#x0'"));
    CHECK(thrown_aws_error([] { validate_body("x\xFFy"); }).spec().code ==
          "InvalidMessageContents");
    CHECK(thrown_aws_error([] { validate_body("\xEF\xBF\xBF"); }).spec().code ==  // U+FFFF
          "InvalidMessageContents");
    // Printable ASCII takes a short cut: its edges, DEL (allowed) and the controls below space.
    CHECK_NOTHROW(validate_body("~\x7F "));
    const auto control = thrown_aws_error([] { validate_body(std::string(300, 'a') + "\x1F"); });
    CHECK(std::string(control.what()).starts_with("Invalid binary character '#x1F'"));
    CHECK(thrown_aws_error([] { validate_body("ok\x01"); }).spec().code ==
          "InvalidMessageContents");
}

TEST_CASE("SQS message attributes: types, names and values are checked", "[sqs][unit]") {
    const nlohmann::json good = {{"n", {{"DataType", "Number.float"}, {"StringValue", "1.5"}}},
                                 {"b", {{"DataType", "Binary.gif"}, {"BinaryValue", "AP8="}}}};
    const auto parsed = parse_message_attributes(&good, false);
    CHECK(parsed.at("b").value == std::string("\x00\xFF", 2));
    CHECK(parsed.at("b").binary);
    CHECK(message_attributes_json(parsed) == good);
    const auto code = [](nlohmann::json value, bool system = false) {
        return std::string(
            thrown_aws_error([&] { parse_message_attributes(&value, system); }).spec().code);
    };
    CHECK(code({{"n", {{"DataType", "Number"}, {"StringValue", "one"}}}}) ==
          "InvalidParameterValue");
    CHECK(code({{"s", {{"DataType", "Text"}, {"StringValue", "x"}}}}) == "InvalidParameterValue");
    CHECK(code({{"AWS.reserved", {{"DataType", "String"}, {"StringValue", "x"}}}}) ==
          "InvalidParameterValue");
    CHECK(code({{"s", {{"DataType", "String"}, {"StringValue", ""}}}}) == "InvalidParameterValue");
    CHECK(code({{"Other", {{"DataType", "String"}, {"StringValue", "x"}}}}, true) ==
          "InvalidParameterValue");
}

TEST_CASE("SQS RedriveAllowPolicy: allowAll, denyAll and byQueue", "[sqs][unit]") {
    const std::string source = "arn:aws:sqs:us-east-1:123456789012:src";
    CHECK(redrive_allowed("", source));
    CHECK(redrive_allowed(R"({"redrivePermission":"allowAll"})", source));
    CHECK_FALSE(redrive_allowed(R"({"redrivePermission":"denyAll"})", source));
    CHECK(redrive_allowed(
        R"({"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:123456789012:src"]})",
        source));
    CHECK_FALSE(redrive_allowed(
        R"({"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:123456789012:x"]})",
        source));
}

TEST_CASE("SQS Number attributes: decimal numbers of 38 digits within 10^-128..10^+126",
          "[sqs][unit]") {
    const auto number = [](const std::string& value) {
        return nlohmann::json{{"n", {{"DataType", "Number"}, {"StringValue", value}}}};
    };
    const std::vector<std::string> good = {"0",
                                           "-12.50e3",
                                           "+7",
                                           "5.",
                                           ".5",
                                           "1e126",
                                           "9.99E125",
                                           "1e-128",
                                           "0.000e999",
                                           "1" + std::string(36, '0') + "1",
                                           "1" + std::string(60, '0'),
                                           "0000" + std::string(38, '9')};
    for (const auto& value : good) {
        INFO(value);
        auto json = number(value);
        CHECK_NOTHROW(parse_message_attributes(&json, false));
    }
    const std::vector<std::string> bad = {
        "nan",    "inf", "0x10", " 5", "5 ",  "1e200", "1e127", "2e126",
        "1e-129", "e5",  ".",    "1e", "1e+", "--1",   "1.2.3", std::string(39, '9')};
    for (const auto& value : bad) {
        INFO(value);
        auto json = number(value);
        const auto error = thrown_aws_error([&] { parse_message_attributes(&json, false); });
        CHECK(error.spec().code == "InvalidParameterValue");
        CHECK(std::string(error.what()) ==
              "Can't cast the value of message (user) attribute 'n' to a number.");
    }
}

TEST_CASE("SQS attributes already stored are read back without the input's checks", "[sqs][unit]") {
    // Kept by an older awsemu, whose Number check was looser: still delivered, same digest.
    const nlohmann::json stored = {{"n", {{"DataType", "Number"}, {"StringValue", "1e200"}}},
                                   {"b", {{"DataType", "Binary"}, {"BinaryValue", "AAE="}}}};
    const MessageAttributes attributes = stored_message_attributes(stored);
    REQUIRE(attributes.size() == 2);
    CHECK(attributes.at("n").value == "1e200");
    CHECK(attributes.at("b").value == std::string("\0\1", 2));
    CHECK(attributes.at("b").binary);
    CHECK(message_attributes_json(attributes) == stored);
}

TEST_CASE("SQS String attribute values: only characters of XML's set are allowed", "[sqs][unit]") {
    for (const std::string type : {"String", "String.custom", "Number"}) {
        INFO(type);
        const std::string text = std::string("a") + '\x01' + "b";
        nlohmann::json value = {{"s", {{"DataType", type}, {"StringValue", text}}}};
        CHECK(thrown_aws_error([&] { parse_message_attributes(&value, false); }).spec().code ==
              "InvalidMessageContents");
    }
}

TEST_CASE("SQS redrive policies are kept as compact JSON with a numeric maxReceiveCount",
          "[sqs][unit]") {
    const std::string arn = "arn:aws:sqs:us-east-1:123456789012:dlq";
    const std::string compact = R"({"deadLetterTargetArn":")" + arn + R"(","maxReceiveCount":5})";
    for (const std::string& given :
         {compact, R"({ "maxReceiveCount" : "5", "deadLetterTargetArn" : ")" + arn + "\" }"}) {
        INFO(given);
        CHECK(validate_attributes({{"RedrivePolicy", given}}, false, true).at("RedrivePolicy") ==
              compact);
    }
    CHECK(validate_attributes({{"RedriveAllowPolicy", R"({ "redrivePermission": "denyAll" })"}},
                              false, true)
              .at("RedriveAllowPolicy") == R"({"redrivePermission":"denyAll"})");
}

TEST_CASE("SQS server-side encryption: SSE-KMS and SQS-managed SSE exclude each other",
          "[sqs][unit]") {
    const AttributeMap kms =
        merge_attributes(default_attributes(false), {{"KmsMasterKeyId", "alias/aws/sqs"}});
    CHECK(kms.at("SqsManagedSseEnabled") == "false");
    CHECK(kms.at("KmsDataKeyReusePeriodSeconds") == "300");
    const AttributeMap managed = merge_attributes(kms, {{"SqsManagedSseEnabled", "true"}});
    CHECK_FALSE(managed.contains("KmsMasterKeyId"));
    CHECK(managed.at("SqsManagedSseEnabled") == "true");
    CHECK(merge_attributes(default_attributes(false),
                           {{"KmsMasterKeyId", "k"}, {"KmsDataKeyReusePeriodSeconds", "600"}})
              .at("KmsDataKeyReusePeriodSeconds") == "600");
    CHECK(thrown_aws_error([] {
              validate_attributes({{"KmsMasterKeyId", "k"}, {"SqsManagedSseEnabled", "true"}},
                                  false, true);
          })
              .spec()
              .code == "InvalidAttributeValue");
    CHECK_NOTHROW(validate_attributes({{"KmsMasterKeyId", "k"}, {"SqsManagedSseEnabled", "false"}},
                                      false, true));
}

TEST_CASE("SQS tags: at most 50, keys of 1-128 characters not starting aws:, values of 256",
          "[sqs][unit]") {
    std::map<std::string, std::string> fifty;
    for (int i = 0; i < 50; ++i) {
        fifty["k" + std::to_string(i)] = "v";
    }
    CHECK_NOTHROW(validate_tags("q", fifty));
    CHECK_NOTHROW(validate_tags("q", {{std::string(128, 'k'), std::string(256, 'v')}}));
    auto fifty_one = fifty;
    fifty_one["one-more"] = "v";
    const std::vector<std::map<std::string, std::string>> bad = {fifty_one,
                                                                 {{"", "v"}},
                                                                 {{std::string(129, 'k'), "v"}},
                                                                 {{"k", std::string(257, 'v')}},
                                                                 {{"aws:owner", "v"}}};
    for (const auto& tags : bad) {
        CHECK(thrown_aws_error([&] { validate_tags("q", tags); }).spec().code ==
              "InvalidParameterValue");
    }
}
