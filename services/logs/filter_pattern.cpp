#include "services/logs/filter_pattern.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <variant>

#include <nlohmann/json.hpp>

#include "services/logs/logs_errors.hpp"

namespace awsemu::logs {
namespace {

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

// ---- lexer for JSON and space-delimited conditions -------------------------------------------

enum class Tok { LParen, RParen, And, Or, Op, String, Word, Comma, Ellipsis, End };

struct Token {
    Tok kind;
    std::string text;
};

bool word_char(char c) {
    return !std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')' && c != '&' &&
           c != '|' && c != '=' && c != '!' && c != '<' && c != '>' && c != ',' && c != '"';
}

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

// ---- conditions ------------------------------------------------------------------------------

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

class ConditionParser {
  public:
    ConditionParser(std::vector<Token> tokens, std::size_t& pos)
        : tokens_(std::move(tokens)), pos_(pos) {}

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
    const std::vector<Token>& tokens() const { return tokens_; }

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

    std::vector<Token> tokens_;
    std::size_t& pos_;
};

std::vector<PathStep> parse_selector(std::string_view selector) {
    if (!selector.starts_with("$")) {
        invalid_pattern();
    }
    std::vector<PathStep> steps;
    std::size_t i = 1;
    while (i < selector.size()) {
        if (selector[i] == '.') {
            const std::size_t start = ++i;
            while (i < selector.size() && selector[i] != '.' && selector[i] != '[') {
                ++i;
            }
            if (i == start) {
                invalid_pattern();
            }
            steps.emplace_back(std::string(selector.substr(start, i - start)));
        } else if (selector[i] == '[') {
            const auto close = selector.find(']', i);
            if (close == std::string_view::npos) {
                invalid_pattern();
            }
            std::size_t index = 0;
            const auto digits = selector.substr(i + 1, close - i - 1);
            const auto [ptr, ec] =
                std::from_chars(digits.data(), digits.data() + digits.size(), index);
            if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size()) {
                invalid_pattern();
            }
            steps.emplace_back(index);
            i = close + 1;
        } else {
            invalid_pattern();
        }
    }
    if (steps.empty()) {
        invalid_pattern();
    }
    return steps;
}

// Each leaf of a JSON pattern gets its path.
void resolve_json(Node& node) {
    if (node.kind == Node::Kind::Leaf) {
        node.leaf.path = parse_selector(node.leaf.selector);
        return;
    }
    for (auto& child : node.children) {
        resolve_json(*child);
    }
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

bool eval_json_leaf(const Comparison& c, const nlohmann::json& root) {
    using K = Comparison::Kind;
    const nlohmann::json* at = &root;
    for (const auto& step : c.path) {
        if (const auto* key = std::get_if<std::string>(&step)) {
            if (!at->is_object()) {
                at = nullptr;
                break;
            }
            const auto it = at->find(*key);
            at = it == at->end() ? nullptr : &*it;
        } else {
            const std::size_t index = std::get<std::size_t>(step);
            at = at->is_array() && index < at->size() ? &(*at)[index] : nullptr;
        }
        if (at == nullptr) {
            break;
        }
    }
    switch (c.kind) {
        case K::NotExists:
            return at == nullptr;
        case K::IsNull:
            return at != nullptr && at->is_null();
        case K::IsTrue:
            return at != nullptr && at->is_boolean() && at->get<bool>();
        case K::IsFalse:
            return at != nullptr && at->is_boolean() && !at->get<bool>();
        default:
            break;
    }
    if (at == nullptr) {
        return false;
    }
    std::optional<double> number;
    std::string text;
    if (at->is_number()) {
        number = at->get<double>();
        text = at->dump();
    } else if (at->is_string()) {
        text = at->get<std::string>();
    } else if (at->is_boolean() || at->is_null()) {
        text = at->dump();
    } else {
        return c.kind == K::Ne;
    }
    return compare_value(c, number, &text);
}

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

// Splits a message into space-delimited fields; "quoted" and [bracketed] fields lose their
// delimiters and keep their spaces.
std::vector<std::string> split_fields(std::string_view message) {
    std::vector<std::string> fields;
    std::size_t i = 0;
    while (i < message.size()) {
        if (message[i] == ' ') {
            ++i;
            continue;
        }
        const char open = message[i];
        if (open == '"' || open == '[') {
            const char close = open == '"' ? '"' : ']';
            const auto end = message.find(close, i + 1);
            if (end != std::string_view::npos) {
                fields.emplace_back(message.substr(i + 1, end - i - 1));
                i = end + 1;
                continue;
            }
        }
        const auto end = message.find(' ', i);
        const auto stop = end == std::string_view::npos ? message.size() : end;
        fields.emplace_back(message.substr(i, stop - i));
        i = stop;
    }
    return fields;
}

struct TermPattern {
    std::vector<std::string> all;
    std::vector<std::string> any;
    std::vector<std::string> none;

    bool matches(std::string_view message) const {
        for (const auto& term : all) {
            if (message.find(term) == std::string_view::npos) {
                return false;
            }
        }
        for (const auto& term : none) {
            if (message.find(term) != std::string_view::npos) {
                return false;
            }
        }
        if (any.empty()) {
            return true;
        }
        for (const auto& term : any) {
            if (message.find(term) != std::string_view::npos) {
                return true;
            }
        }
        return false;
    }
};

TermPattern parse_terms(std::string_view text) {
    TermPattern pattern;
    std::size_t i = 0;
    while (i < text.size()) {
        if (std::isspace(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        char sign = 0;
        if (text[i] == '?' || text[i] == '-') {
            sign = text[i++];
        }
        std::string term;
        if (i < text.size() && text[i] == '"') {
            const auto close = text.find('"', i + 1);
            if (close == std::string_view::npos) {
                invalid_pattern();
            }
            term = std::string(text.substr(i + 1, close - i - 1));
            i = close + 1;
        } else {
            const std::size_t start = i;
            while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
                ++i;
            }
            term = std::string(text.substr(start, i - start));
        }
        if (term.empty()) {
            if (sign == 0) {
                continue;
            }
            invalid_pattern();
        }
        (sign == '?'   ? pattern.any
         : sign == '-' ? pattern.none
                       : pattern.all)
            .push_back(std::move(term));
    }
    return pattern;
}

struct SpacePattern {
    std::vector<std::string> names;  // "..." for an ellipsis
    std::vector<std::unique_ptr<Node>> conditions;

    bool matches(std::string_view message) const {
        const auto fields = split_fields(message);
        // Which message field each named position takes: before the ellipsis from the front,
        // after it from the back.
        std::size_t ellipsis = names.size();
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i] == "...") {
                ellipsis = i;
                break;
            }
        }
        std::vector<const std::string*> bound(names.size(), nullptr);
        if (ellipsis == names.size()) {
            if (fields.size() != names.size()) {
                return false;
            }
            for (std::size_t i = 0; i < names.size(); ++i) {
                bound[i] = &fields[i];
            }
        } else {
            const std::size_t after = names.size() - ellipsis - 1;
            if (fields.size() < ellipsis + after) {
                return false;
            }
            for (std::size_t i = 0; i < ellipsis; ++i) {
                bound[i] = &fields[i];
            }
            for (std::size_t k = 0; k < after; ++k) {
                bound[ellipsis + 1 + k] = &fields[fields.size() - after + k];
            }
        }
        const auto leaf = [&](const Comparison& c) {
            const std::string* value = bound[c.field];
            if (value == nullptr) {
                return false;
            }
            return compare_value(c, parse_number(*value), value);
        };
        for (const auto& condition : conditions) {
            if (!eval(*condition, leaf)) {
                return false;
            }
        }
        return true;
    }
};

