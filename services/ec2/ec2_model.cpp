#include "services/ec2/ec2_model.hpp"

#include "emulator/ascii.hpp"
#include "emulator/wildcard.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "emulator/auth/crypto.hpp"

namespace awsemu::ec2 {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(separator, start);
        parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
        if (at == std::string_view::npos) {
            return parts;
        }
        start = at + 1;
    }
}

std::optional<int> small_number(std::string_view text, int max) {
    if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0')) {
        return std::nullopt;
    }
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
        return std::nullopt;
    }
    return value;
}

std::uint32_t mask_of(int prefix) {
    return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
}

}  // namespace

bool SecurityGroupRule::same_permission(const SecurityGroupRule& o) const {
    return group_id == o.group_id && is_egress == o.is_egress && ip_protocol == o.ip_protocol &&
           from_port == o.from_port && to_port == o.to_port && cidr_ipv4 == o.cidr_ipv4 &&
           cidr_ipv6 == o.cidr_ipv6 && prefix_list_id == o.prefix_list_id &&
           referenced_group_id == o.referenced_group_id;
}

bool Cidr::contains(const Cidr& inner) const {
    return inner.prefix >= prefix && (inner.address & mask_of(prefix)) == address;
}

bool Cidr::overlaps(const Cidr& other) const {
    return contains(other) || other.contains(*this);
}

std::string Cidr::str() const {
    return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
           std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff) + "/" +
           std::to_string(prefix);
}

std::optional<Cidr> parse_cidr(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    const auto octets = split(text.substr(0, slash), '.');
    const auto prefix = small_number(text.substr(slash + 1), 32);
    if (octets.size() != 4 || !prefix) {
        return std::nullopt;
    }
    std::uint32_t address = 0;
    for (const auto octet : octets) {
        const auto value = small_number(octet, 255);
        if (!value) {
            return std::nullopt;
        }
        address = (address << 8) | static_cast<std::uint32_t>(*value);
    }
    if ((address & ~mask_of(*prefix)) != 0) {
        return std::nullopt;
    }
    return Cidr{address, *prefix};
}

bool is_ipv6_cidr(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos || !small_number(text.substr(slash + 1), 128)) {
        return false;
    }
    const std::string_view address = text.substr(0, slash);
    if (address.empty() || address.find(':') == std::string_view::npos) {
        return false;
    }
    return std::all_of(address.begin(), address.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':';
    });
}

std::string zone_id_prefix(std::string_view region) {
    // "<area>-<direction>-<number>": the area, the direction's initials, the number.
    const auto parts = split(region, '-');
    if (parts.size() < 3) {
        return std::string(region);
    }
    std::string prefix(parts[0]);
    const std::string_view direction = parts[parts.size() - 2];
    static constexpr std::pair<std::string_view, std::string_view> kDirections[] = {
        {"northeast", "ne"}, {"northwest", "nw"}, {"southeast", "se"},
        {"southwest", "sw"}, {"north", "n"},      {"south", "s"},
        {"east", "e"},       {"west", "w"},       {"central", "c"},
    };
    const auto known = std::find_if(std::begin(kDirections), std::end(kDirections),
                                    [&](const auto& entry) { return entry.first == direction; });
    prefix += known != std::end(kDirections) ? std::string(known->second)
                                             : std::string(direction.substr(0, 1));
    prefix += parts.back();
    return prefix;
}

std::vector<AvailabilityZone> availability_zones(std::string_view region) {
    const int count = region == "us-east-1" ? 6 : 3;
    const std::string id_prefix = zone_id_prefix(region);
    std::vector<AvailabilityZone> zones;
    for (int i = 0; i < count; ++i) {
        zones.push_back({std::string(region) + static_cast<char>('a' + i),
                         id_prefix + "-az" + std::to_string(i + 1), std::string(region), i});
    }
    return zones;
}

std::optional<AvailabilityZone> find_zone(std::string_view region, std::string_view name_or_id) {
    for (auto& zone : availability_zones(region)) {
        if (zone.name == name_or_id || zone.zone_id == name_or_id) {
            return std::move(zone);
        }
    }
    return std::nullopt;
}

std::string new_resource_id(std::string_view prefix) {
    return std::string(prefix) + "-" + auth::hex_encode(auth::random_bytes(9)).substr(0, 17);
}

bool is_resource_id(std::string_view id, std::string_view prefix) {
    if (!id.starts_with(prefix) || id.size() <= prefix.size() + 1 || id[prefix.size()] != '-') {
        return false;
    }
    const std::string_view hex = id.substr(prefix.size() + 1);
    return (hex.size() == 8 || hex.size() == 17) && std::all_of(hex.begin(), hex.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
           });
}

std::string resource_type_of(std::string_view id) {
    if (id.starts_with("vpc-")) {
        return "vpc";
    }
    if (id.starts_with("subnet-")) {
        return "subnet";
    }
    if (id.starts_with("sgr-")) {
        return "security-group-rule";
    }
    if (id.starts_with("sg-")) {
        return "security-group";
    }
    return {};
}

void add_tag_fields(FilterFields& fields, const Tags& tags) {
    for (const auto& tag : tags) {
        fields.emplace("tag:" + tag.key, tag.value);
        fields.emplace("tag-key", tag.key);
        fields.emplace("tag-value", tag.value);
    }
}

bool matches_filters(const std::vector<Filter>& filters, const FilterFields& fields) {
    for (const auto& filter : filters) {
        const auto [first, last] = fields.equal_range(filter.name);
        bool any = false;
        for (auto it = first; it != last && !any; ++it) {
            for (const auto& value : filter.values) {
                if (wildcard_match(value, it->second, {true, true, false})) {
                    any = true;
                    break;
                }
            }
        }
        if (!any) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> normalize_protocol(std::string_view protocol) {
    const std::string lower = ascii_lower(protocol);
    if (lower == "-1" || lower == "all") {
        return "-1";
    }
    if (lower == "tcp" || lower == "6") {
        return "tcp";
    }
    if (lower == "udp" || lower == "17") {
        return "udp";
    }
    if (lower == "icmp" || lower == "1") {
        return "icmp";
    }
    if (lower == "icmpv6" || lower == "58") {
        return "icmpv6";
    }
    if (const auto number = small_number(lower, 255)) {
        return std::to_string(*number);
    }
    return std::nullopt;
}

}  // namespace awsemu::ec2
