#include "emulator/protocol/json_input.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "emulator/protocol/utf8.hpp"

namespace awsemu {
namespace {

// Deeper documents go to nlohmann, whose parser does not recurse.
constexpr int kMaxDepth = 64;

// A recursive descent over the plain shapes. Every method answers false as soon as the text
// leaves them, and the caller then hands the whole text to nlohmann.
class PlainJsonParser {
  public:
    explicit PlainJsonParser(std::string_view text) : text_(text) {}

    std::optional<nlohmann::json> document() {
        nlohmann::json value;
        skip_blanks();
        if (!parse_value(value, 0)) {
            return std::nullopt;
        }
        skip_blanks();
        if (at_ != text_.size()) {
            return std::nullopt;
        }
        return value;
    }

  private:
    bool parse_value(nlohmann::json& value, int depth) {
        if (at_ >= text_.size()) {
            return false;
        }
        switch (text_[at_]) {
            case '{':
                return parse_object(value, depth + 1);
            case '[':
                return parse_array(value, depth + 1);
            case '"': {
                std::string text;
                if (!parse_string(text)) {
                    return false;
                }
                value = std::move(text);
                return true;
            }
            case 't':
                return parse_literal("true", value, true);
            case 'f':
                return parse_literal("false", value, false);
            case 'n':
                return parse_literal("null", value, nullptr);
            default:
                return parse_integer(value);
        }
    }

    bool parse_object(nlohmann::json& value, int depth) {
        if (depth > kMaxDepth) {
            return false;
        }
        ++at_;  // '{'
        value = nlohmann::json::object();
        skip_blanks();
        if (peek('}')) {
            ++at_;
            return true;
        }
        for (;;) {
            std::string key;
            if (!peek('"') || !parse_string(key)) {
                return false;
            }
            skip_blanks();
            if (!peek(':')) {
                return false;
            }
            ++at_;
            skip_blanks();
            nlohmann::json member;
            if (!parse_value(member, depth)) {
                return false;
            }
            value[std::move(key)] = std::move(member);  // a repeated key: the last one counts
            skip_blanks();
            if (peek(',')) {
                ++at_;
                skip_blanks();
            } else if (peek('}')) {
                ++at_;
                return true;
            } else {
                return false;
            }
        }
    }

    bool parse_array(nlohmann::json& value, int depth) {
        if (depth > kMaxDepth) {
            return false;
        }
        ++at_;  // '['
        value = nlohmann::json::array();
        skip_blanks();
        if (peek(']')) {
            ++at_;
            return true;
        }
        for (;;) {
            nlohmann::json element;
            if (!parse_value(element, depth)) {
                return false;
            }
            value.push_back(std::move(element));
            skip_blanks();
            if (peek(',')) {
                ++at_;
                skip_blanks();
            } else if (peek(']')) {
                ++at_;
                return true;
            } else {
                return false;
            }
        }
    }

    // A string whose bytes are well-formed UTF-8 without control characters, with the escapes
    // JSON has; a \u escape of a surrogate must be a whole pair.
    bool parse_string(std::string& out) {
        ++at_;  // '"'
        for (;;) {
            const std::size_t start = at_;
            bool ascii = true;
            while (at_ < text_.size()) {
                const auto c = static_cast<unsigned char>(text_[at_]);
                if (c == '"' || c == '\\' || c < 0x20) {
                    break;
                }
                ascii = ascii && c < 0x80;
                ++at_;
            }
            const std::string_view run = text_.substr(start, at_ - start);
            if (!ascii && !valid_utf8(run)) {
                return false;
            }
            out.append(run);
            if (at_ >= text_.size() || static_cast<unsigned char>(text_[at_]) < 0x20) {
                return false;
            }
            if (text_[at_++] == '"') {
                return true;
            }
            if (!parse_escape(out)) {
                return false;
            }
        }
    }

