#include "services/elbv2/rule_matcher.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "emulator/ascii.hpp"
#include "emulator/protocol/url_encoding.hpp"
#include "emulator/wildcard.hpp"

namespace awsemu::elbv2 {
namespace {

using Json = nlohmann::json;

constexpr WildcardSyntax kCaseSensitive{.question_mark = true};
constexpr WildcardSyntax kIgnoreCase{.question_mark = true, .ignore_case = true};

std::vector<std::string> strings_of(const Json* values) {
    std::vector<std::string> result;
    if (values == nullptr || !values->is_array()) {
        return result;
    }
    for (const auto& value : *values) {
        if (value.is_string()) {
            result.push_back(value.get<std::string>());
        }
    }
    return result;
}

const Json* find(const Json& object, const char* name) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(name);
    return it == object.end() ? nullptr : &*it;
}

// The condition's values: from its *Config, else its legacy Values.
std::vector<std::string> condition_values(const Json& condition, const char* config) {
    if (const Json* configured = find(condition, config)) {
        return strings_of(find(*configured, "Values"));
    }
    return strings_of(find(condition, "Values"));
}

bool any_matches(const std::vector<std::string>& patterns, std::string_view text,
                 WildcardSyntax syntax) {
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& pattern) {
        return wildcard_match(pattern, text, syntax);
    });
}

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
    std::uint32_t value = 0;
    int parts = 0;
    while (true) {
        const auto dot = text.find('.');
        const std::string_view part = text.substr(0, dot);
        unsigned number = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), number);
        if (part.empty() || part.size() > 3 || ec != std::errc() ||
            end != part.data() + part.size() || number > 255) {
            return std::nullopt;
        }
        value = (value << 8) | number;
        ++parts;
        if (dot == std::string_view::npos) {
            break;
        }
        text = text.substr(dot + 1);
    }
    return parts == 4 ? std::optional<std::uint32_t>(value) : std::nullopt;
}

bool query_matches(const Json& condition, const MatchRequest& request) {
    const Json* config = find(condition, "QueryStringConfig");
    const Json* values = config != nullptr ? find(*config, "Values") : nullptr;
    if (values == nullptr || !values->is_array()) {
        return false;
    }
    const auto pairs = parse_form(request.query);
    for (const auto& wanted : *values) {
        const Json* key = find(wanted, "Key");
        const Json* value = find(wanted, "Value");
        if (value == nullptr || !value->is_string()) {
            continue;
        }
        for (const auto& [k, v] : pairs) {
            const bool key_ok = key == nullptr || !key->is_string() ||
                                wildcard_match(key->get<std::string>(), k, kIgnoreCase);
            if (key_ok && wildcard_match(value->get<std::string>(), v, kIgnoreCase)) {
                return true;
            }
        }
    }
    return false;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    std::size_t at = 0;
    while ((at = text.find(from, at)) != std::string::npos) {
        text.replace(at, from.size(), to);
        at += to.size();
    }
    return text;
}

}  // namespace

bool ipv4_in_cidr(std::string_view address, std::string_view cidr) {
    const auto slash = cidr.find('/');
    if (slash == std::string_view::npos) {
        return false;
    }
    const auto ip = parse_ipv4(address);
    const auto network = parse_ipv4(cidr.substr(0, slash));
    const std::string_view bits_text = cidr.substr(slash + 1);
    int bits = -1;
    const auto [end, ec] =
        std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (!ip || !network || ec != std::errc() || end != bits_text.data() + bits_text.size() ||
        bits < 0 || bits > 32) {
        return false;
    }
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (*ip & mask) == (*network & mask);
}

