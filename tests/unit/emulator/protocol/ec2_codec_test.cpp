#include "emulator/protocol/ec2_codec.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "emulator/protocol/aws_query_codec.hpp"
#include "emulator/protocol/common_errors.hpp"
#include "emulator/protocol/xml_writer.hpp"
#include "tests/unit/aws_error_capture.hpp"

using namespace awsemu;
using nlohmann::json;

namespace {

constexpr const char* kDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr const char* kEc2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

QueryShape flat(QueryShape item) {
    return QueryShape::list(std::move(item), /*flattened=*/true);
}

// DescribeSubnets' input as the EC2 flavour declares it.
QueryShape describe_input() {
    return QueryShape::structure(
        {{"SubnetIds", flat(QueryShape::string()), "SubnetId"},
         {"Filters", flat(QueryShape::structure({{"Values", flat(QueryShape::string()), "Value"}})),
          "Filter"},
         {"MaxResults", QueryShape::integer()},
         {"DryRun", QueryShape::boolean()}});
}

ServiceDefinition ec2_service() {
    ServiceDefinition service;
    service.name = "ec2";
    service.protocol = Protocol::Ec2;
    service.xml_namespace = kEc2Namespace;
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

std::string encoded(std::string_view name, const json& value, const QueryShape* shape) {
    XmlWriter xml;
    encode_ec2_value(xml, name, value, shape);
    return xml.str().substr(std::string(kDeclaration).size());
}

const Ec2Codec kCodec;

}  // namespace

TEST_CASE("Ec2Codec decodes flattened lists under their query names", "[protocol][unit]") {
    Operation operation;
    operation.input_shape = describe_input();
    const auto input = kCodec.decode_input(
        form_post("Action=DescribeSubnets&Version=2016-11-15&SubnetId.2=subnet-b&SubnetId.1="
                  "subnet-a&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&Filter.1.Value.2=vpc-2"
                  "&Filter.2.Name=tag%3AName&Filter.2.Value.1=web%2A&MaxResults=10&DryRun=false"),
        operation);
    CHECK(input == json{{"SubnetIds", {"subnet-a", "subnet-b"}},
                        {"Filters",
                         {{{"Name", "vpc-id"}, {"Values", {"vpc-1", "vpc-2"}}},
                          {{"Name", "tag:Name"}, {"Values", {"web*"}}}}},
                        {"MaxResults", 10},
                        {"DryRun", false}});
}

TEST_CASE("Ec2Codec decodes nested permissions and renamed members", "[protocol][unit]") {
    const QueryShape permission =
        QueryShape::structure({{"FromPort", QueryShape::integer()},
                               {"ToPort", QueryShape::integer()},
                               {"UserIdGroupPairs", flat(QueryShape::structure({})), "Groups"},
                               {"IpRanges", flat(QueryShape::structure({}))}});
    const QueryShape shape = QueryShape::structure({{"IpPermissions", flat(permission)}});
    const auto input = decode_query_form({{"GroupId", "sg-1"},
                                          {"IpPermissions.1.IpProtocol", "tcp"},
                                          {"IpPermissions.1.FromPort", "443"},
                                          {"IpPermissions.1.ToPort", "443"},
                                          {"IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/16"},
                                          {"IpPermissions.1.IpRanges.1.Description", "vpc"},
                                          {"IpPermissions.1.IpRanges.2.CidrIp", "0.0.0.0/0"},
                                          {"IpPermissions.1.Groups.1.GroupId", "sg-2"}},
                                         shape);
    CHECK(
        input ==
        json{{"GroupId", "sg-1"},
             {"IpPermissions",
              {{{"IpProtocol", "tcp"},
                {"FromPort", 443},
                {"ToPort", 443},
                {"IpRanges",
                 {{{"CidrIp", "10.0.0.0/16"}, {"Description", "vpc"}}, {{"CidrIp", "0.0.0.0/0"}}}},
                {"UserIdGroupPairs", {{{"GroupId", "sg-2"}}}}}}}});
}

TEST_CASE("Ec2Codec refuses a number that is none", "[protocol][unit]") {
    Operation operation;
    operation.input_shape = describe_input();
    const auto error = testing::thrown_aws_error([&] {
        kCodec.decode_input(form_post("Action=DescribeSubnets&MaxResults=ten"), operation);
    });
    CHECK(error.spec().code == "InvalidParameterValue");
    CHECK(error.spec().http_status == 400);
}

TEST_CASE("Ec2Codec names the operation by Action, MissingAction without one", "[protocol][unit]") {
    const auto service = ec2_service();
    CHECK(kCodec.operation_name(form_post("Action=DescribeVpcs&Version=2016-11-15"), service) ==
          "DescribeVpcs");
    const auto error =
        testing::thrown_aws_error([&] { kCodec.operation_name(form_post("Version=1"), service); });
    CHECK(error.spec().code == "MissingAction");
}

TEST_CASE("Ec2Codec writes lists as items and names in lower camel case", "[protocol][unit]") {
    const QueryShape tags = QueryShape::list(QueryShape::structure({}));
    const QueryShape subnet = QueryShape::structure({{"Tags", tags, "tagSet"}});
    const QueryShape shape =
        QueryShape::structure({{"Subnets", QueryShape::list(subnet), "subnetSet"}});
    const json value = {{"Subnets",
                         {{{"SubnetId", "subnet-1"},
                           {"DefaultForAz", true},
                           {"AvailableIpAddressCount", 251},
                           {"Tags", {{{"Key", "Name"}, {"Value", "a&b"}}}}}}},
                        {"NextToken", "abc"}};
    CHECK(encoded("DescribeSubnetsResponse", value, &shape) ==
          "<DescribeSubnetsResponse><nextToken>abc</nextToken><subnetSet><item>"
          "<availableIpAddressCount>251</availableIpAddressCount><defaultForAz>true</defaultForAz>"
          "<subnetId>subnet-1</subnetId><tagSet><item><key>Name</key><value>a&amp;b</value>"
          "</item></tagSet></item></subnetSet></DescribeSubnetsResponse>");
    CHECK(encoded("x", json::array(), nullptr) == "<x></x>");
    CHECK(ec2_output_name("IpPermissionsEgress") == "ipPermissionsEgress");
}

TEST_CASE("Ec2Codec answers without a Result wrapper, request id first", "[protocol][unit]") {
    const auto service = ec2_service();
    Operation operation;
    operation.output_shape = QueryShape::structure({});
    const auto response = kCodec.encode_result({{"Return", true}, {"GroupId", "sg-1"}},
                                               "DeleteSecurityGroup", operation, service, "rid-1");
    CHECK(response.status == 200);
    CHECK(response.headers.get("x-amzn-RequestId") == "rid-1");
    pugi::xml_document doc;
    REQUIRE(doc.load_string(response.body.c_str()));
    const auto root = doc.child("DeleteSecurityGroupResponse");
    REQUIRE(root);
    CHECK(std::string(root.attribute("xmlns").value()) == kEc2Namespace);
    CHECK(std::string(root.first_child().name()) == "requestId");
    CHECK(std::string(root.child_value("requestId")) == "rid-1");
    CHECK(std::string(root.child_value("return")) == "true");
    CHECK(std::string(root.child_value("groupId")) == "sg-1");
}

TEST_CASE("Ec2Codec writes errors as Response/Errors/Error with RequestID", "[protocol][unit]") {
    const auto service = ec2_service();
    const ErrorSpec not_found{"InvalidSubnetID.NotFound", 400};
    const auto response = kCodec.encode_error(
        AwsError(not_found, "The subnet ID 'subnet-1' does not exist"), &service, "rid-2");
    CHECK(response.status == 400);
    pugi::xml_document doc;
    REQUIRE(doc.load_string(response.body.c_str()));
    const auto error = doc.child("Response").child("Errors").child("Error");
    CHECK(std::string(error.child_value("Code")) == "InvalidSubnetID.NotFound");
    CHECK(std::string(error.child_value("Message")) == "The subnet ID 'subnet-1' does not exist");
    CHECK(std::string(doc.child("Response").child_value("RequestID")) == "rid-2");
    CHECK(kCodec.auth_errors().unknown_key.code == "AuthFailure");
}
