#include "emulator/router.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "tests/unit/emulator/auth/test_signing.hpp"

using namespace awsemu;
using awsemu::testing::make_http_request;

namespace {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

ServiceDefinition definition(std::string name, Protocol protocol, std::string target_prefix,
                             std::string query_version) {
    ServiceDefinition service;
    service.name = name;
    service.signing_name = std::move(name);
    service.protocol = protocol;
    service.json_target_prefix = std::move(target_prefix);
    service.query_version = std::move(query_version);
    return service;
}

// The services of DESIGN.md's routing table, as fakes.
ServiceRegistry full_registry(bool with_s3 = true) {
    ServiceRegistry registry;
    registry.add(definition("sts", Protocol::Query, "", "2011-06-15"));
    registry.add(definition("secretsmanager", Protocol::AwsJson11, "secretsmanager", ""));
    registry.add(definition("sqs", Protocol::AwsJson10, "AmazonSQS", "2012-11-05"));
    registry.add(definition("sns", Protocol::Query, "", "2010-03-31"));
    if (with_s3) {
        registry.add(definition("s3", Protocol::RestXml, "", ""));
    }
    return registry;
}

std::string authorization_for(const std::string& service) {
    return "AWS4-HMAC-SHA256 Credential=AKID/20231114/us-east-1/" + service +
           "/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef";
}

std::string routed_name(const Route& route) {
    return route.service == nullptr ? "" : route.service->name;
}

const std::string kForm = "application/x-www-form-urlencoded; charset=utf-8";

}  // namespace

TEST_CASE("Router sends /_awsemu and /moto-api paths to the admin API first", "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    for (const std::string path : {"/_awsemu/health", "/_awsemu/reset", "/_awsemu/unknown",
                                   "/moto-api/reset", "/moto-api/reset-auth"}) {
        INFO(path);
        const auto route =
            router.route(make_http_request("POST", path,
                                           {{"X-Amz-Target", "secretsmanager.ListSecrets"},
                                            {"Authorization", authorization_for("sts")}}));
        CHECK(route.kind == RouteKind::Admin);
        CHECK(route.service == nullptr);
    }
}

TEST_CASE("Router does not treat look-alike paths as admin paths", "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    for (const std::string path :
         {"/_awsemu", "/_awsemuX/health", "/bucket/_awsemu/health", "/moto-api"}) {
        INFO(path);
        const auto route = router.route(make_http_request("GET", path));
        CHECK(route.kind == RouteKind::Service);
        CHECK(routed_name(route) == "s3");
    }
}

TEST_CASE("Router picks JSON services by the X-Amz-Target prefix", "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    const auto secrets = router.route(
        make_http_request("POST", "/", {{"X-Amz-Target", "secretsmanager.CreateSecret"}}));
    CHECK(secrets.kind == RouteKind::Service);
    CHECK(routed_name(secrets) == "secretsmanager");
    CHECK(secrets.protocol == Protocol::AwsJson11);

    const auto sqs =
        router.route(make_http_request("POST", "/", {{"x-amz-target", "AmazonSQS.SendMessage"}}));
    CHECK(routed_name(sqs) == "sqs");
    CHECK(sqs.protocol == Protocol::AwsJson10);
}

TEST_CASE("Router prefers X-Amz-Target over the credential scope and the form", "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    const auto route =
        router.route(make_http_request("POST", "/",
                                       {{"X-Amz-Target", "secretsmanager.GetSecretValue"},
                                        {"Authorization", authorization_for("sts")},
                                        {"Content-Type", kForm}},
                                       "Action=GetCallerIdentity&Version=2011-06-15"));
    CHECK(routed_name(route) == "secretsmanager");
}

TEST_CASE("Router answers an unknown X-Amz-Target prefix as an unknown JSON service",
          "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    for (const std::string target :
         {"DynamoDB_20120810.ListTables", "secretsmanagerX.ListSecrets", "secretsmanager", ""}) {
        INFO(target);
        const auto route = router.route(make_http_request(
            "POST", "/", {{"X-Amz-Target", target}, {"Authorization", authorization_for("sts")}}));
        const bool exact_prefix = target == "secretsmanager";
        CHECK(route.kind == (exact_prefix ? RouteKind::Service : RouteKind::Unknown));
        CHECK(route.protocol == Protocol::AwsJson11);
    }
}

