#include "services/logs/filter_conditions.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

#include "emulator/wildcard.hpp"
#include "services/logs/filter_pattern.hpp"
#include "services/logs/logs_errors.hpp"

namespace awsemu::logs::conditions {
namespace {

bool word_char(char c) {
    return !std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')' && c != '&' &&
           c != '|' && c != '=' && c != '!' && c != '<' && c != '>' && c != ',' && c != '"';
}

}  // namespace

std::vector<Token> lex(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '(' || c == ')' || c == ',') {
            out.push_back({c == '(' ? Tok::LParen : c == ')' ? Tok::RParen : Tok::Comma, ""});
            ++i;
        } else if (s.substr(i, 2) == "&&") {
            out.push_back({Tok::And, ""});
            i += 2;
        } else if (s.substr(i, 2) == "||") {
            out.push_back({Tok::Or, ""});
            i += 2;
        } else if (s.substr(i, 2) == "!=" || s.substr(i, 2) == "<=" || s.substr(i, 2) == ">=") {
            out.push_back({Tok::Op, std::string(s.substr(i, 2))});
            i += 2;
        } else if (c == '=' || c == '<' || c == '>') {
            out.push_back({Tok::Op, std::string(1, c)});
            ++i;
        } else if (c == '"') {
            std::string text;
            ++i;
            while (i < s.size() && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    ++i;
                }
                text += s[i++];
            }
            if (i >= s.size()) {
                invalid_pattern();
            }
            ++i;
            out.push_back({Tok::String, std::move(text)});
        } else if (word_char(c)) {
            const std::size_t start = i;
            while (i < s.size() && word_char(s[i])) {
                ++i;
            }
            std::string word(s.substr(start, i - start));
            out.push_back({word == "..." ? Tok::Ellipsis : Tok::Word, std::move(word)});
        } else {
            invalid_pattern();
        }
    }
    out.push_back({Tok::End, ""});
    return out;
}

namespace {

class ConditionParser {
  public:
    ConditionParser(const std::vector<Token>& tokens, std::size_t& pos)
        : tokens_(tokens), pos_(pos) {}

    std::unique_ptr<Node> parse_or() {
        auto left = parse_and();
        if (peek().kind != Tok::Or) {
            return left;
        }
        auto node = std::make_unique<Node>();
        node->kind = Node::Kind::Or;
        node->children.push_back(std::move(left));
        while (peek().kind == Tok::Or) {
            ++pos_;
            node->children.push_back(parse_and());
        }
        return node;
    }

    const Token& peek() const { return tokens_[pos_]; }

  private:
    std::unique_ptr<Node> parse_and() {
        auto left = parse_primary();
        if (peek().kind != Tok::And) {
            return left;
        }
        auto node = std::make_unique<Node>();
        node->kind = Node::Kind::And;
        node->children.push_back(std::move(left));
        while (peek().kind == Tok::And) {
            ++pos_;
            node->children.push_back(parse_primary());
        }
        return node;
    }

    std::unique_ptr<Node> parse_primary() {
        if (peek().kind == Tok::LParen) {
            ++pos_;
            auto inner = parse_or();
            expect(Tok::RParen);
            return inner;
        }
        auto node = std::make_unique<Node>();
        Comparison& c = node->leaf;
        c.selector = expect(Tok::Word).text;
        const Token& next = peek();
        if (next.kind == Tok::Word && (next.text == "IS" || next.text == "NOT")) {
            const std::string first = next.text;
            ++pos_;
            const std::string second = expect(Tok::Word).text;
            if (first == "IS" && second == "NULL") {
                c.kind = Comparison::Kind::IsNull;
            } else if (first == "IS" && second == "TRUE") {
                c.kind = Comparison::Kind::IsTrue;
            } else if (first == "IS" && second == "FALSE") {
                c.kind = Comparison::Kind::IsFalse;
            } else if (first == "NOT" && second == "EXISTS") {
                c.kind = Comparison::Kind::NotExists;
            } else {
                invalid_pattern();
            }
            return node;
        }
        const std::string op = expect(Tok::Op).text;
        c.kind = op == "="    ? Comparison::Kind::Eq
                 : op == "!=" ? Comparison::Kind::Ne
                 : op == "<"  ? Comparison::Kind::Lt
                 : op == ">"  ? Comparison::Kind::Gt
                 : op == "<=" ? Comparison::Kind::Le
                              : Comparison::Kind::Ge;
        const Token& value = peek();
        if (value.kind == Tok::String) {
            c.quoted = true;
        } else if (value.kind != Tok::Word) {
            invalid_pattern();
        }
        c.text = value.text;
        ++pos_;
        if (!c.quoted) {
            c.number = parse_number(c.text);
        }
        const bool ordering = c.kind != Comparison::Kind::Eq && c.kind != Comparison::Kind::Ne;
        if (ordering && !c.number) {
            invalid_pattern();
        }
        return node;
    }

    const Token& expect(Tok kind) {
        if (peek().kind != kind) {
            invalid_pattern();
        }
        return tokens_[pos_++];
    }

    const std::vector<Token>& tokens_;
    std::size_t& pos_;
};

}  // namespace

[[noreturn]] void invalid_pattern() {
    throw AwsError(errors::InvalidParameterException, "Invalid filter pattern");
}

std::optional<double> parse_number(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    double value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (*begin == '+') {
        ++begin;
    }
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::unique_ptr<Node> parse_condition(const std::vector<Token>& tokens, std::size_t& pos) {
    ConditionParser parser(tokens, pos);
    return parser.parse_or();
}

bool compare_value(const Comparison& c, std::optional<double> number, const std::string* text) {
    using K = Comparison::Kind;
    if (c.number && number && !c.quoted) {
        const double a = *number;
        const double b = *c.number;
        switch (c.kind) {
            case K::Eq:
                return a == b;
            case K::Ne:
                return a != b;
            case K::Lt:
                return a < b;
            case K::Gt:
                return a > b;
            case K::Le:
                return a <= b;
            case K::Ge:
                return a >= b;
            default:
                return false;
        }
    }
    if (c.kind == K::Eq || c.kind == K::Ne) {
        const bool equal = text != nullptr && wildcard_match(c.text, *text);
        return c.kind == K::Eq ? equal : !equal;
    }
    return false;
}

}  // namespace awsemu::logs::conditions
