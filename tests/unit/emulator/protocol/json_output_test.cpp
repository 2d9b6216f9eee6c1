#include "emulator/protocol/json_output.hpp"

#include <catch2/catch.hpp>

#include <string>

using awsemu::to_json_text;
using Json = nlohmann::json;

TEST_CASE("to_json_text writes exactly what dump() writes", "[protocol][unit]") {
    const Json values[] = {
        Json::object(),
        Json::array(),
        Json{{"content-type", "text/plain"}, {"x-amz-meta-a", "b"}, {"size", 4096}},
        Json{{"n", -5}, {"u", 18446744073709551615ULL}, {"f", 1.5}, {"t", true}, {"z", nullptr}},
        Json{{"quote\"key", "back\\slash"}, {"ctl", std::string("a\x01\n\tb")}},
        Json{{"utf8", "caf\xc3\xa9 \xf0\x9f\x98\x80"}, {"del", "\x7f"}},
        Json{{"nested", {{"list", {1, "two", {{"three", 3.25}}}}}}},
    };
    for (const auto& value : values) {
        INFO(value.dump());
        CHECK(to_json_text(value) == value.dump());
    }
}

TEST_CASE("to_json_text handles invalid UTF-8 as it is told", "[protocol][unit]") {
    const Json bad{{"k", std::string("a\xff")}};
    CHECK_THROWS_AS(to_json_text(bad), Json::type_error);  // as dump() does by default
    CHECK(to_json_text(bad, Json::error_handler_t::replace) ==
          bad.dump(-1, ' ', false, Json::error_handler_t::replace));
}
