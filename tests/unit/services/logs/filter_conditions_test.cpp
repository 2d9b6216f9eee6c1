#include "services/logs/filter_conditions.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

using namespace awsemu;
using namespace awsemu::logs::conditions;
using awsemu::testing::thrown_aws_error;

TEST_CASE("Filter conditions: tokens, the parse tree and comparisons", "[logs][unit]") {
    const auto tokens = lex(R"($.a = "x y" && ($.b >= 2 || c != d*), ...)");
    std::vector<Tok> kinds;
    for (const auto& token : tokens) {
        kinds.push_back(token.kind);
    }
    CHECK(kinds == std::vector<Tok>{Tok::Word, Tok::Op, Tok::String, Tok::And, Tok::LParen,
                                    Tok::Word, Tok::Op, Tok::Word, Tok::Or, Tok::Word, Tok::Op,
                                    Tok::Word, Tok::RParen, Tok::Comma, Tok::Ellipsis, Tok::End});
    CHECK(tokens[2].text == "x y");

    std::size_t pos = 0;
    const auto root = parse_condition(tokens, pos);
    CHECK(tokens[pos].kind == Tok::Comma);  // stops where the condition cannot go on
    REQUIRE(root->kind == Node::Kind::And);
    REQUIRE(root->children.size() == 2);
    CHECK(root->children[0]->leaf.selector == "$.a");
    CHECK(root->children[0]->leaf.quoted);
    CHECK(root->children[1]->kind == Node::Kind::Or);
    CHECK(root->children[1]->children[0]->leaf.number == 2.0);

    // Every leaf true but `c != d*`.
    const auto leaf = [](const Comparison& c) { return c.selector != "c"; };
    CHECK(eval(*root, leaf));
    const auto only_c = [](const Comparison& c) { return c.selector == "c"; };
    CHECK_FALSE(eval(*root, only_c));

    Comparison ge;
    ge.kind = Comparison::Kind::Ge;
    ge.number = 500;
    CHECK(compare_value(ge, 503.0, nullptr));
    CHECK_FALSE(compare_value(ge, std::nullopt, nullptr));
    Comparison glob;
    glob.text = "4*";
    glob.number = parse_number("4*");
    const std::string status = "404";
    CHECK(compare_value(glob, 404.0, &status));
    CHECK(parse_number("-1.5") == -1.5);
    CHECK_FALSE(parse_number("1e"));

    for (const char* bad : {"$.a =", "$.a > x", "($.a = 1", "$.a IS MAYBE", "\"open"}) {
        INFO(bad);
        const AwsError error = thrown_aws_error([&] {
            std::size_t at = 0;
            parse_condition(lex(bad), at);
        });
        CHECK(error.spec().code == "InvalidParameterException");
    }
}
