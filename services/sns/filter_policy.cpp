#include "services/sns/filter_policy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "emulator/ascii.hpp"
#include "services/sns/sns_errors.hpp"

namespace awsemu::sns {
namespace {

// The one member of a match expression ({"prefix": "x"}). Read through the object's iterator:
// a binding to *items().begin() would outlive the temporary it refers to.
struct Member {
    const std::string& name;
    const nlohmann::json& value;
};
Member only_member(const nlohmann::json& object) {
    const auto it = object.begin();
    return {it.key(), it.value()};
}

constexpr int kMaxKeys = 5;
constexpr double kMaxCombinations = 150;
constexpr std::size_t kMaxPolicyBytes = std::size_t{256} * 1024;
constexpr double kNumericLimit = 1e9;

// A refusal's text after "Invalid parameter: " and the caller's prefix; parse() makes it the
// AwsError.
struct Refusal {
    std::string reason;
};

[[noreturn]] void refuse_filter_policy(const std::string& reason) {
    throw Refusal{"FilterPolicy: " + reason};
}

// ---- IP ranges ---------------------------------------------------------------------------

struct IpAddress {
    std::array<unsigned char, 16> bytes{};
    int bits = 0;  // 32 or 128
};

std::optional<IpAddress> parse_ip(const std::string& text) {
    IpAddress address;
    if (::inet_pton(AF_INET, text.c_str(), address.bytes.data()) == 1) {
        address.bits = 32;
        return address;
    }
    if (::inet_pton(AF_INET6, text.c_str(), address.bytes.data()) == 1) {
        address.bits = 128;
        return address;
    }
    return std::nullopt;
}

struct Cidr {
    IpAddress network;
    int prefix = 0;
};

Cidr parse_cidr(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos || text.find('/', slash + 1) != std::string::npos) {
        refuse_filter_policy("Malformed CIDR, one '/' required");
    }
    const auto network = parse_ip(text.substr(0, slash));
    if (!network) {
        refuse_filter_policy("Nonstandard IP address: " + text.substr(0, slash));
    }
    const std::string bits = text.substr(slash + 1);
    int prefix = -1;
    if (!bits.empty() && bits.size() <= 3 &&
        std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        prefix = std::stoi(bits);
    }
    if (prefix < 0 || prefix > network->bits) {
        refuse_filter_policy("Malformed CIDR, mask bits must be an integer");
    }
    return Cidr{*network, prefix};
}

bool in_cidr(const Cidr& cidr, const std::string& text) {
    const auto address = parse_ip(text);
    if (!address || address->bits != cidr.network.bits) {
        return false;
    }
    for (int bit = 0; bit < cidr.prefix; ++bit) {
        const int byte = bit / 8;
        const int mask = 0x80 >> (bit % 8);
        if ((address->bytes[byte] & mask) != (cidr.network.bytes[byte] & mask)) {
            return false;
        }
    }
    return true;
}

// ---- validation ----------------------------------------------------------------------------

bool is_literal(const nlohmann::json& value) {
    return value.is_string() || value.is_number() || value.is_boolean() || value.is_null();
}

// A JSON value as AWS's parser names the token it stopped at.
std::string token_text(const nlohmann::json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_object()) {
        return "{";
    }
    if (value.is_array()) {
        return "[";
    }
    return value.dump();
}

void check_number(const nlohmann::json& range, std::size_t at, const std::string& op) {
    const std::string name = op == "=" ? "equals" : op;
    if (at >= range.size() || !range[at].is_number()) {
        refuse_filter_policy("Value of " + name + " must be numeric");
    }
    const double number = range[at].get<double>();
    if (number < -kNumericLimit || number > kNumericLimit) {
        refuse_filter_policy("Value of " + name + " must be between -1.0E9 and 1.0E9 (inclusive)");
    }
}