    bool parse_escape(std::string& out) {
        if (at_ >= text_.size()) {
            return false;
        }
        switch (text_[at_++]) {
            case '"':
                out += '"';
                return true;
            case '\\':
                out += '\\';
                return true;
            case '/':
                out += '/';
                return true;
            case 'b':
                out += '\b';
                return true;
            case 'f':
                out += '\f';
                return true;
            case 'n':
                out += '\n';
                return true;
            case 'r':
                out += '\r';
                return true;
            case 't':
                out += '\t';
                return true;
            case 'u':
                break;
            default:
                return false;
        }
        long point = 0;
        if (!parse_hex4(point)) {
            return false;
        }
        if (point >= 0xDC00 && point <= 0xDFFF) {
            return false;  // a low surrogate first
        }
        if (point >= 0xD800 && point <= 0xDBFF) {
            long low = 0;
            if (!peek('\\') || at_ + 1 >= text_.size() || text_[at_ + 1] != 'u') {
                return false;
            }
            at_ += 2;
            if (!parse_hex4(low) || low < 0xDC00 || low > 0xDFFF) {
                return false;
            }
            point = 0x10000 + ((point - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, point);
        return true;
    }

    bool parse_hex4(long& point) {
        if (at_ + 4 > text_.size()) {
            return false;
        }
        for (int i = 0; i < 4; ++i) {
            const char c = text_[at_++];
            const int digit = c >= '0' && c <= '9'   ? c - '0'
                              : c >= 'a' && c <= 'f' ? c - 'a' + 10
                              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                     : -1;
            if (digit < 0) {
                return false;
            }
            point = point * 16 + digit;
        }
        return true;
    }

    static void append_utf8(std::string& out, long point) {
        const auto byte = [&](long b) { out += static_cast<char>(b); };
        if (point < 0x80) {
            byte(point);
        } else if (point < 0x800) {
            byte(0xC0 | (point >> 6));
            byte(0x80 | (point & 0x3F));
        } else if (point < 0x10000) {
            byte(0xE0 | (point >> 12));
            byte(0x80 | ((point >> 6) & 0x3F));
            byte(0x80 | (point & 0x3F));
        } else {
            byte(0xF0 | (point >> 18));
            byte(0x80 | ((point >> 12) & 0x3F));
            byte(0x80 | ((point >> 6) & 0x3F));
            byte(0x80 | (point & 0x3F));
        }
    }

    // An integer that fits 64 bits, as nlohmann keeps it: unsigned when not negative.
    bool parse_integer(nlohmann::json& value) {
        const bool negative = peek('-');
        if (negative) {
            ++at_;
        }
        const std::size_t first = at_;
        std::uint64_t magnitude = 0;
        while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') {
            const auto digit = static_cast<std::uint64_t>(text_[at_] - '0');
            if (magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
                return false;
            }
            magnitude = magnitude * 10 + digit;
            ++at_;
        }
        const std::size_t digits = at_ - first;
        if (digits == 0 || (digits > 1 && text_[first] == '0')) {
            return false;
        }
        if (at_ < text_.size() && (text_[at_] == '.' || text_[at_] == 'e' || text_[at_] == 'E')) {
            return false;
        }
        if (!negative) {
            value = magnitude;
            return true;
        }
        constexpr auto kLeast =
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
        if (magnitude > kLeast) {
            return false;
        }
        value = magnitude == kLeast ? std::numeric_limits<std::int64_t>::min()
                                    : -static_cast<std::int64_t>(magnitude);
        return true;
    }

    template <typename T>
    bool parse_literal(std::string_view word, nlohmann::json& value, T literal) {
        if (text_.substr(at_, word.size()) != word) {
            return false;
        }
        at_ += word.size();
        value = literal;
        return true;
    }

    bool peek(char c) const { return at_ < text_.size() && text_[at_] == c; }

    void skip_blanks() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' ||
                                      text_[at_] == '\n' || text_[at_] == '\r')) {
            ++at_;
        }
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

}  // namespace

nlohmann::json parse_json_input(std::string_view text) {
    if (auto value = PlainJsonParser(text).document()) {
        return std::move(*value);
    }
    return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace awsemu
