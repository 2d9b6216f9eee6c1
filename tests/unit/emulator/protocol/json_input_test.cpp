#include "emulator/protocol/json_input.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using awsemu::parse_json_input;

namespace {

// parse_json_input must answer exactly what nlohmann does: the same values of the same types
// (5 is unsigned, -5 signed), and discarded for the same texts.
void check_same_as_nlohmann(const std::string& text) {
    INFO("text: " << text);
    const auto expected = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    const auto parsed = parse_json_input(text);
    REQUIRE(parsed.is_discarded() == expected.is_discarded());
    if (!expected.is_discarded()) {
        CHECK(parsed == expected);
        CHECK(parsed.dump() == expected.dump());
        CHECK(parsed.type() == expected.type());
    }
}

}  // namespace

TEST_CASE("parse_json_input reads what SDKs send", "[protocol][unit]") {
    const auto input = parse_json_input(
        R"({"QueueUrl":"http://localhost:4566/000000000000/q","MessageBody":"h\u00e9llo \"x\"\n",)"
        R"( "DelaySeconds": 5, "Offset": -7, "Flag": true, "None": null,)"
        R"( "Entries": [{"Id":"a"}, {"Id":"b"}], "Empty": {}, "Nothing": []})");
    REQUIRE(input.is_object());
    CHECK(input["QueueUrl"] == "http://localhost:4566/000000000000/q");
    CHECK(input["MessageBody"] == "h\xc3\xa9llo \"x\"\n");
    CHECK(input["DelaySeconds"].is_number_unsigned());
    CHECK(input["DelaySeconds"] == 5);
    CHECK(input["Offset"].is_number_integer());
    CHECK(input["Offset"] == -7);
    CHECK(input["Flag"] == true);
    CHECK(input["None"].is_null());
    CHECK(input["Entries"].size() == 2);
    CHECK(input["Entries"][1]["Id"] == "b");
    CHECK(input["Empty"].is_object());
    CHECK(input["Nothing"].is_array());
}

TEST_CASE("parse_json_input agrees with nlohmann on edge cases", "[protocol][unit]") {
    const std::vector<std::string> texts = {
        "{}",
        "[]",
        "0",
        "-0",
        "7",
        "  {\"a\" : 1 }  ",
        "{\"a\":1,\"a\":2}",  // last key wins
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "1.5",
        "1e3",
        "-2E-2",
        "01",
        "-",
        "1.",
        ".5",
        "+1",
        "\"\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\ude00\"",
        "\"\\ud83dx\"",
        "\"\\u00zz\"",
        "\"\\x\"",
        "\"tab\there\"",
        "\"\xc3\xa9\"",
        "\"\xc3\"",
        "\"\xed\xa0\x80\"",
        "\"\xf4\x90\x80\x80\"",
        "\"\xc0\xaf\"",
        "\"\x7f\"",
        "\"a\\/b\\b\\f\\r\\t\"",
        "tru",
        "true ",
        "nul",
        "null x",
        "{\"a\"}",
        "{\"a\":}",
        "{,}",
        "[1,]",
        "[1 2]",
        "{\"a\":1,}",
        "{\"a\":1",
        "[",
        "",
        "   ",
        "{'a':1}",
        "[true,false,null]",
        "{\"\":\"\"}",
        std::string(100, '[') + std::string(100, ']'),  // deeper than the fast path goes
        std::string(50, '[') + std::string(50, ']'),
        std::string("\"nul\0byte\"", 10),
    };
    for (const auto& text : texts) {
        check_same_as_nlohmann(text);
    }
}

TEST_CASE("parse_json_input agrees with nlohmann on mutated documents", "[protocol][unit]") {
    const std::string seed =
        R"({"QueueUrl":"http://x/1/q","MessageBody":"b\u00e9\"\\","DelaySeconds":15,)"
        R"("MessageAttributes":{"n":{"DataType":"Number","StringValue":"-1"}},"L":[1,-2,true,null]})";
    const std::string alphabet = "{}[]\",:\\ 0123456789-+.eEtrufalsn\xc3\xa9\x80\xff\t\nu";
    std::mt19937 random(20261124);
    for (int round = 0; round < 3000; ++round) {
        std::string text = seed;
        const int edits = 1 + static_cast<int>(random() % 3);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = random() % (text.size() + 1);
            switch (random() % 3) {
                case 0:
                    text.insert(at, 1, alphabet[random() % alphabet.size()]);
                    break;
                case 1:
                    if (at < text.size()) {
                        text.erase(at, 1);
                    }
                    break;
                default:
                    if (at < text.size()) {
                        text[at] = alphabet[random() % alphabet.size()];
                    }
            }
        }
        check_same_as_nlohmann(text);
    }
}