// AWS's grammar: an operator and a number; or ">"/">=" and a number, then "<"/"<=" and a
// greater number.
void check_numeric(const nlohmann::json& range) {
    if (!range.is_array()) {
        refuse_filter_policy("Value of numeric must be an array.");
    }
    if (range.empty() || !range[0].is_string()) {
        refuse_filter_policy("Invalid member in numeric match: " +
                             (range.empty() ? "]" : token_text(range[0])));
    }
    const std::string first = range[0].get<std::string>();
    if (first != "=" && first != "<" && first != "<=" && first != ">" && first != ">=") {
        refuse_filter_policy("Unrecognized numeric range operator: " + first);
    }
    check_number(range, 1, first);
    if (range.size() == 2) {
        return;
    }
    if (first != ">" && first != ">=") {
        refuse_filter_policy("Too many elements in numeric expression");
    }
    if (!range[2].is_string()) {
        refuse_filter_policy("Bad value in numeric range: " + token_text(range[2]));
    }
    const std::string second = range[2].get<std::string>();
    if (second != "<" && second != "<=") {
        refuse_filter_policy("Bad numeric range operator: " + second);
    }
    check_number(range, 3, second);
    if (range[1].get<double>() >= range[3].get<double>()) {
        refuse_filter_policy("Bottom must be less than top");
    }
    if (range.size() > 4) {
        refuse_filter_policy("Too many terms in numeric range expression");
    }
}

void check_string_operand(const nlohmann::json& value, const std::string& op) {
    if (!value.is_string()) {
        refuse_filter_policy(op + " match pattern must be a string");
    }
}

void check_anything_but(const nlohmann::json& value) {
    if (value.is_string() || value.is_number()) {
        return;
    }
    if (value.is_array()) {
        if (value.empty()) {
            refuse_filter_policy("Empty arrays are not allowed");
        }
        const bool strings = value.front().is_string();
        for (const auto& item : value) {
            if (!(item.is_string() || item.is_number()) || item.is_string() != strings) {
                refuse_filter_policy(
                    "Inside anything but list, start|null|boolean is not supported.");
            }
        }
        return;
    }
    // SNS documents (and takes) one pattern inside anything-but: prefix.
    if (value.is_object() && !value.empty()) {
        const auto [op, operand] = only_member(value);
        if (op != "prefix") {
            refuse_filter_policy("Unsupported anything-but pattern: " + op);
        }
        check_string_operand(operand, op);
        if (value.size() > 1) {
            refuse_filter_policy("Only one key allowed in match expression");
        }
        return;
    }
    refuse_filter_policy("Value of anything-but must be an array or single string/number value.");
}

void check_operator(const nlohmann::json& condition) {
    if (condition.size() != 1) {
        refuse_filter_policy("Only one key allowed in match expression");
    }
    const auto [op, operand] = only_member(condition);
    if (op == "prefix" || op == "suffix" || op == "equals-ignore-case") {
        check_string_operand(operand, op);
    } else if (op == "anything-but") {
        check_anything_but(operand);
    } else if (op == "numeric") {
        check_numeric(operand);
    } else if (op == "exists") {
        if (!operand.is_boolean()) {
            refuse_filter_policy("exists match pattern must be either true or false.");
        }
    } else if (op == "cidr") {
        if (!operand.is_string()) {
            refuse_filter_policy("prefix match pattern must be a string");
        }
        parse_cidr(operand.get<std::string>());
    } else {
        refuse_filter_policy("Unrecognized match type " + op);
    }
}

struct Checked {
    int keys = 0;  // top-level keys (those of $or's branches included): nested ones don't count
};

