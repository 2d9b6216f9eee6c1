#include "emulator/http/request_head.hpp"

#include <array>
#include <string>

#include "emulator/ascii.hpp"

namespace awsemu {
namespace {

// What each byte may be: a tchar (RFC 9110: a method or a field name), part of a plain request
// target (printable ASCII, no space: a subset of what Beast takes), part of a plain field value
// (printable ASCII, space and tab). One table, so that a head's bytes cost a look-up each.
enum CharClass : unsigned char { kToken = 1, kTarget = 2, kValue = 4 };

constexpr std::array<unsigned char, 256> kCharClasses = [] {
    std::array<unsigned char, 256> table{};
    for (int c = '!'; c <= '~'; ++c) {
        table[c] = kTarget | kValue;
    }
    table[' '] = kValue;
    table['\t'] = kValue;
    for (int c = '0'; c <= '9'; ++c) {
        table[c] |= kToken;
    }
    for (int c = 'a'; c <= 'z'; ++c) {
        table[c] |= kToken;
        table[c - 'a' + 'A'] |= kToken;
    }
    for (const char c : std::string_view("!#$%&'*+-.^_`|~")) {
        table[static_cast<unsigned char>(c)] |= kToken;
    }
    return table;
}();

bool all_of_class(std::string_view text, CharClass wanted) {
    for (const char c : text) {
        if ((kCharClasses[static_cast<unsigned char>(c)] & wanted) == 0) {
            return false;
        }
    }
    return true;
}

bool is_token(std::string_view text) {
    return !text.empty() && all_of_class(text, kToken);
}

bool is_plain_target(std::string_view text) {
    return !text.empty() && all_of_class(text, kTarget);
}

bool is_plain_value(std::string_view text) {
    return all_of_class(text, kValue);
}

// Content-Length as digits alone, at most 18 of them (no overflow).
bool parse_length(std::string_view text, std::uint64_t& length) {
    if (text.empty() || text.size() > 18) {
        return false;
    }
    length = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
        length = length * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return true;
}

// Whether a Connection value lists the token "close".
bool lists_close(std::string_view value) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        if (ascii_iequals(trim_blanks(value.substr(0, comma)), "close")) {
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        value.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

HeadParse parse_simple_head(std::string_view bytes, SimpleRequestHead& head, std::size_t searched) {
    const auto end = bytes.find("\r\n\r\n", searched);
    if (end == std::string_view::npos) {
        return HeadParse::incomplete;
    }
    head.head_size = end + 4;
    std::string_view rest = bytes.substr(0, end + 2);  // every line with its CRLF

    const auto line_end = rest.find("\r\n");
    const std::string_view line = rest.substr(0, line_end);
    rest.remove_prefix(line_end + 2);
    const auto first_space = line.find(' ');
    const auto second_space = line.find(' ', first_space + 1);
    if (first_space == std::string_view::npos || second_space == std::string_view::npos ||
        line.substr(second_space + 1) != "HTTP/1.1") {
        return HeadParse::not_simple;
    }
    const std::string_view method = line.substr(0, first_space);
    const std::string_view target = line.substr(first_space + 1, second_space - first_space - 1);
    if (!is_token(method) || !is_plain_target(target)) {
        return HeadParse::not_simple;
    }

    HttpRequest& request = head.request;
    request.headers.reserve(16);  // an SDK's request has about ten
    request.method = std::string(method);
    request.target = std::string(target);
    head.content_length = 0;
    head.keep_alive = true;
    head.expect_continue = false;
    bool has_length = false;
    bool has_expect = false;
    while (!rest.empty()) {
        const auto field_end = rest.find("\r\n");
        const std::string_view field = rest.substr(0, field_end);
        rest.remove_prefix(field_end + 2);
        const auto colon = field.find(':');
        if (colon == std::string_view::npos) {
            return HeadParse::not_simple;
        }
        const std::string_view name = field.substr(0, colon);
        const std::string_view raw_value = field.substr(colon + 1);
        if (!is_token(name) || !is_plain_value(raw_value)) {
            return HeadParse::not_simple;
        }
        const std::string_view value = trim_blanks(raw_value);
        if (ascii_iequals(name, "content-length")) {
            if (has_length || !parse_length(value, head.content_length)) {
                return HeadParse::not_simple;
            }
            has_length = true;
        } else if (ascii_iequals(name, "transfer-encoding")) {
            return HeadParse::not_simple;
        } else if (ascii_iequals(name, "connection")) {
            head.keep_alive = head.keep_alive && !lists_close(value);
        } else if (ascii_iequals(name, "expect") && !has_expect) {
            has_expect = true;  // Beast's path reads the first one only
            head.expect_continue = ascii_iequals(value, "100-continue");
        }
        request.headers.add(std::string(name), std::string(value));
    }
    split_target(request);
    return HeadParse::complete;
}

}  // namespace awsemu
