#include "emulator/protocol/aws_query_codec.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "emulator/protocol/common_errors.hpp"
#include "emulator/protocol/xml_writer.hpp"

using namespace awsemu;
using nlohmann::json;

namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr const char* kStsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

using testing::thrown_aws_error;

// The XML encode_query_value writes for one value, without the declaration.
std::string encoded(std::string_view name, const json& value, const QueryShape* shape) {
    XmlWriter xml;
    encode_query_value(xml, name, value, shape);
    return xml.str().substr(std::string(kDeclaration).size());
}

ServiceDefinition query_service() {
    ServiceDefinition service;
    service.name = "sts";
    service.protocol = Protocol::Query;
    service.query_version = "2011-06-15";
    service.xml_namespace = kStsNamespace;
    return service;
}

HttpRequest form_post(std::string body) {
    HttpRequest request;
    request.method = "POST";
    request.target = "/";
    split_target(request);
    request.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    request.body = std::move(body);
    return request;
}

HttpRequest get(std::string target) {
    HttpRequest request;
    request.method = "GET";
    request.target = std::move(target);
    split_target(request);
    return request;
}

const AwsQueryCodec kCodec;

}  // namespace

// --- decoding ---------------------------------------------------------------------------------

TEST_CASE("AwsQueryCodec decode passes undeclared members through as strings", "[protocol][unit]") {
    const auto input = decode_query_form(
        {{"QueueName", "orders"}, {"RoleArn", "arn:aws:iam::123456789012:role/x"}, {"Count", "5"}},
        QueryShape::structure({}));
    CHECK(input == json{{"QueueName", "orders"},
                        {"RoleArn", "arn:aws:iam::123456789012:role/x"},
                        {"Count", "5"}});
}

