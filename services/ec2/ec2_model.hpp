#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// EC2's networking resources as plain structs, and the pure rules about them: CIDR blocks,
// availability zones, resource ids, filters. No I/O.
namespace awsemu::ec2 {

struct Tag {
    std::string key;
    std::string value;
    bool operator==(const Tag&) const = default;
};
using Tags = std::vector<Tag>;  // in key order

struct Vpc {
    std::string vpc_id;
    std::string cidr_block;
    std::string cidr_association_id;
    std::string dhcp_options_id;
    std::string instance_tenancy = "default";
    bool is_default = false;
    bool enable_dns_support = true;
    bool enable_dns_hostnames = false;
    bool enable_network_address_usage_metrics = false;
    Tags tags;
};

struct Subnet {
    std::string subnet_id;
    std::string vpc_id;
    std::string cidr_block;
    std::string availability_zone;
    bool default_for_az = false;
    bool map_public_ip_on_launch = false;
    bool assign_ipv6_address_on_creation = false;
    bool enable_dns64 = false;
    bool enable_resource_name_dns_a_record = false;
    bool enable_resource_name_dns_aaaa_record = false;
    std::string hostname_type = "ip-name";
    Tags tags;
};

struct SecurityGroup {
    std::string group_id;
    std::string group_name;
    std::string description;
    std::string vpc_id;
    Tags tags;
};

// One security group rule: one protocol and port range from (ingress) or to (egress) exactly
// one peer: an IPv4 or IPv6 CIDR, a prefix list or another security group.
struct SecurityGroupRule {
    std::string rule_id;
    std::string group_id;
    bool is_egress = false;
    std::string ip_protocol;  // "-1", "tcp", "udp", "icmp", "icmpv6" or a protocol number
    int from_port = -1;       // -1 when the protocol has no ports
    int to_port = -1;
    std::string cidr_ipv4;
    std::string cidr_ipv6;
    std::string prefix_list_id;
    std::string referenced_group_id;
    std::string referenced_user_id;
    std::string description;
    Tags tags;

    // Two rules are the same rule when all but their id, description and tags match.
    bool same_permission(const SecurityGroupRule& other) const;
};

// --- CIDR blocks ------------------------------------------------------------------------------

struct Cidr {
    std::uint32_t address = 0;  // network address, host bits zero
    int prefix = 0;

    std::uint64_t size() const { return std::uint64_t{1} << (32 - prefix); }
    bool contains(const Cidr& inner) const;
    bool overlaps(const Cidr& other) const;
    std::string str() const;
};

// "10.0.0.0/16"; nullopt for anything else, including host bits set ("10.0.0.1/16").
std::optional<Cidr> parse_cidr(std::string_view text);
// An IPv6 CIDR block in any textual form ("2001:db8::/64"); only checks that it is one.
bool is_ipv6_cidr(std::string_view text);

// --- availability zones -----------------------------------------------------------------------

struct AvailabilityZone {
    std::string name;     // us-east-1a
    std::string zone_id;  // use1-az1
    std::string region;
    int index = 0;  // position in the region's list
};

// The zones awsemu gives a region: us-east-1 six (a..f), every other region three (a..c).
std::vector<AvailabilityZone> availability_zones(std::string_view region);
// The zone of the region named by its name ("us-east-1a") or id ("use1-az1").
std::optional<AvailabilityZone> find_zone(std::string_view region, std::string_view name_or_id);
// "us-west-2" -> "usw2"; "ap-southeast-1" -> "apse1".
std::string zone_id_prefix(std::string_view region);

// --- ids --------------------------------------------------------------------------------------

// "vpc-" and 17 random hex digits, as AWS shapes its ids.
std::string new_resource_id(std::string_view prefix);
// True when `id` is "<prefix>-" followed by hex digits (8 or 17, as AWS's ids have).
bool is_resource_id(std::string_view id, std::string_view prefix);
// The resource type DescribeTags reports for an id ("vpc", "subnet", "security-group",
// "security-group-rule"); empty for ids this emulator has no resources of.
std::string resource_type_of(std::string_view id);

// --- filters ----------------------------------------------------------------------------------

struct Filter {
    std::string name;
    std::vector<std::string> values;
};

// What a resource answers to each filter name ("vpc-id" -> its id, "tag:Name" -> the tag's
// value); a name may have several values.
using FilterFields = std::multimap<std::string, std::string>;

void add_tag_fields(FilterFields& fields, const Tags& tags);
// Filters AND together, a filter's values OR; values may use * and ? wildcards.
bool matches_filters(const std::vector<Filter>& filters, const FilterFields& fields);

// Protocol as EC2 stores it: "6" -> "tcp", "all"/"-1" -> "-1"; nullopt when it is none.
std::optional<std::string> normalize_protocol(std::string_view protocol);

}  // namespace awsemu::ec2
