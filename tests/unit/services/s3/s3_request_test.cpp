#include "services/s3/s3_request.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/emulator/auth/test_signing.hpp"

using namespace awsemu;
using awsemu::testing::make_http_request;

namespace {

s3::S3Target target(const std::string& host, const std::string& target_path) {
    return s3::target_of(make_http_request("GET", target_path, {{"Host", host}}));
}

}  // namespace

TEST_CASE("S3 targets: path style, keys percent-decoded, '+' kept", "[s3][unit]") {
    const auto t = target("localhost:4566", "/bucket/dir/a%20b+c%25.txt");
    CHECK(t.bucket == "bucket");
    CHECK(t.key == "dir/a b+c%.txt");
    CHECK(target("127.0.0.1:4566", "/bucket").key.empty());
    CHECK(target("127.0.0.1:4566", "/").bucket.empty());
    CHECK(target("localhost:4566", "/bucket//double").key == "/double");
}

TEST_CASE("S3 targets: virtual-host style, and the service endpoints that name no bucket",
          "[s3][unit]") {
    CHECK(target("photos.localhost:4566", "/a/b.jpg").bucket == "photos");
    CHECK(target("photos.localhost:4566", "/a/b.jpg").key == "a/b.jpg");
    CHECK(target("my.dotted.bucket.s3.localhost:4566", "/k").bucket == "my.dotted.bucket");
    CHECK(target("logs.s3.us-east-1.amazonaws.com", "/k").bucket == "logs");
    // The endpoints themselves.
    CHECK(target("s3.localhost:4566", "/bucket/k").bucket == "bucket");
    CHECK(target("s3.us-east-1.amazonaws.com", "/bucket/k").bucket == "bucket");
    CHECK(target("localhost", "/bucket/k").bucket == "bucket");
}