TEST_CASE("AwsQueryCodec decode leaves out the request's envelope parameters", "[protocol][unit]") {
    const auto input =
        decode_query_form({{"Action", "AssumeRole"},
                           {"Version", "2011-06-15"},
                           {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
                           {"X-Amz-Credential", "AKID/20231114/us-east-1/sts/aws4_request"},
                           {"X-Amz-Signature", "abc"},
                           {"AWSAccessKeyId", "AKID"},
                           {"Signature", "sig"},
                           {"SignatureMethod", "HmacSHA256"},
                           {"SignatureVersion", "2"},
                           {"Timestamp", "2023-11-14T00:00:00Z"},
                           {"RoleSessionName", "s"}},
                          QueryShape::structure({}));
    CHECK(input == json{{"RoleSessionName", "s"}});
}

TEST_CASE("AwsQueryCodec decode drops undeclared dotted members", "[protocol][unit]") {
    const auto input =
        decode_query_form({{"Name", "x"}, {"Unknown.member.1", "a"}}, QueryShape::structure({}));
    CHECK(input == json{{"Name", "x"}});
}

TEST_CASE("AwsQueryCodec decode turns integer members into numbers", "[protocol][unit]") {
    const auto shape = QueryShape::structure({{"DurationSeconds", QueryShape::integer()}});
    CHECK(decode_query_form({{"DurationSeconds", "900"}}, shape) == json{{"DurationSeconds", 900}});
    CHECK(decode_query_form({{"DurationSeconds", "-5"}}, shape) == json{{"DurationSeconds", -5}});
    CHECK(decode_query_form({{"DurationSeconds", "9007199254740993"}}, shape)["DurationSeconds"] ==
          9007199254740993LL);
    CHECK(decode_query_form({}, shape) == json::object());
}

TEST_CASE("AwsQueryCodec decode rejects a bad integer with InvalidParameterValue",
          "[protocol][unit]") {
    const auto shape = QueryShape::structure({{"DurationSeconds", QueryShape::integer()}});
    for (const std::string text :
         {"abc", "1.5", "", " 9", "9 ", "12abc", "0x10", "99999999999999999999"}) {
        INFO(text);
        const auto error = thrown_aws_error([&] {
            decode_query_form({{"DurationSeconds", text}}, shape);
        });
        CHECK(error.spec().code == "InvalidParameterValue");
        CHECK(error.spec().http_status == 400);
        CHECK(std::string(error.what()) == "Value (" + text +
                                               ") for parameter DurationSeconds is invalid. Must "
                                               "be an integer.");
    }
}

TEST_CASE("AwsQueryCodec decode turns number members into doubles", "[protocol][unit]") {
    const auto shape = QueryShape::structure({{"Ratio", QueryShape::number()}});
    CHECK(decode_query_form({{"Ratio", "0.25"}}, shape)["Ratio"] == 0.25);
    CHECK(decode_query_form({{"Ratio", "3"}}, shape)["Ratio"] == 3.0);
    const auto error = thrown_aws_error([&] { decode_query_form({{"Ratio", "1.5x"}}, shape); });
    CHECK(error.spec().code == "InvalidParameterValue");
    CHECK(std::string(error.what()) ==
          "Value (1.5x) for parameter Ratio is invalid. Must be a number.");
    CHECK(thrown_aws_error([&] {
              decode_query_form({{"Ratio", ""}}, shape);
          })
              .spec()
              .code == "InvalidParameterValue");
}

TEST_CASE("AwsQueryCodec decode accepts only true and false for booleans", "[protocol][unit]") {
    const auto shape = QueryShape::structure({{"Enabled", QueryShape::boolean()}});
    CHECK(decode_query_form({{"Enabled", "true"}}, shape) == json{{"Enabled", true}});
    CHECK(decode_query_form({{"Enabled", "false"}}, shape) == json{{"Enabled", false}});
    for (const std::string text : {"yes", "1", "", "truee"}) {
        INFO(text);
        const auto error = thrown_aws_error([&] { decode_query_form({{"Enabled", text}}, shape); });
        CHECK(error.spec().code == "InvalidParameterValue");
        CHECK(error.spec().http_status == 400);
        CHECK(std::string(error.what()) ==
              "Value (" + text + ") for parameter Enabled is invalid. Must be a boolean.");
    }
}

TEST_CASE("AwsQueryCodec decode reads a list as Name.member.N in numeric order",
          "[protocol][unit]") {
    const auto shape =
        QueryShape::structure({{"AttributeNames", QueryShape::list(QueryShape::string())}});
    const auto input = decode_query_form({{"AttributeNames.member.10", "j"},
                                          {"AttributeNames.member.2", "b"},
                                          {"AttributeNames.member.1", "a"}},
                                         shape);
    CHECK(input == json{{"AttributeNames", {"a", "b", "j"}}});
}

TEST_CASE("AwsQueryCodec decode ignores list indexes that are not positive numbers",
          "[protocol][unit]") {
    const auto shape = QueryShape::structure({{"Names", QueryShape::list(QueryShape::string())}});
    const auto input = decode_query_form({{"Names.member.0", "zero"},
                                          {"Names.member.x", "letter"},
                                          {"Names.member.-1", "negative"},
                                          {"Names.member.1", "one"}},
                                         shape);
    CHECK(input == json{{"Names", {"one"}}});
}

TEST_CASE("AwsQueryCodec decode reads a flattened list as Name.N", "[protocol][unit]") {
    const auto shape = QueryShape::structure(
        {{"AttributeNames", QueryShape::list(QueryShape::string(), /*flattened=*/true)}});
    const auto input =
        decode_query_form({{"AttributeNames.2", "Policy"}, {"AttributeNames.1", "All"}}, shape);
    CHECK(input == json{{"AttributeNames", {"All", "Policy"}}});
}

TEST_CASE("AwsQueryCodec decode reads a list with its own member name", "[protocol][unit]") {
    const auto shape = QueryShape::structure(
        {{"Subnets", QueryShape::list(QueryShape::string(), false, "SubnetIdentifier")}});
    const auto input = decode_query_form(
        {{"Subnets.SubnetIdentifier.1", "subnet-a"}, {"Subnets.SubnetIdentifier.2", "subnet-b"}},
        shape);
    CHECK(input == json{{"Subnets", {"subnet-a", "subnet-b"}}});
}

TEST_CASE("AwsQueryCodec decode leaves an absent list out and an emptied one empty",
          "[protocol][unit]") {
    const auto shape = QueryShape::structure({{"Names", QueryShape::list(QueryShape::string())}});
    CHECK_FALSE(decode_query_form({{"Other", "x"}}, shape).contains("Names"));
    // "Names=" is how the query protocol sends an empty list.
    CHECK(decode_query_form({{"Names", ""}}, shape) == json{{"Names", json::array()}});
}

TEST_CASE("AwsQueryCodec decode converts list members by the member shape", "[protocol][unit]") {
    const auto shape = QueryShape::structure({{"Ports", QueryShape::list(QueryShape::integer())}});
    CHECK(decode_query_form({{"Ports.member.1", "80"}, {"Ports.member.2", "443"}}, shape) ==
          json{{"Ports", {80, 443}}});
    const auto error = thrown_aws_error([&] {
        decode_query_form({{"Ports.member.1", "80"}, {"Ports.member.2", "x"}}, shape);
    });
    CHECK(error.spec().code == "InvalidParameterValue");
    CHECK(std::string(error.what()).find("Ports.member.2") != std::string::npos);
}

TEST_CASE("AwsQueryCodec decode reads a list of structures", "[protocol][unit]") {
    const auto shape =
        QueryShape::structure({{"Tags", QueryShape::list(QueryShape::structure({}))}});
    const auto input = decode_query_form({{"Tags.member.1.Key", "env"},
                                          {"Tags.member.1.Value", "prod"},
                                          {"Tags.member.2.Key", "team"},
                                          {"Tags.member.2.Value", "a b"}},
                                         shape);
    CHECK(
        input ==
        json{{"Tags", {{{"Key", "env"}, {"Value", "prod"}}, {{"Key", "team"}, {"Value", "a b"}}}}});
}

TEST_CASE("AwsQueryCodec decode finds a list whatever other keys sort before it",
          "[protocol][unit]") {
    // '-' sorts before '.', so "Names-x" comes between "Names" and "Names.member.1".
    const auto shape = QueryShape::structure({{"Names", QueryShape::list(QueryShape::string())}});
    const auto input = decode_query_form({{"Names-x", "1"}, {"Names.member.1", "a"}}, shape);
    REQUIRE(input.contains("Names"));
    CHECK(input.at("Names") == json::array({"a"}));
}

TEST_CASE("AwsQueryCodec decode reads a map as Name.entry.N.key/value", "[protocol][unit]") {
    const auto shape =
        QueryShape::structure({{"Attributes", QueryShape::map(QueryShape::string())}});
    const auto input = decode_query_form({{"Attributes.entry.1.key", "DisplayName"},
                                          {"Attributes.entry.1.value", "Orders"},
                                          {"Attributes.entry.2.key", "Policy"},
                                          {"Attributes.entry.2.value", "{\"a\":1}"}},
                                         shape);
    CHECK(input == json{{"Attributes", {{"DisplayName", "Orders"}, {"Policy", "{\"a\":1}"}}}});
}

TEST_CASE("AwsQueryCodec decode reads a flattened map with its own key and value names",
          "[protocol][unit]") {
    // SQS: Attribute.N.Name / Attribute.N.Value, handed to the handler as "Attributes".
    const auto shape = QueryShape::structure(
        {{"Attributes", QueryShape::map(QueryShape::string(), true, "Name", "Value"),
          "Attribute"}});
    const auto input = decode_query_form({{"Attribute.1.Name", "DelaySeconds"},
                                          {"Attribute.1.Value", "5"},
                                          {"Attribute.2.Name", "VisibilityTimeout"},
                                          {"Attribute.2.Value", "30"}},
                                         shape);
    CHECK(input == json{{"Attributes", {{"DelaySeconds", "5"}, {"VisibilityTimeout", "30"}}}});
    CHECK_FALSE(input.contains("Attribute"));
}

TEST_CASE("AwsQueryCodec decode converts map values by the value shape", "[protocol][unit]") {
    const auto shape = QueryShape::structure(
        {{"Limits", QueryShape::map(QueryShape::integer(), true, "Name", "Value")}});
    CHECK(decode_query_form({{"Limits.1.Name", "a"}, {"Limits.1.Value", "7"}}, shape) ==
          json{{"Limits", {{"a", 7}}}});
    CHECK(thrown_aws_error([&] {
              decode_query_form({{"Limits.1.Name", "a"}, {"Limits.1.Value", "seven"}}, shape);
          })
              .spec()
              .code == "InvalidParameterValue");
}

TEST_CASE("AwsQueryCodec decode rejects a map entry without its key", "[protocol][unit]") {
    const auto shape =
        QueryShape::structure({{"Attributes", QueryShape::map(QueryShape::string())}});
    const auto error = thrown_aws_error([&] {
        decode_query_form({{"Attributes.entry.1.value", "v"}}, shape);
    });
    CHECK(error.spec().code == "MissingParameter");
    CHECK(error.spec().http_status == 400);
    CHECK(std::string(error.what()) ==
          "The request must contain the parameter Attributes.entry.1.key.");
}

TEST_CASE("AwsQueryCodec decode reads nested structures and wire names", "[protocol][unit]") {
    const auto shape = QueryShape::structure(
        {{"Settings", QueryShape::structure(
                          {{"Retries", QueryShape::integer()},
                           {"Names", QueryShape::list(QueryShape::string(), true), "Name"}})}});
    const auto input = decode_query_form({{"Settings.Retries", "3"},
                                          {"Settings.Mode", "fast"},
                                          {"Settings.Name.1", "a"},
                                          {"Settings.Name.2", "b"}},
                                         shape);
    CHECK(input == json{{"Settings", {{"Retries", 3}, {"Mode", "fast"}, {"Names", {"a", "b"}}}}});
}

TEST_CASE("AwsQueryCodec query_form reads a POST body, else the query string", "[protocol][unit]") {
    CHECK(query_form(form_post("Action=GetCallerIdentity&Version=2011-06-15")) ==
          Form{{"Action", "GetCallerIdentity"}, {"Version", "2011-06-15"}});
    CHECK(query_form(get("/?Action=ListTopics&Version=2010-03-31")) ==
          Form{{"Action", "ListTopics"}, {"Version", "2010-03-31"}});
    HttpRequest empty_post = form_post("");
    empty_post.target = "/?Action=GetCallerIdentity";
    split_target(empty_post);
    CHECK(query_form(empty_post) == Form{{"Action", "GetCallerIdentity"}});
}

TEST_CASE("AwsQueryCodec operation_name is the form's Action", "[protocol][unit]") {
    const auto service = query_service();
    CHECK(kCodec.operation_name(form_post("Version=2011-06-15&Action=AssumeRole"), service) ==
          "AssumeRole");
    CHECK(kCodec.operation_name(get("/?Action=GetCallerIdentity"), service) == "GetCallerIdentity");
}

TEST_CASE("AwsQueryCodec operation_name without Action is MissingAction", "[protocol][unit]") {
    const auto service = query_service();
    const auto error =
        thrown_aws_error([&] { kCodec.operation_name(form_post("Version=2011-06-15"), service); });
    CHECK(error.spec().code == "MissingAction");
    CHECK(error.spec().http_status == 400);
}

TEST_CASE("AwsQueryCodec decode_input follows the operation's input shape", "[protocol][unit]") {
    Operation operation;
    operation.input_shape = QueryShape::structure({{"DurationSeconds", QueryShape::integer()}});
    const auto input = kCodec.decode_input(
        form_post("Action=AssumeRole&Version=2011-06-15&RoleSessionName=s&DurationSeconds=900"),
        operation);
    CHECK(input == json{{"RoleSessionName", "s"}, {"DurationSeconds", 900}});
}

// --- encoding ---------------------------------------------------------------------------------

TEST_CASE("AwsQueryCodec encode writes scalars as text", "[protocol][unit]") {
    CHECK(encoded("Name", "a<b", nullptr) == "<Name>a&lt;b</Name>");
    CHECK(encoded("Count", 42, nullptr) == "<Count>42</Count>");
    CHECK(encoded("Ratio", 0.5, nullptr) == "<Ratio>0.5</Ratio>");
    CHECK(encoded("Enabled", true, nullptr) == "<Enabled>true</Enabled>");
    CHECK(encoded("Enabled", false, nullptr) == "<Enabled>false</Enabled>");
    CHECK(encoded("Gone", nullptr, nullptr).empty());
}

TEST_CASE("AwsQueryCodec encode writes lists with member elements", "[protocol][unit]") {
    CHECK(encoded("Names", {"a", "b"}, nullptr) ==
          "<Names><member>a</member><member>b</member></Names>");
    const auto custom = QueryShape::list(QueryShape::string(), false, "TopicArn");
    CHECK(encoded("Topics", json::array({"x"}), &custom) ==
          "<Topics><TopicArn>x</TopicArn></Topics>");
    CHECK(encoded("Names", json::array(), nullptr) == "<Names></Names>");
}

TEST_CASE("AwsQueryCodec encode writes flattened lists as repeated elements", "[protocol][unit]") {
    const auto flat = QueryShape::list(QueryShape::string(), true);
    CHECK(encoded("QueueUrl", {"u1", "u2"}, &flat) ==
          "<QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl>");
    CHECK(encoded("QueueUrl", json::array(), &flat).empty());
}

TEST_CASE("AwsQueryCodec encode writes maps as entries", "[protocol][unit]") {
    const auto map = QueryShape::map(QueryShape::string());
    CHECK(encoded("Attributes", {{"A", "1"}, {"B", "2"}}, &map) ==
          "<Attributes><entry><key>A</key><value>1</value></entry>"
          "<entry><key>B</key><value>2</value></entry></Attributes>");
}

TEST_CASE("AwsQueryCodec encode writes flattened maps with their own names", "[protocol][unit]") {
    const auto map = QueryShape::map(QueryShape::string(), true, "Name", "Value");
    CHECK(encoded("Attribute", {{"DelaySeconds", "0"}}, &map) ==
          "<Attribute><Name>DelaySeconds</Name><Value>0</Value></Attribute>");
}

TEST_CASE("AwsQueryCodec encode writes structures by member, with wire names", "[protocol][unit]") {
    const auto shape = QueryShape::structure(
        {{"Attributes", QueryShape::map(QueryShape::string(), true, "Name", "Value"), "Attribute"},
         {"Urls", QueryShape::list(QueryShape::string(), true), "QueueUrl"}});
    CHECK(encoded("R", {{"Attributes", {{"k", "v"}}}, {"Urls", json::array({"u"})}}, &shape) ==
          "<R><Attribute><Name>k</Name><Value>v</Value></Attribute><QueueUrl>u</QueueUrl></R>");
    CHECK(encoded("R", {{"Outer", {{"Inner", 1}}}}, nullptr) ==
          "<R><Outer><Inner>1</Inner></Outer></R>");
}

TEST_CASE("AwsQueryCodec encode_result wraps the result in Response, Result and ResponseMetadata",
          "[protocol][unit]") {
    const auto response = kCodec.encode_result({{"Account", "000000000000"}}, "GetCallerIdentity",
                                               Operation{}, query_service(), "rid-9");
    CHECK(response.status == 200);
    CHECK(response.headers.get("Content-Type") == "text/xml");
    CHECK(response.headers.get("x-amzn-RequestId") == "rid-9");
    CHECK(response.body ==
          std::string(kDeclaration) +
              R"(<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">)"
              "<GetCallerIdentityResult><Account>000000000000</Account></GetCallerIdentityResult>"
              "<ResponseMetadata><RequestId>rid-9</RequestId></ResponseMetadata>"
              "</GetCallerIdentityResponse>");
}

