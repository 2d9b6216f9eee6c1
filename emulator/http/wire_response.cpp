#include "emulator/http/wire_response.hpp"

#include <charconv>

#include <boost/beast/http/status.hpp>

namespace awsemu {
namespace {

std::string_view trim_whitespace(std::string_view value) {
    const auto first = value.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return value.substr(first, value.find_last_not_of(" \t") - first + 1);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += trim_whitespace(value);
    out += "\r\n";
}

bool server_owned(std::string_view name) {
    return ascii_iequals(name, "Content-Length") || ascii_iequals(name, "Connection");
}

}  // namespace

WireResponse to_wire(HttpResponse&& response, unsigned version, bool keep_alive,
                     bool head_request) {
    WireResponse wire;
    std::string& out = wire.head;
    out.reserve(256);
    out += "HTTP/";
    out += static_cast<char>('0' + version / 10);
    out += '.';
    out += static_cast<char>('0' + version % 10);
    out += ' ';
    const auto code = static_cast<unsigned>(response.status);
    out += static_cast<char>('0' + code / 100 % 10);
    out += static_cast<char>('0' + code / 10 % 10);
    out += static_cast<char>('0' + code % 10);
    out += ' ';
    const auto reason = boost::beast::http::obsolete_reason(
        static_cast<boost::beast::http::status>(response.status));
    out.append(reason.data(), reason.size());
    out += "\r\n";
    // Beast's order: Server first, then the response's headers, a repeated name kept together
    // at the place of its first occurrence.
    const auto& entries = response.headers.entries();
    const auto name_at = [&](std::size_t k) -> std::string_view {
        return k == 0 ? std::string_view("Server") : std::string_view(entries[k - 1].first);
    };
    const auto value_at = [&](std::size_t k) -> std::string_view {
        return k == 0 ? std::string_view("awsemu") : std::string_view(entries[k - 1].second);
    };
    const std::size_t count = entries.size() + 1;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string_view name = name_at(i);
        bool seen = server_owned(name);
        for (std::size_t j = 0; j < i && !seen; ++j) {
            seen = ascii_iequals(name_at(j), name);
        }
        if (seen) {
            continue;
        }
        append_field(out, name, value_at(i));
        for (std::size_t j = i + 1; j < count; ++j) {
            if (ascii_iequals(name_at(j), name)) {
                append_field(out, name_at(j), value_at(j));
            }
        }
    }

    char length[24];
    const std::uint64_t body_size =
        response.body_source ? response.body_source->size() : response.body.size();
    const auto end = std::to_chars(length, length + sizeof length, body_size).ptr;
    append_field(out, "Content-Length", std::string_view(length, end - length));
    if (version >= 11 && !keep_alive) {
        append_field(out, "Connection", "close");
    } else if (version < 11 && keep_alive) {
        append_field(out, "Connection", "keep-alive");
    }
    out += "\r\n";
    if (!head_request) {
        wire.body = std::move(response.body);
        wire.body_source = std::move(response.body_source);
    }
    return wire;
}

}  // namespace awsemu