// Answers the policy's combination count as AWS documents it: the product, over its arrays, of
// the array's size times the number of keys on its path (3 x 4 x 2 x 3 = 72 for a 4-value array
// under three keys and a 3-value array under two); $or: the sum of its branches.
double check_object(const nlohmann::json& object, FilterPolicyScope scope, int depth,
                    Checked& checked) {
    if (!object.is_object()) {
        refuse_filter_policy("Filter policy must be a JSON object");
    }
    if (object.empty()) {
        refuse_filter_policy("Empty objects are not allowed");
    }
    double combinations = 1;
    for (const auto& [key, value] : object.items()) {
        if (key == "$or") {
            if (!value.is_array() || value.size() < 2) {
                refuse_filter_policy("$or must be an array of at least two objects");
            }
            double sum = 0;
            for (const auto& branch : value) {
                sum += check_object(branch, scope, depth, checked);
            }
            combinations *= sum;
            continue;
        }
        if (depth == 1) {
            ++checked.keys;
        }
        if (value.is_array()) {
            if (value.empty()) {
                refuse_filter_policy("Empty arrays are not allowed");
            }
            for (const auto& condition : value) {
                if (condition.is_object()) {
                    check_operator(condition);
                } else if (!is_literal(condition)) {
                    refuse_filter_policy(
                        "Match value must be String, number, true, false, or null");
                }
            }
            combinations *= static_cast<double>(depth) * static_cast<double>(value.size());
        } else if (value.is_object()) {
            if (scope == FilterPolicyScope::MessageAttributes) {
                throw Refusal{
                    "Filter policy scope MessageAttributes does not support nested filter "
                    "policy"};
            }
            combinations *= check_object(value, scope, depth + 1, checked);
        } else {
            refuse_filter_policy("\"" + key + "\" must be an object or an array");
        }
    }
    return combinations;
}

// ---- matching -------------------------------------------------------------------------------

bool same_literal(const nlohmann::json& pattern, const nlohmann::json& value) {
    if (pattern.is_number() && value.is_number()) {
        return std::abs(pattern.get<double>() - value.get<double>()) < 1e-5 / 2;
    }
    return pattern == value;
}

bool numeric_holds(const std::string& op, double value, double bound) {
    if (op == "=") {
        return std::abs(value - bound) < 1e-5 / 2;
    }
    if (op == "<") {
        return value < bound;
    }
    if (op == "<=") {
        return value <= bound;
    }
    if (op == ">") {
        return value > bound;
    }
    return value >= bound;  // ">="
}

bool matches_anything_but(const nlohmann::json& operand, const nlohmann::json& value) {
    if (operand.is_object()) {  // {"prefix": "..."}
        const auto& prefix = only_member(operand).value.get_ref<const std::string&>();
        return value.is_string() && !value.get_ref<const std::string&>().starts_with(prefix);
    }
    if (operand.is_array()) {
        return std::none_of(operand.begin(), operand.end(),
                            [&](const auto& item) { return same_literal(item, value); });
    }
    return !same_literal(operand, value);
}

// One condition of a leaf array against one (scalar) value of the message.
bool condition_matches(const nlohmann::json& condition, const nlohmann::json& value) {
    if (!condition.is_object()) {
        return same_literal(condition, value);
    }
    const auto [op, operand] = only_member(condition);
    if (op == "exists") {
        return operand.get<bool>();
    }
    if (op == "anything-but") {
        return matches_anything_but(operand, value);
    }
    if (op == "numeric") {
        if (!value.is_number()) {
            return false;
        }
        const double number = value.get<double>();
        for (std::size_t i = 0; i + 1 < operand.size(); i += 2) {
            if (!numeric_holds(operand[i].get<std::string>(), number,
                               operand[i + 1].get<double>())) {
                return false;
            }
        }
        return true;
    }
    if (!value.is_string()) {
        return false;
    }
    const auto& s = value.get_ref<const std::string&>();
    const auto& pattern = operand.get_ref<const std::string&>();
    if (op == "prefix") {
        return s.starts_with(pattern);
    }
    if (op == "suffix") {
        return s.ends_with(pattern);
    }
    if (op == "equals-ignore-case") {
        return ascii_iequals(s, pattern);
    }
    return in_cidr(parse_cidr(pattern), s);  // "cidr"
}

