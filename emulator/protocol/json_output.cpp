#include "emulator/protocol/json_output.hpp"

#include <algorithm>
#include <charconv>

namespace awsemu {
namespace {

using ErrorHandler = nlohmann::json::error_handler_t;

std::string dump(const nlohmann::json& value, ErrorHandler on_bad_utf8) {
    return value.dump(-1, ' ', false, on_bad_utf8);
}

void append_string(std::string& out, const std::string& text, ErrorHandler on_bad_utf8) {
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte < 0x80 && c != '"' && c != '\\';
    });
    if (!plain) {
        out += dump(text, on_bad_utf8);  // escapes, UTF-8 checks
        return;
    }
    out += '"';
    out += text;
    out += '"';
}

template <class Integer>
void append_integer(std::string& out, Integer number) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
    out.append(digits, end);
}

void append_json(std::string& out, const nlohmann::json& value, ErrorHandler on_bad_utf8) {
    using json = nlohmann::json;
    switch (value.type()) {
        case json::value_t::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
                if (!first) {
                    out += ',';
                }
                first = false;
                append_string(out, key, on_bad_utf8);
                out += ':';
                append_json(out, member, on_bad_utf8);
            }
            out += '}';
            return;
        }
        case json::value_t::array: {
            out += '[';
            bool first = true;
            for (const auto& element : value.get_ref<const json::array_t&>()) {
                if (!first) {
                    out += ',';
                }
                first = false;
                append_json(out, element, on_bad_utf8);
            }
            out += ']';
            return;
        }
        case json::value_t::string:
            append_string(out, value.get_ref<const std::string&>(), on_bad_utf8);
            return;
        case json::value_t::boolean:
            out += value.get<bool>() ? "true" : "false";
            return;
        case json::value_t::null:
            out += "null";
            return;
        case json::value_t::number_integer:
            append_integer(out, value.get<std::int64_t>());
            return;
        case json::value_t::number_unsigned:
            append_integer(out, value.get<std::uint64_t>());
            return;
        default:
            out += dump(value, on_bad_utf8);
            return;
    }
}

}  // namespace

std::string to_json_text(const nlohmann::json& value, ErrorHandler on_bad_utf8) {
    std::string out;
    out.reserve(256);
    append_json(out, value, on_bad_utf8);
    return out;
}

}  // namespace awsemu