TEST_CASE("Router picks a service by the SigV4 credential scope", "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    const auto sns = router.route(make_http_request(
        "POST", "/", {{"Authorization", authorization_for("sns")}, {"Content-Type", kForm}},
        "Action=ListTopics"));
    CHECK(routed_name(sns) == "sns");
    CHECK(sns.protocol == Protocol::Query);

    const auto presigned = router.route(
        make_http_request("GET",
                          "/?Action=GetCallerIdentity&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-"
                          "Credential=AKID%2F20231114%2Fus-east-1%2Fsts%2Faws4_request"));
    CHECK(routed_name(presigned) == "sts");
}

TEST_CASE("Router prefers the credential scope over the query Version", "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    const auto route = router.route(make_http_request(
        "POST", "/", {{"Authorization", authorization_for("sns")}, {"Content-Type", kForm}},
        "Action=GetCallerIdentity&Version=2011-06-15"));
    CHECK(routed_name(route) == "sns");
}

TEST_CASE("Router falls back to the query Version when the scope names no known service",
          "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    const auto route = router.route(make_http_request(
        "POST", "/", {{"Authorization", authorization_for("iam")}, {"Content-Type", kForm}},
        "Action=GetCallerIdentity&Version=2011-06-15"));
    CHECK(routed_name(route) == "sts");
}

TEST_CASE("Router picks query services by the form's Version", "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    const auto sts = router.route(make_http_request("POST", "/", {{"Content-Type", kForm}},
                                                    "Action=GetCallerIdentity&Version=2011-06-15"));
    CHECK(routed_name(sts) == "sts");
    CHECK(sts.protocol == Protocol::Query);

    const auto sns = router.route(make_http_request("POST", "/", {{"Content-Type", kForm}},
                                                    "Version=2010-03-31&Action=ListTopics"));
    CHECK(routed_name(sns) == "sns");

    const auto get =
        router.route(make_http_request("GET", "/?Action=GetCallerIdentity&Version=2011-06-15"));
    CHECK(routed_name(get) == "sts");
}

TEST_CASE("Router answers a JSON service that also speaks query in the protocol of the request",
          "[router][unit]") {
    // sqs speaks JSON 1.0 (X-Amz-Target) and, for older clients, the query protocol.
    const auto registry = full_registry();
    const Router router(registry);
    const auto form = router.route(make_http_request("POST", "/", {{"Content-Type", kForm}},
                                                     "Action=ListQueues&Version=2012-11-05"));
    CHECK(routed_name(form) == "sqs");
    CHECK(form.protocol == Protocol::Query);
    const auto signed_form = router.route(make_http_request(
        "POST", "/", {{"Content-Type", kForm}, {"Authorization", authorization_for("sqs")}},
        "Action=ListQueues&Version=2012-11-05"));
    CHECK(signed_form.protocol == Protocol::Query);
    const auto json = router.route(make_http_request(
        "POST", "/",
        {{"X-Amz-Target", "AmazonSQS.ListQueues"}, {"Authorization", authorization_for("sqs")}},
        "{}"));
    CHECK(routed_name(json) == "sqs");
    CHECK(json.protocol == Protocol::AwsJson10);
    // A JSON-only service stays JSON whatever the request looks like.
    const auto secrets = router.route(make_http_request(
        "POST", "/", {{"Authorization", authorization_for("secretsmanager")}}, "{}"));
    CHECK(secrets.protocol == Protocol::AwsJson11);
}

TEST_CASE("Router reads the Version only from forms and GET query strings", "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    const auto json_body =
        router.route(make_http_request("POST", "/", {{"Content-Type", "application/json"}},
                                       "Action=GetCallerIdentity&Version=2011-06-15"));
    CHECK(routed_name(json_body) == "s3");
    const auto put = router.route(
        make_http_request("PUT", "/bucket/key?Action=GetCallerIdentity&Version=2011-06-15"));
    CHECK(routed_name(put) == "s3");
}

TEST_CASE("Router does not read the Version of a body it was not given", "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    const auto request = make_http_request("POST", "/", {{"Content-Type", kForm}},
                                           "Action=GetCallerIdentity&Version=2011-06-15");
    CHECK(routed_name(router.route(request, /*body_available=*/false)) == "s3");
    CHECK(routed_name(router.route(request, /*body_available=*/true)) == "sts");
}

