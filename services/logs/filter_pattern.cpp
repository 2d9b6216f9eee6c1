#include "services/logs/filter_pattern.hpp"

#include <charconv>
#include <optional>
#include <variant>

#include <nlohmann/json.hpp>

#include "services/logs/filter_conditions.hpp"

namespace awsemu::logs {
namespace {

using conditions::Comparison;
using conditions::invalid_pattern;
using conditions::Node;
using conditions::parse_number;
using conditions::PathStep;
using conditions::Tok;
using conditions::Token;

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
    return conditions::compare_value(c, number, &text);
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
            return conditions::compare_value(c, parse_number(*value), value);
        };
        for (const auto& condition : conditions) {
            if (!conditions::eval(*condition, leaf)) {
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
    const std::vector<Token> tokens = conditions::lex(body);
    while (tokens[pos].kind != Tok::End) {
        if (tokens[pos].kind == Tok::Ellipsis) {
            pattern.names.emplace_back("...");
            ++pos;
        } else if (tokens[pos].kind == Tok::Word) {
            const std::string name = tokens[pos].text;
            pattern.names.push_back(name);
            if (tokens[pos + 1].kind == Tok::Op || tokens[pos + 1].kind == Tok::Word) {
                pattern.conditions.push_back(conditions::parse_condition(tokens, pos));
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
        const std::vector<Token> tokens = conditions::lex(trimmed.substr(1, trimmed.size() - 2));
        auto root = conditions::parse_condition(tokens, pos);
        if (tokens[pos].kind != Tok::End) {
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
    return conditions::eval(*root, [&](const Comparison& c) { return eval_json_leaf(c, json); });
}

}  // namespace awsemu::logs