void resolve_fields(Node& node, const std::vector<std::string>& names) {
    if (node.kind == Node::Kind::Leaf) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i] == node.leaf.selector) {
                node.leaf.field = i;
                return;
            }
        }
        invalid_pattern();
    }
    for (auto& child : node.children) {
        resolve_fields(*child, names);
    }
}

SpacePattern parse_space_delimited(std::string_view body) {
    SpacePattern pattern;
    std::size_t pos = 0;
    ConditionParser parser(lex(body), pos);
    const auto& tokens = parser.tokens();
    while (tokens[pos].kind != Tok::End) {
        if (tokens[pos].kind == Tok::Ellipsis) {
            pattern.names.emplace_back("...");
            ++pos;
        } else if (tokens[pos].kind == Tok::Word) {
            const std::string name = tokens[pos].text;
            pattern.names.push_back(name);
            if (tokens[pos + 1].kind == Tok::Op || tokens[pos + 1].kind == Tok::Word) {
                pattern.conditions.push_back(parser.parse_or());
            } else {
                ++pos;
            }
        } else {
            invalid_pattern();
        }
        if (tokens[pos].kind == Tok::Comma) {
            ++pos;
        } else if (tokens[pos].kind != Tok::End) {
            invalid_pattern();
        }
    }
    for (auto& condition : pattern.conditions) {
        resolve_fields(*condition, pattern.names);
    }
    return pattern;
}

}  // namespace

struct FilterPattern::Impl {
    std::variant<TermPattern, std::unique_ptr<Node>, SpacePattern> pattern;
};

FilterPattern::FilterPattern() : impl_(std::make_unique<Impl>()) {}
FilterPattern::FilterPattern(FilterPattern&&) noexcept = default;
FilterPattern& FilterPattern::operator=(FilterPattern&&) noexcept = default;
FilterPattern::~FilterPattern() = default;

FilterPattern FilterPattern::parse(std::string_view text) {
    FilterPattern result;
    std::size_t start = 0;
    while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) {
        ++start;
    }
    std::size_t end = text.size();
    while (end > start && std::isspace(static_cast<unsigned char>(text[end - 1]))) {
        --end;
    }
    const std::string_view trimmed = text.substr(start, end - start);
    if (trimmed.starts_with("{")) {
        if (!trimmed.ends_with("}")) {
            invalid_pattern();
        }
        std::size_t pos = 0;
        ConditionParser parser(lex(trimmed.substr(1, trimmed.size() - 2)), pos);
        auto root = parser.parse_or();
        if (parser.peek().kind != Tok::End) {
            invalid_pattern();
        }
        resolve_json(*root);
        result.impl_->pattern = std::move(root);
    } else if (trimmed.starts_with("[")) {
        if (!trimmed.ends_with("]")) {
            invalid_pattern();
        }
        result.impl_->pattern = parse_space_delimited(trimmed.substr(1, trimmed.size() - 2));
    } else {
        result.impl_->pattern = parse_terms(trimmed);
    }
    return result;
}

bool FilterPattern::matches(std::string_view message) const {
    if (const auto* terms = std::get_if<TermPattern>(&impl_->pattern)) {
        return terms->matches(message);
    }
    if (const auto* space = std::get_if<SpacePattern>(&impl_->pattern)) {
        return space->matches(message);
    }
    const auto& root = std::get<std::unique_ptr<Node>>(impl_->pattern);
    const auto json = nlohmann::json::parse(message, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !(json.is_object() || json.is_array())) {
        return false;
    }
    return eval(*root, [&](const Comparison& c) { return eval_json_leaf(c, json); });
}

bool wildcard_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

}  // namespace awsemu::logs
