#include "emulator/protocol/message_attributes.hpp"

#include <algorithm>
#include <cctype>

#include "emulator/ascii.hpp"
#include "emulator/auth/crypto.hpp"

namespace awsemu {
namespace {

constexpr std::size_t kMaxNameLength = 256;

bool is_kind(std::string_view data_type, std::string_view kind) {
    return data_type.starts_with(kind) &&
           (data_type.size() == kind.size() || data_type[kind.size()] == '.');
}

}  // namespace

bool valid_message_attribute_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxNameLength || name.front() == '.' || name.back() == '.' ||
        name.find("..") != std::string_view::npos) {
        return false;
    }
    const std::string lower = ascii_lower(name);
    if (lower.starts_with("aws.") || lower.starts_with("amazon.")) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

MessageAttributeKind message_attribute_kind(std::string_view data_type) {
    if (is_kind(data_type, "String")) {
        return MessageAttributeKind::String;
    }
    if (is_kind(data_type, "Number")) {
        return MessageAttributeKind::Number;
    }
    if (is_kind(data_type, "Binary")) {
        return MessageAttributeKind::Binary;
    }
    return MessageAttributeKind::Unknown;
}

std::optional<std::string> binary_attribute_value(const nlohmann::json& attribute) {
    const auto value = attribute.find("BinaryValue");
    if (value == attribute.end() || !value->is_string()) {
        return std::nullopt;
    }
    auto bytes = auth::base64_decode(value->get_ref<const std::string&>());
    if (!bytes || bytes->empty()) {
        return std::nullopt;
    }
    return bytes;
}

std::optional<std::string> string_attribute_value(const nlohmann::json& attribute) {
    const auto value = attribute.find("StringValue");
    if (value == attribute.end() || !value->is_string() ||
        value->get_ref<const std::string&>().empty()) {
        return std::nullopt;
    }
    return value->get<std::string>();
}

namespace {

// Exponents past this are out of range anyway; reading one saturates here instead of overflowing.
constexpr long kExponentCap = 1'000'000;

}  // namespace

bool is_aws_number(std::string_view text) {
    const auto digit = [&](std::size_t at) {
        return at < text.size() && text[at] >= '0' && text[at] <= '9';
    };
    std::size_t at = text.starts_with('+') || text.starts_with('-') ? 1 : 0;
    std::string digits;
    long integer_digits = 0;
    for (; digit(at); ++at, ++integer_digits) {
        digits.push_back(text[at]);
    }
    if (at < text.size() && text[at] == '.') {
        for (++at; digit(at); ++at) {
            digits.push_back(text[at]);
        }
    }
    if (digits.empty()) {
        return false;
    }
    long exponent = 0;
    if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
        ++at;
        const bool negative = at < text.size() && text[at] == '-';
        at += at < text.size() && (text[at] == '-' || text[at] == '+') ? 1 : 0;
        if (!digit(at)) {
            return false;
        }
        for (; digit(at); ++at) {
            exponent = std::min(exponent * 10 + (text[at] - '0'), kExponentCap);
        }
        exponent = negative ? -exponent : exponent;
    }
    if (at != text.size()) {
        return false;
    }
    const auto first = digits.find_first_not_of('0');
    if (first == std::string::npos) {
        return true;  // zero
    }
    const auto last = digits.find_last_not_of('0');
    const long magnitude = integer_digits - 1 - static_cast<long>(first) + exponent;
    return last - first + 1 <= 38 && magnitude >= -128 &&
           (magnitude < 126 || (magnitude == 126 && first == last && digits[first] == '1'));
}

}  // namespace awsemu
