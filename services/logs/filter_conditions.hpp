#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The conditions inside JSON filter patterns ({ $.a = "x" && $.b > 1 }) and space-delimited
// ones ([ip, status = 5*, ...]): their tokens, their parse tree and how a comparison judges a
// value. filter_pattern.cpp binds the selectors to JSON paths or field positions.
namespace awsemu::logs::conditions {

// Throws AwsError InvalidParameterException for a pattern that cannot be read.
[[noreturn]] void invalid_pattern();

// A whole number or decimal; nullopt for anything else.
std::optional<double> parse_number(std::string_view text);

enum class Tok { LParen, RParen, And, Or, Op, String, Word, Comma, Ellipsis, End };

struct Token {
    Tok kind;
    std::string text;
};

// Splits condition text into tokens: words run up to a space, operator, parenthesis, comma or
// quote; quoted text is one String token (quotes dropped, \" kept as "); `...` is an Ellipsis.
std::vector<Token> lex(std::string_view s);

using PathStep = std::variant<std::string, std::size_t>;

struct Comparison {
    enum class Kind { Eq, Ne, Lt, Gt, Le, Ge, IsNull, NotExists, IsTrue, IsFalse };
    std::string selector;        // "$.a.b" or a field name
    std::vector<PathStep> path;  // JSON patterns
    std::size_t field = 0;       // space-delimited patterns: the field's position
    Kind kind = Kind::Eq;
    bool quoted = false;
    std::string text;
    std::optional<double> number;
};

struct Node {
    enum class Kind { And, Or, Leaf } kind = Kind::Leaf;
    std::vector<std::unique_ptr<Node>> children;
    Comparison leaf;
};

// An || of && of comparisons (parentheses allowed) from tokens[pos] on; `pos` ends at the first
// token that cannot continue it.
std::unique_ptr<Node> parse_condition(const std::vector<Token>& tokens, std::size_t& pos);

// How comparison `c` judges a value: numerically when both sides are numbers, else as text
// with * wildcards (= and != only); `text` is null for a value that is no text.
bool compare_value(const Comparison& c, std::optional<double> number, const std::string* text);

// Evaluates the tree, judging each comparison with `leaf(const Comparison&)`.
template <class Leaf>
bool eval(const Node& node, const Leaf& leaf) {
    switch (node.kind) {
        case Node::Kind::Leaf:
            return leaf(node.leaf);
        case Node::Kind::And:
            for (const auto& child : node.children) {
                if (!eval(*child, leaf)) {
                    return false;
                }
            }
            return true;
        case Node::Kind::Or:
            for (const auto& child : node.children) {
                if (eval(*child, leaf)) {
                    return true;
                }
            }
            return false;
    }
    return false;
}

}  // namespace awsemu::logs::conditions