bool condition_matches(const Json& condition, const MatchRequest& request) {
    const Json* field_json = find(condition, "Field");
    if (field_json == nullptr || !field_json->is_string()) {
        return false;
    }
    const std::string field = field_json->get<std::string>();
    if (field == "host-header") {
        return any_matches(condition_values(condition, "HostHeaderConfig"), request.host,
                           kIgnoreCase);
    }
    if (field == "path-pattern") {
        return any_matches(condition_values(condition, "PathPatternConfig"), request.path,
                           kCaseSensitive);
    }
    if (field == "http-request-method") {
        const auto methods = condition_values(condition, "HttpRequestMethodConfig");
        return std::find(methods.begin(), methods.end(), request.method) != methods.end();
    }
    if (field == "source-ip") {
        const auto blocks = condition_values(condition, "SourceIpConfig");
        return std::any_of(blocks.begin(), blocks.end(), [&](const std::string& block) {
            return ipv4_in_cidr(request.source_ip, block);
        });
    }
    if (field == "http-header") {
        const Json* config = find(condition, "HttpHeaderConfig");
        const Json* name = config != nullptr ? find(*config, "HttpHeaderName") : nullptr;
        if (name == nullptr || !name->is_string()) {
            return false;
        }
        const auto patterns = strings_of(find(*config, "Values"));
        return std::any_of(request.headers.begin(), request.headers.end(), [&](const auto& h) {
            return ascii_iequals(h.first, name->get<std::string>()) &&
                   any_matches(patterns, h.second, kIgnoreCase);
        });
    }
    if (field == "query-string") {
        return query_matches(condition, request);
    }
    return false;
}

const Json* match_rule(const Json& rules, const MatchRequest& request) {
    if (!rules.is_array()) {
        return nullptr;
    }
    const Json* best = nullptr;
    long best_priority = 0;
    const Json* fallback = nullptr;
    for (const auto& rule : rules) {
        const Json* priority = find(rule, "Priority");
        const Json* is_default = find(rule, "IsDefault");
        if ((is_default != nullptr && is_default->is_boolean() && is_default->get<bool>()) ||
            (priority != nullptr && priority->is_string() && *priority == "default")) {
            fallback = &rule;
            continue;
        }
        if (priority == nullptr || !priority->is_string()) {
            continue;
        }
        const std::string text = priority->get<std::string>();
        long number = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (ec != std::errc() || end != text.data() + text.size()) {
            continue;
        }
        if (best != nullptr && number >= best_priority) {
            continue;
        }
        const Json* conditions = find(rule, "Conditions");
        if (conditions == nullptr || !conditions->is_array()) {
            continue;
        }
        if (std::all_of(conditions->begin(), conditions->end(),
                        [&](const Json& c) { return condition_matches(c, request); })) {
            best = &rule;
            best_priority = number;
        }
    }
    return best != nullptr ? best : fallback;
}

std::string redirect_location(const Json& redirect_config, const MatchRequest& request) {
    const std::string path_without_slash =
        request.path.starts_with("/") ? request.path.substr(1) : request.path;
    auto expand = [&](const char* name, const char* fallback) {
        const Json* given = find(redirect_config, name);
        std::string text = given != nullptr && given->is_string() ? given->get<std::string>()
                                                                  : std::string(fallback);
        text = replace_all(std::move(text), "#{protocol}", ascii_lower(request.protocol));
        text = replace_all(std::move(text), "#{host}", request.host);
        text = replace_all(std::move(text), "#{port}", std::to_string(request.port));
        text = replace_all(std::move(text), "#{path}", path_without_slash);
        text = replace_all(std::move(text), "#{query}", request.query);
        return text;
    };
    const std::string protocol = ascii_lower(expand("Protocol", "#{protocol}"));
    const std::string host = expand("Host", "#{host}");
    const std::string port = expand("Port", "#{port}");
    std::string path = expand("Path", "/#{path}");
    if (!path.starts_with("/")) {
        path.insert(path.begin(), '/');
    }
    const std::string query = expand("Query", "#{query}");
    const bool default_port =
        (protocol == "http" && port == "80") || (protocol == "https" && port == "443");
    std::string location = protocol + "://" + host;
    if (!default_port && !port.empty()) {
        location += ":" + port;
    }
    location += path;
    if (!query.empty()) {
        location += "?" + query;
    }
    return location;
}

}  // namespace awsemu::elbv2