TEST_CASE("Router sends everything else to S3", "[router][unit]") {
    const auto registry = full_registry();
    const Router router(registry);
    for (const auto& request :
         {make_http_request("GET", "/"), make_http_request("PUT", "/bucket/key", {}, "data"),
          make_http_request("GET", "/bucket?list-type=2"),
          make_http_request("GET", "/key", {{"Host", "bucket.s3.localhost"}}),
          make_http_request("GET", "/bucket", {{"Authorization", authorization_for("s3")}})}) {
        INFO(request.target);
        const auto route = router.route(request);
        CHECK(route.kind == RouteKind::Service);
        CHECK(routed_name(route) == "s3");
        CHECK(route.protocol == Protocol::RestXml);
    }
}

TEST_CASE("Router without S3 answers unknown requests in the protocol they look like",
          "[router][unit]") {
    const auto registry = full_registry(/*with_s3=*/false);
    const Router router(registry);
    const auto signed_for_iam = router.route(make_http_request(
        "POST", "/", {{"Authorization", authorization_for("iam")}}, "Action=ListUsers"));
    CHECK(signed_for_iam.kind == RouteKind::Unknown);
    CHECK(signed_for_iam.service == nullptr);
    CHECK(signed_for_iam.protocol == Protocol::Query);

    const auto unsigned_get = router.route(make_http_request("GET", "/bucket/key"));
    CHECK(unsigned_get.kind == RouteKind::Unknown);
    CHECK(unsigned_get.protocol == Protocol::RestXml);

    const auto signed_for_s3 = router.route(
        make_http_request("GET", "/bucket", {{"Authorization", authorization_for("s3")}}));
    CHECK(signed_for_s3.kind == RouteKind::Unknown);
    CHECK(signed_for_s3.protocol == Protocol::RestXml);
}

TEST_CASE("Router signing_service_of reads the Authorization header's scope", "[router][unit]") {
    CHECK(signing_service_of(make_http_request(
              "POST", "/", {{"Authorization", authorization_for("sts")}})) == "sts");
    CHECK(signing_service_of(make_http_request(
              "POST", "/",
              {{"Authorization",
                "AWS4-HMAC-SHA256 "
                "Credential=AKID/20231114/eu-west-1/elasticloadbalancing/"
                "aws4_request,SignedHeaders=host,Signature=x"}})) == "elasticloadbalancing");
}

TEST_CASE("Router signing_service_of reads a presigned URL's scope", "[router][unit]") {
    CHECK(signing_service_of(make_http_request(
              "GET", "/?X-Amz-Credential=AKID%2F20231114%2Fus-east-1%2Fs3%2Faws4_request")) ==
          "s3");
}

TEST_CASE("Router signing_service_of answers empty for no or unreadable signatures",
          "[router][unit]") {
    CHECK(signing_service_of(make_http_request("GET", "/")).empty());
    CHECK(
        signing_service_of(make_http_request("GET", "/", {{"Authorization", "Bearer x"}})).empty());
    CHECK(signing_service_of(
              make_http_request("GET", "/", {{"Authorization", "AWS4-HMAC-SHA256 garbage"}}))
              .empty());
    CHECK(signing_service_of(
              make_http_request(
                  "GET", "/",
                  {{"Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20231114, Signature=x"}}))
              .empty());
}

TEST_CASE("Router answers EC2 in its own protocol, by credential scope or Version",
          "[router][unit]") {
    auto registry = full_registry();
    registry.add(definition("ec2", Protocol::Ec2, "", "2016-11-15"));
    const Router router(registry);
    const auto signed_form = router.route(make_http_request(
        "POST", "/", {{"Authorization", authorization_for("ec2")}, {"Content-Type", kForm}},
        "Action=DescribeVpcs&Version=2016-11-15"));
    CHECK(routed_name(signed_form) == "ec2");
    CHECK(signed_form.protocol == Protocol::Ec2);
    const auto unsigned_form = router.route(make_http_request(
        "POST", "/", {{"Content-Type", kForm}}, "Action=DescribeVpcs&Version=2016-11-15"));
    CHECK(routed_name(unsigned_form) == "ec2");
    CHECK(unsigned_form.protocol == Protocol::Ec2);
}
