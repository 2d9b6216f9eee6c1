#include "emulator/protocol/message_attributes.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace awsemu;
using nlohmann::json;

TEST_CASE("MessageAttributes names follow AWS's rule", "[protocol][unit]") {
    CHECK(valid_message_attribute_name("order.id_2-x"));
    CHECK(valid_message_attribute_name(std::string(256, 'a')));
    CHECK_FALSE(valid_message_attribute_name(std::string(257, 'a')));
    for (const char* name : {"", ".a", "a.", "a..b", "AWS.x", "amazon.x", "a b", "a/b"}) {
        CHECK_FALSE(valid_message_attribute_name(name));
    }
}

TEST_CASE("MessageAttributes data types are String, Number or Binary, with a custom suffix",
          "[protocol][unit]") {
    CHECK(message_attribute_kind("String") == MessageAttributeKind::String);
    CHECK(message_attribute_kind("String.Array") == MessageAttributeKind::String);
    CHECK(message_attribute_kind("Number.float") == MessageAttributeKind::Number);
    CHECK(message_attribute_kind("Binary") == MessageAttributeKind::Binary);
    CHECK(message_attribute_kind("Strings") == MessageAttributeKind::Unknown);
    CHECK(message_attribute_kind("") == MessageAttributeKind::Unknown);
}

TEST_CASE("MessageAttributes values are non-empty strings or base64 bytes", "[protocol][unit]") {
    CHECK(string_attribute_value({{"StringValue", "x"}}) == "x");
    CHECK_FALSE(string_attribute_value({{"StringValue", ""}}));
    CHECK_FALSE(string_attribute_value({{"StringValue", 5}}));
    CHECK_FALSE(string_attribute_value(json::object()));
    CHECK(binary_attribute_value({{"BinaryValue", "AAE="}}) == std::string("\0\1", 2));
    CHECK_FALSE(binary_attribute_value({{"BinaryValue", ""}}));
    CHECK_FALSE(binary_attribute_value({{"BinaryValue", "not base64!"}}));
    CHECK_FALSE(binary_attribute_value(json::object()));
}