TEST_CASE("AwsQueryCodec encode_result of no result has only ResponseMetadata",
          "[protocol][unit]") {
    const auto response =
        kCodec.encode_result(nullptr, "DeleteTopic", Operation{}, query_service(), "r");
    pugi::xml_document document;
    REQUIRE(document.load_string(response.body.c_str()));
    const auto root = document.child("DeleteTopicResponse");
    REQUIRE(root);
    CHECK_FALSE(root.child("DeleteTopicResult"));
    CHECK(std::string(root.child("ResponseMetadata").child_value("RequestId")) == "r");
}

TEST_CASE("AwsQueryCodec encode_result follows the operation's output shape", "[protocol][unit]") {
    Operation operation;
    operation.output_shape = QueryShape::structure(
        {{"QueueUrls", QueryShape::list(QueryShape::string(), true), "QueueUrl"}});
    const auto response = kCodec.encode_result({{"QueueUrls", {"u1", "u2"}}}, "ListQueues",
                                               operation, query_service(), "r");
    pugi::xml_document document;
    REQUIRE(document.load_string(response.body.c_str()));
    const auto result = document.child("ListQueuesResponse").child("ListQueuesResult");
    std::vector<std::string> urls;
    for (const auto url : result.children("QueueUrl")) {
        urls.emplace_back(url.text().get());
    }
    CHECK(urls == std::vector<std::string>{"u1", "u2"});
}

