#include "emulator/wildcard.hpp"

#include <catch2/catch.hpp>

using namespace awsemu;

TEST_CASE("wildcard_match: * matches any run, anywhere, any number of times", "[wildcard][unit]") {
    CHECK(wildcard_match("*", ""));
    CHECK(wildcard_match("a*c", "abbbc"));
    CHECK(wildcard_match("*c", "abc"));
    CHECK(wildcard_match("registry/*:*", "registry/api:v1"));
    CHECK_FALSE(wildcard_match("a*d", "abc"));
    CHECK_FALSE(wildcard_match("a?c", "abc"));  // ? is literal by default
    CHECK(wildcard_match("a?c", "a?c"));
    CHECK_FALSE(wildcard_match("ABC", "abc"));
}

TEST_CASE("wildcard_match: EC2's ? and backslash escapes", "[wildcard][unit]") {
    const WildcardSyntax ec2{true, true, false};
    CHECK(wildcard_match("a?c*", "abcdef", ec2));
    CHECK_FALSE(wildcard_match("a?c", "abcd", ec2));
    CHECK(wildcard_match("\\*", "*", ec2));
    CHECK_FALSE(wildcard_match("\\*", "x", ec2));
    CHECK(wildcard_match("\\?x", "?x", ec2));
}

TEST_CASE("wildcard_match: ignoring case for header names", "[wildcard][unit]") {
    CHECK(wildcard_match("x-amz-*", "X-Amz-Date", {false, false, true}));
    CHECK_FALSE(wildcard_match("x-amz-*", "Content-Type", {false, false, true}));
}
