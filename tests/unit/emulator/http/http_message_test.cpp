#include "emulator/http/http_message.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace awsemu;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

HttpRequest with_target(std::string target) {
    HttpRequest request;
    request.target = std::move(target);
    split_target(request);
    return request;
}

}  // namespace

TEST_CASE("Headers find ignores the case of names", "[http][unit]") {
    Headers headers;
    headers.add("X-Amz-Target", "secretsmanager.ListSecrets");
    CHECK(headers.find("x-amz-target") ==
          std::optional<std::string_view>("secretsmanager.ListSecrets"));
    CHECK(headers.find("X-AMZ-TARGET") ==
          std::optional<std::string_view>("secretsmanager.ListSecrets"));
    CHECK(headers.get("x-AmZ-tArGeT") == "secretsmanager.ListSecrets");
    CHECK(headers.contains("x-amz-target"));
}

TEST_CASE("Headers keep the case names arrived with", "[http][unit]") {
    Headers headers;
    headers.add("X-Amz-Target", "a");
    headers.add("content-type", "b");
    REQUIRE(headers.entries().size() == 2);
    CHECK(headers.entries()[0] == Headers::Entry{"X-Amz-Target", "a"});
    CHECK(headers.entries()[1] == Headers::Entry{"content-type", "b"});
}

TEST_CASE("Headers answer nothing for a header that is not there", "[http][unit]") {
    Headers headers;
    headers.add("Host", "localhost");
    CHECK_FALSE(headers.find("Hos").has_value());
    CHECK_FALSE(headers.find("Hostname").has_value());
    CHECK(headers.get("Authorization").empty());
    CHECK_FALSE(headers.contains("Authorization"));
}

TEST_CASE("Headers add keeps repeated headers in order and find answers the first",
          "[http][unit]") {
    Headers headers;
    headers.add("X-Custom", "one");
    headers.add("x-custom", "two");
    CHECK(headers.entries().size() == 2);
    CHECK(headers.get("X-CUSTOM") == "one");
}

TEST_CASE("Headers set replaces every header of that name with one value", "[http][unit]") {
    Headers headers;
    headers.add("X-Custom", "one");
    headers.add("Host", "localhost");
    headers.add("x-custom", "two");
    headers.set("X-CUSTOM", "three");
    REQUIRE(headers.entries().size() == 2);
    CHECK(headers.entries()[0] == Headers::Entry{"Host", "localhost"});
    CHECK(headers.entries()[1] == Headers::Entry{"X-CUSTOM", "three"});
    CHECK(headers.get("x-custom") == "three");
}

TEST_CASE("Headers set adds a header that was not there", "[http][unit]") {
    Headers headers;
    headers.set("Content-Type", "text/xml");
    REQUIRE(headers.entries().size() == 1);
    CHECK(headers.get("content-type") == "text/xml");
}

TEST_CASE("Http iequals compares ASCII without case and with length", "[http][unit]") {
    CHECK(ascii_iequals("Content-Length", "content-length"));
    CHECK(ascii_iequals("", ""));
    CHECK_FALSE(ascii_iequals("Content-Length", "Content-Lengt"));
    CHECK_FALSE(ascii_iequals("a", "b"));
}

TEST_CASE("Http split_target separates path and decoded query in order", "[http][unit]") {
    const auto request = with_target("/queue/one?b=2&a=x%20y+z&Action=List");
    CHECK(request.path == "/queue/one");
    CHECK(request.raw_query == "b=2&a=x%20y+z&Action=List");
    CHECK(request.query == Pairs{{"b", "2"}, {"a", "x y z"}, {"Action", "List"}});
}

TEST_CASE("Http split_target keeps the path percent-encoded", "[http][unit]") {
    const auto request = with_target("/bucket/a%2Fb%20c?x=%2F");
    CHECK(request.path == "/bucket/a%2Fb%20c");
    CHECK(request.query == Pairs{{"x", "/"}});
}

TEST_CASE("Http split_target without a query leaves it empty", "[http][unit]") {
    const auto plain = with_target("/_awsemu/health");
    CHECK(plain.path == "/_awsemu/health");
    CHECK(plain.raw_query.empty());
    CHECK(plain.query.empty());

    const auto trailing = with_target("/path?");
    CHECK(trailing.path == "/path");
    CHECK(trailing.raw_query.empty());
    CHECK(trailing.query.empty());
}

TEST_CASE("Http split_target gives keys without '=' an empty value", "[http][unit]") {
    const auto request = with_target("/bucket?versioning&list-type=2");
    CHECK(request.query == Pairs{{"versioning", ""}, {"list-type", "2"}});
    CHECK(request.has_query_param("versioning"));
    CHECK(request.query_param("versioning") == std::optional<std::string_view>(""));
}

TEST_CASE("Http split_target recomputes every part of a reused request", "[http][unit]") {
    HttpRequest request = with_target("/a?x=1");
    request.target = "/b";
    split_target(request);
    CHECK(request.path == "/b");
    CHECK(request.raw_query.empty());
    CHECK(request.query.empty());
}

TEST_CASE("HttpRequest query_param matches names exactly and answers the first", "[http][unit]") {
    const auto request = with_target("/?Name=first&name=lower&Name=second");
    CHECK(request.query_param("Name") == std::optional<std::string_view>("first"));
    CHECK(request.query_param("name") == std::optional<std::string_view>("lower"));
    CHECK_FALSE(request.query_param("NAME").has_value());
    CHECK_FALSE(request.has_query_param("Other"));
}

TEST_CASE("HttpResponse starts as an empty 200", "[http][unit]") {
    const HttpResponse response;
    CHECK(response.status == 200);
    CHECK(response.body.empty());
    CHECK(response.headers.entries().empty());
}

TEST_CASE("header_list splits at commas and trims the spaces around each item", "[http][unit]") {
    CHECK(header_list("ETag, Checksum,ObjectSize ") ==
          std::vector<std::string>{"ETag", "Checksum", "ObjectSize"});
    CHECK(header_list("gzip") == std::vector<std::string>{"gzip"});
    CHECK(header_list("a,,b") == std::vector<std::string>{"a", "", "b"});
    CHECK(header_list("") == std::vector<std::string>{""});
    CHECK(header_list(" , ") == std::vector<std::string>{"", ""});
}