TEST_CASE("AwsQueryCodec encode_error writes an ErrorResponse", "[protocol][unit]") {
    const auto service = query_service();
    const auto response = kCodec.encode_error(
        AwsError(ErrorSpec{"ValidationError", 400}, "bad <input>"), &service, "rid-e");
    CHECK(response.status == 400);
    CHECK(response.headers.get("Content-Type") == "text/xml");
    CHECK(response.headers.get("x-amzn-RequestId") == "rid-e");
    CHECK(response.body ==
          std::string(kDeclaration) +
              R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">)"
              "<Error><Type>Sender</Type><Code>ValidationError</Code>"
              "<Message>bad &lt;input&gt;</Message></Error>"
              "<RequestId>rid-e</RequestId></ErrorResponse>");
}

TEST_CASE("AwsQueryCodec encode_error sends the query code and the fault", "[protocol][unit]") {
    constexpr ErrorSpec kNonExistent{"QueueDoesNotExist", 400, Fault::Sender,
                                     "AWS.SimpleQueueService.NonExistentQueue"};
    pugi::xml_document document;
    const auto sender = kCodec.encode_error(AwsError(kNonExistent, "m"), nullptr, "r");
    REQUIRE(document.load_string(sender.body.c_str()));
    CHECK(std::string(document.child("ErrorResponse").child("Error").child_value("Code")) ==
          "AWS.SimpleQueueService.NonExistentQueue");
    CHECK(document.child("ErrorResponse").attribute("xmlns").empty());

    const auto receiver = kCodec.encode_error(AwsError(errors::InternalFailure, "m"), nullptr, "r");
    CHECK(receiver.status == 500);
    REQUIRE(document.load_string(receiver.body.c_str()));
    CHECK(std::string(document.child("ErrorResponse").child("Error").child_value("Type")) ==
          "Receiver");
}

