#include "emulator/protocol/url_encoding.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace awsemu;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_CASE("UrlEncoding uri_encode keeps unreserved characters", "[protocol][unit]") {
    const std::string unreserved =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
    CHECK(uri_encode(unreserved) == unreserved);
}

TEST_CASE("UrlEncoding uri_encode escapes everything else with upper-case hex",
          "[protocol][unit]") {
    CHECK(uri_encode(" ") == "%20");
    CHECK(uri_encode("+") == "%2B");
    CHECK(uri_encode("*") == "%2A");
    CHECK(uri_encode("/") == "%2F");
    CHECK(uri_encode("=&?%") == "%3D%26%3F%25");
    CHECK(uri_encode("\xC3\xA9") == "%C3%A9");  // é in UTF-8
    CHECK(uri_encode(std::string("a\0b", 3)) == "a%00b");
    CHECK(uri_encode("\xFF") == "%FF");
}

TEST_CASE("UrlEncoding uri_encode keeps '/' only when asked", "[protocol][unit]") {
    CHECK(uri_encode("/bucket/my key", true) == "/bucket/my%20key");
    CHECK(uri_encode("/bucket/my key", false) == "%2Fbucket%2Fmy%20key");
}

TEST_CASE("UrlEncoding percent_decode decodes upper- and lower-case hex", "[protocol][unit]") {
    CHECK(percent_decode("%41%62%2f%2F") == "Ab//");
    CHECK(percent_decode("%C3%A9") == "\xC3\xA9");
    CHECK(percent_decode("%00") == std::string("\0", 1));
}

TEST_CASE("UrlEncoding percent_decode turns '+' into a space only for forms", "[protocol][unit]") {
    CHECK(percent_decode("a+b") == "a b");
    CHECK(percent_decode("a+b", true) == "a b");
    CHECK(percent_decode("a+b", false) == "a+b");
    CHECK(percent_decode("a%2Bb") == "a+b");
}

TEST_CASE("UrlEncoding percent_decode keeps malformed escapes as they are", "[protocol][unit]") {
    CHECK(percent_decode("%zz") == "%zz");
    CHECK(percent_decode("%4") == "%4");
    CHECK(percent_decode("100%") == "100%");
    CHECK(percent_decode("%%41") == "%A");
    CHECK(percent_decode("%G1") == "%G1");
}

TEST_CASE("UrlEncoding percent_decode undoes uri_encode for every byte", "[protocol][unit]") {
    std::string all;
    for (int c = 0; c < 256; ++c) {
        all.push_back(static_cast<char>(c));
    }
    CHECK(percent_decode(uri_encode(all), false) == all);
    CHECK(percent_decode(uri_encode(all), true) == all);
}

TEST_CASE("UrlEncoding parse_form splits and decodes pairs in order", "[protocol][unit]") {
    CHECK(parse_form("Action=GetCallerIdentity&Version=2011-06-15") ==
          Pairs{{"Action", "GetCallerIdentity"}, {"Version", "2011-06-15"}});
    CHECK(parse_form("b=2&a=1&b=3") == Pairs{{"b", "2"}, {"a", "1"}, {"b", "3"}});
}

TEST_CASE("UrlEncoding parse_form decodes keys and values as a form", "[protocol][unit]") {
    CHECK(parse_form("Attribute.1.Name=Policy&Attribute.1.Value=%7B%22a%22%3A+1%7D") ==
          Pairs{{"Attribute.1.Name", "Policy"}, {"Attribute.1.Value", "{\"a\": 1}"}});
    CHECK(parse_form("a%20key=a+value") == Pairs{{"a key", "a value"}});
}

TEST_CASE("UrlEncoding parse_form skips empty parts and keeps '=' inside values",
          "[protocol][unit]") {
    CHECK(parse_form("&a=1&&b=x=y&") == Pairs{{"a", "1"}, {"b", "x=y"}});
    CHECK(parse_form("").empty());
    CHECK(parse_form("&&").empty());
}

TEST_CASE("UrlEncoding parse_form gives keys without '=' an empty value", "[protocol][unit]") {
    CHECK(parse_form("versioning&a=") == Pairs{{"versioning", ""}, {"a", ""}});
    CHECK(parse_form("=v") == Pairs{{"", "v"}});
}
