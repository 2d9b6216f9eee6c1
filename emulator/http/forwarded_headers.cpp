#include "emulator/http/forwarded_headers.hpp"

#include <array>
#include <random>

#include "emulator/ascii.hpp"
#include "emulator/http/http_message.hpp"

namespace awsemu::proxy {
namespace {

bool field_named(std::string_view field, std::string_view name) {
    field = trim_blanks(field);
    return field.size() > name.size() && field[name.size()] == '=' &&
           ascii_iequals(field.substr(0, name.size()), name);
}

void append_hex(std::string& out, std::uint64_t value, int digits) {
    static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                  '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        out.push_back(kHex[(value >> shift) & 0xF]);
    }
}

}  // namespace

std::string appended_forwarded_for(std::string_view existing, std::string_view client_ip) {
    existing = trim_blanks(existing);
    if (existing.empty()) {
        return std::string(client_ip);
    }
    std::string value;
    value.reserve(existing.size() + 2 + client_ip.size());
    value.append(existing).append(", ").append(client_ip);
    return value;
}

std::string new_trace_id(std::uint64_t epoch_seconds) {
    // Per thread, seeded once: a trace id needs to be unique, not unpredictable.
    thread_local std::mt19937_64 random{std::random_device{}()};
    std::string id;
    id.reserve(2 + 8 + 1 + 24);
    id.append("1-");
    append_hex(id, epoch_seconds & 0xFFFFFFFFULL, 8);
    id.push_back('-');
    append_hex(id, random(), 16);
    append_hex(id, random(), 8);
    return id;
}

std::string updated_trace_header(std::string_view existing, std::string_view fresh_id) {
    existing = trim_blanks(existing);
    if (existing.empty()) {
        return "Root=" + std::string(fresh_id);
    }
    bool has_root = false;
    std::string out;
    out.reserve(existing.size() + fresh_id.size() + 8);
    bool replaced_self = false;
    std::size_t start = 0;
    while (start <= existing.size()) {
        const std::size_t end = std::min(existing.find(';', start), existing.size());
        const std::string_view field = existing.substr(start, end - start);
        if (!out.empty()) {
            out.push_back(';');
        }
        if (field_named(field, "Self")) {
            out.append("Self=").append(fresh_id);
            replaced_self = true;
        } else {
            has_root = has_root || field_named(field, "Root");
            out.append(trim_blanks(field));
        }
        start = end + 1;
    }
    if (replaced_self) {
        return out;
    }
    return std::string(has_root ? "Self=" : "Root=").append(fresh_id).append(";").append(out);
}

bool is_hop_by_hop(std::string_view name) {
    static constexpr std::array<std::string_view, 5> kNames = {"Connection", "Keep-Alive", "TE",
                                                               "Trailer", "Upgrade"};
    for (const std::string_view hop : kNames) {
        if (ascii_iequals(name, hop)) {
            return true;
        }
    }
    return name.size() > 6 && ascii_iequals(name.substr(0, 6), "Proxy-");
}

}  // namespace awsemu::proxy
