#include "services/s3/lifecycle_rules.hpp"

#include <catch2/catch.hpp>

#include "emulator/runtime/time_format.hpp"
#include "tests/unit/aws_error_capture.hpp"

using namespace awsemu;
using namespace std::chrono_literals;
using awsemu::testing::thrown_aws_error;

namespace {

std::string configuration(const std::string& rules) {
    return "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rules +
           "</LifecycleConfiguration>";
}

TimePoint at(const char* iso8601) {
    return *parse_iso8601(iso8601);
}

AwsError rejection(const std::string& rules) {
    return thrown_aws_error([&] { s3::parse_lifecycle_configuration(configuration(rules)); });
}

}  // namespace

TEST_CASE("S3 lifecycle: days count to the midnight UTC after creation plus the days",
          "[s3][unit]") {
    // AWS's example: created 2014-01-15 10:30 UTC, 3 days: due 2014-01-19 00:00 UTC.
    CHECK(s3::lifecycle_due(at("2014-01-15T10:30:00Z"), 3) == at("2014-01-19T00:00:00Z"));
    CHECK(s3::lifecycle_due(at("2014-01-15T23:59:59Z"), 1) == at("2014-01-17T00:00:00Z"));
    CHECK(s3::next_midnight_utc(at("2026-11-22T00:00:00Z")) == at("2026-11-23T00:00:00Z"));
    CHECK(s3::next_midnight_utc(at("2026-12-31T12:00:00Z")) == at("2027-01-01T00:00:00Z"));
}

TEST_CASE("S3 lifecycle: every action and filter form is read", "[s3][unit]") {
    const auto rules = s3::parse_lifecycle_configuration(configuration(
        "<Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>"
        "<Expiration><Days>30</Days></Expiration>"
        "<NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays>"
        "<NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>"
        "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation>"
        "</AbortIncompleteMultipartUpload></Rule>"
        "<Rule><ID>tagged</ID><Filter><And><Prefix>tmp/</Prefix>"
        "<Tag><Key>kind</Key><Value>scratch</Value></Tag>"
        "<ObjectSizeGreaterThan>10</ObjectSizeGreaterThan>"
        "<ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>"
        "<Status>Disabled</Status><Expiration><Date>2027-01-01T00:00:00.000Z</Date></Expiration>"
        "</Rule>"
        "<Rule><Prefix>old/</Prefix><Status>Enabled</Status>"
        "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"
        "</Rule>"));
    REQUIRE(rules.size() == 3);
    CHECK(rules[0].id == "logs");
    CHECK(rules[0].enabled);
    CHECK(rules[0].filter.prefix == "logs/");
    CHECK(rules[0].expiration_days == 30);
    CHECK(rules[0].noncurrent_days == 7);
    CHECK(rules[0].newer_noncurrent_versions == 2);
    CHECK(rules[0].abort_incomplete_upload_days == 1);
    CHECK_FALSE(rules[1].enabled);
    CHECK(rules[1].expiration_date == at("2027-01-01T00:00:00Z"));
    CHECK(rules[1].filter.prefix == "tmp/");
    CHECK(rules[1].filter.size_greater_than == 10);
    CHECK(rules[1].filter.size_less_than == 100);
    REQUIRE(rules[1].filter.tags.size() == 1);
    CHECK(rules[1].filter.tags[0] == std::pair<std::string, std::string>("kind", "scratch"));
    CHECK(rules[2].filter.prefix == "old/");
    CHECK(rules[2].expired_object_delete_marker);
    CHECK_FALSE(rules[2].expiration_days);
}

TEST_CASE("S3 lifecycle: filters match prefix, every tag and the size bounds", "[s3][unit]") {
    s3::LifecycleFilter filter{"tmp/", {{"kind", "scratch"}}, 10, 100};
    const nlohmann::json tags = {{"kind", "scratch"}, {"other", "x"}};
    CHECK(filter.matches("tmp/a", 50, tags));
    CHECK_FALSE(filter.matches("keep/a", 50, tags));
    CHECK_FALSE(filter.matches("tmp/a", 50, {{"kind", "keep"}}));
    CHECK_FALSE(filter.matches("tmp/a", 50, nlohmann::json::object()));
    CHECK_FALSE(filter.matches("tmp/a", 10, tags));  // bounds are exclusive
    CHECK_FALSE(filter.matches("tmp/a", 100, tags));
    CHECK(s3::LifecycleFilter{}.matches("anything", 0, nlohmann::json::object()));
}

TEST_CASE("S3 lifecycle: bad rules get AWS's errors", "[s3][unit]") {
    const auto code_of = [](const std::string& rules) {
        return std::string(rejection(rules).spec().code);
    };
    CHECK(code_of("<Rule><Status>Enabled</Status><Filter/><Expiration><Days>0</Days>"
                  "</Expiration></Rule>") == "InvalidArgument");
    CHECK(rejection("<Rule><Status>Enabled</Status><Filter/><Expiration><Days>-1</Days>"
                    "</Expiration></Rule>")
              .what() == std::string("'Days' for Expiration action must be a positive integer"));
    CHECK(code_of("<Rule><Status>Enabled</Status><Filter/><Expiration>"
                  "<Date>2027-01-01T10:00:00Z</Date></Expiration></Rule>") == "InvalidArgument");
    CHECK(code_of("<Rule><Status>Enabled</Status><Filter/></Rule>") == "InvalidRequest");
    CHECK(code_of("<Rule><Status>On</Status><Filter/><Expiration><Days>1</Days></Expiration>"
                  "</Rule>") == "MalformedXML");
    CHECK(code_of("<Rule><Status>Enabled</Status><Filter/><Expiration><Days>1</Days>"
                  "<Date>2027-01-01T00:00:00Z</Date></Expiration></Rule>") == "MalformedXML");
    CHECK(code_of("<Rule><Status>Enabled</Status><Filter/><Expiration><Days>x</Days>"
                  "</Expiration></Rule>") == "MalformedXML");
    CHECK(code_of("<Rule><Status>Enabled</Status><Prefix>a</Prefix><Filter/><Expiration>"
                  "<Days>1</Days></Expiration></Rule>") == "MalformedXML");
    CHECK(code_of("<Rule><Status>Enabled</Status><Filter><Prefix>a</Prefix><Tag><Key>k</Key>"
                  "<Value>v</Value></Tag></Filter><Expiration><Days>1</Days></Expiration>"
                  "</Rule>") == "MalformedXML");
    CHECK(code_of("<Rule><ID>same</ID><Status>Enabled</Status><Filter/><Expiration><Days>1</Days>"
                  "</Expiration></Rule><Rule><ID>same</ID><Status>Enabled</Status><Filter/>"
                  "<Expiration><Days>2</Days></Expiration></Rule>") == "InvalidArgument");
    CHECK(code_of("<Rule><ID>" + std::string(256, 'x') +
                  "</ID><Status>Enabled</Status><Filter/><Expiration><Days>1</Days></Expiration>"
                  "</Rule>") == "InvalidArgument");
    CHECK(code_of("<Rule><Status>Enabled</Status><Filter><Tag><Key>k</Key><Value>v</Value></Tag>"
                  "</Filter><Expiration><ExpiredObjectDeleteMarker>true"
                  "</ExpiredObjectDeleteMarker></Expiration></Rule>") == "InvalidRequest");
    CHECK(code_of("") == "MalformedXML");
    CHECK(thrown_aws_error([] { s3::parse_lifecycle_configuration("<Lifecycle"); }).spec().code ==
          "MalformedXML");
}