bool leaf_matches(const nlohmann::json& conditions, const nlohmann::json* value) {
    if (value == nullptr) {
        return std::any_of(conditions.begin(), conditions.end(), [](const auto& c) {
            return c.is_object() && c.contains("exists") && !c["exists"].template get<bool>();
        });
    }
    const auto any_value = [&](const nlohmann::json& condition) {
        if (value->is_array()) {
            return std::any_of(value->begin(), value->end(), [&](const auto& element) {
                return condition_matches(condition, element);
            });
        }
        return condition_matches(condition, *value);
    };
    return std::any_of(conditions.begin(), conditions.end(), any_value);
}

bool object_matches(const nlohmann::json& policy, const nlohmann::json* message) {
    for (const auto& [key, pattern] : policy.items()) {
        if (key == "$or") {
            if (!std::any_of(pattern.begin(), pattern.end(),
                             [&](const auto& branch) { return object_matches(branch, message); })) {
                return false;
            }
            continue;
        }
        const nlohmann::json* value = nullptr;
        if (message != nullptr && message->is_object()) {
            const auto it = message->find(key);
            if (it != message->end()) {
                value = &*it;
            }
        }
        if (pattern.is_array()) {
            if (!leaf_matches(pattern, value)) {
                return false;
            }
            continue;
        }
        // A nested policy: the value is an object, or an array of which one object matches.
        const nlohmann::json& nested = pattern;
        if (value != nullptr && value->is_array()) {
            if (!std::any_of(value->begin(), value->end(),
                             [&](const auto& item) { return object_matches(nested, &item); })) {
                return false;
            }
        } else if (!object_matches(pattern,
                                   value != nullptr && value->is_object() ? value : nullptr)) {
            return false;
        }
    }
    return true;
}

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, nothing around it.
bool is_json_number(std::string_view text) {
    std::size_t at = 0;
    const auto digits = [&] {
        const std::size_t start = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            ++at;
        }
        return at - start;
    };
    if (at < text.size() && text[at] == '-') {
        ++at;
    }
    const std::size_t integer_start = at;
    const std::size_t integer_digits = digits();
    if (integer_digits == 0 || (integer_digits > 1 && text[integer_start] == '0')) {
        return false;
    }
    if (at < text.size() && text[at] == '.') {
        ++at;
        if (digits() == 0) {
            return false;
        }
    }
    if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
        ++at;
        if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
            ++at;
        }
        if (digits() == 0) {
            return false;
        }
    }
    return at == text.size();
}

}  // namespace

FilterPolicy FilterPolicy::parse(std::string_view text, FilterPolicyScope scope,
                                 std::string_view error_prefix) {
    try {
        if (text.size() > kMaxPolicyBytes) {
            refuse_filter_policy("Filter policy is too large");
        }
        nlohmann::json policy = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (policy.is_discarded()) {
            refuse_filter_policy("failed to parse JSON.");
        }
        Checked checked;
        const double combinations = check_object(policy, scope, 1, checked);
        if (checked.keys > kMaxKeys) {
            refuse_filter_policy("Filter policy can not have more than 5 keys");
        }
        if (combinations > kMaxCombinations) {
            refuse_filter_policy("Filter policy is too complex");
        }
        return FilterPolicy(std::move(policy));
    } catch (const Refusal& refusal) {
        throw errors::invalid_parameter(std::string(error_prefix) + refusal.reason);
    }
}

bool FilterPolicy::matches(const nlohmann::json& message) const {
    return message.is_object() && object_matches(policy_, &message);
}

std::optional<nlohmann::json> filterable_value(std::string_view data_type,
                                               const std::string& value) {
    if (data_type.starts_with("Number")) {
        if (!is_json_number(value)) {
            return std::nullopt;
        }
        const double number = std::strtod(value.c_str(), nullptr);
        if (!std::isfinite(number)) {
            return std::nullopt;
        }
        return number;
    }
    if (data_type == "String.Array") {
        auto array = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
        if (array.is_array()) {
            return array;
        }
        return std::nullopt;
    }
    if (data_type.starts_with("String")) {
        return nlohmann::json(value);
    }
    return std::nullopt;
}

}  // namespace awsemu::sns