TEST_CASE("AwsQueryCodec auth_errors use the query services' codes", "[protocol][unit]") {
    const AuthErrors& errors = kCodec.auth_errors();
    CHECK(errors.incomplete.code == "IncompleteSignature");
    CHECK(errors.incomplete.http_status == 400);
    CHECK(errors.missing.code == "MissingAuthenticationToken");
    CHECK(errors.missing.http_status == 403);
    CHECK(errors.unknown_key.code == "InvalidClientTokenId");
    CHECK(errors.unknown_key.http_status == 403);
    CHECK(errors.mismatch.code == "SignatureDoesNotMatch");
    CHECK(errors.mismatch.http_status == 403);
    CHECK(errors.expired_token.code == "ExpiredToken");
    CHECK(errors.expired_token.http_status == 403);
    CHECK(errors.expired_request.code == "RequestExpired");
    CHECK(errors.expired_request.http_status == 400);
}

TEST_CASE("AwsQueryCodec is the codec of the query protocol", "[protocol][unit]") {
    const auto* codec = operation_codec_for(Protocol::Query);
    REQUIRE(codec != nullptr);
    CHECK(dynamic_cast<const AwsQueryCodec*>(codec) != nullptr);
    CHECK(&error_encoder_for(Protocol::Query) == codec);
}
