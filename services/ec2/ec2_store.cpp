#include "services/ec2/ec2_store.hpp"

#include <nlohmann/json.hpp>

namespace awsemu::ec2 {
namespace {

const std::vector<std::string> kMigrations = {
    R"(
    CREATE TABLE ec2_scopes (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        PRIMARY KEY (account_id, region)
    ) WITHOUT ROWID;
    CREATE TABLE ec2_vpcs (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        vpc_id TEXT NOT NULL,
        cidr_block TEXT NOT NULL,
        cidr_association_id TEXT NOT NULL,
        dhcp_options_id TEXT NOT NULL,
        instance_tenancy TEXT NOT NULL,
        is_default INTEGER NOT NULL,
        enable_dns_support INTEGER NOT NULL,
        enable_dns_hostnames INTEGER NOT NULL,
        enable_address_usage_metrics INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, vpc_id)
    ) WITHOUT ROWID;
    CREATE TABLE ec2_subnets (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        subnet_id TEXT NOT NULL,
        vpc_id TEXT NOT NULL,
        cidr_block TEXT NOT NULL,
        availability_zone TEXT NOT NULL,
        default_for_az INTEGER NOT NULL,
        map_public_ip_on_launch INTEGER NOT NULL,
        options TEXT NOT NULL,
        PRIMARY KEY (account_id, region, subnet_id)
    ) WITHOUT ROWID;
    CREATE INDEX ec2_subnets_by_vpc ON ec2_subnets (account_id, region, vpc_id);
    CREATE TABLE ec2_security_groups (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        group_id TEXT NOT NULL,
        group_name TEXT NOT NULL,
        description TEXT NOT NULL,
        vpc_id TEXT NOT NULL,
        PRIMARY KEY (account_id, region, group_id)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX ec2_security_groups_by_name
        ON ec2_security_groups (account_id, region, vpc_id, group_name);
    CREATE TABLE ec2_security_group_rules (
        seq INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        group_id TEXT NOT NULL,
        is_egress INTEGER NOT NULL,
        ip_protocol TEXT NOT NULL,
        from_port INTEGER NOT NULL,
        to_port INTEGER NOT NULL,
        cidr_ipv4 TEXT NOT NULL,
        cidr_ipv6 TEXT NOT NULL,
        prefix_list_id TEXT NOT NULL,
        referenced_group_id TEXT NOT NULL,
        referenced_user_id TEXT NOT NULL,
        description TEXT NOT NULL
    );
    CREATE UNIQUE INDEX ec2_security_group_rules_by_id
        ON ec2_security_group_rules (account_id, region, rule_id);
    CREATE INDEX ec2_security_group_rules_by_group
        ON ec2_security_group_rules (account_id, region, group_id);
    CREATE TABLE ec2_tags (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (account_id, region, resource_id, key)
    ) WITHOUT ROWID;
    )"};

#define AWSEMU_EC2_VPC_COLUMNS                                                                 \
    "vpc_id, cidr_block, cidr_association_id, dhcp_options_id, instance_tenancy, is_default, " \
    "enable_dns_support, enable_dns_hostnames, enable_address_usage_metrics"
#define AWSEMU_EC2_SUBNET_COLUMNS                                                                 \
    "subnet_id, vpc_id, cidr_block, availability_zone, default_for_az, map_public_ip_on_launch, " \
    "options"
#define AWSEMU_EC2_GROUP_COLUMNS "group_id, group_name, description, vpc_id"
#define AWSEMU_EC2_RULE_COLUMNS                                                             \
    "rule_id, group_id, is_egress, ip_protocol, from_port, to_port, cidr_ipv4, cidr_ipv6, " \
    "prefix_list_id, referenced_group_id, referenced_user_id, description"

Vpc read_vpc(const Query& q) {
    Vpc vpc;
    vpc.vpc_id = q.text(0);
    vpc.cidr_block = q.text(1);
    vpc.cidr_association_id = q.text(2);
    vpc.dhcp_options_id = q.text(3);
    vpc.instance_tenancy = q.text(4);
    vpc.is_default = q.integer(5) != 0;
    vpc.enable_dns_support = q.integer(6) != 0;
    vpc.enable_dns_hostnames = q.integer(7) != 0;
    vpc.enable_network_address_usage_metrics = q.integer(8) != 0;
    return vpc;
}

std::string subnet_options(const Subnet& s) {
    return nlohmann::json{{"assign_ipv6", s.assign_ipv6_address_on_creation},
                          {"dns64", s.enable_dns64},
                          {"dns_a", s.enable_resource_name_dns_a_record},
                          {"dns_aaaa", s.enable_resource_name_dns_aaaa_record},
                          {"hostname_type", s.hostname_type}}
        .dump();
}

Subnet read_subnet(const Query& q) {
    Subnet s;
    s.subnet_id = q.text(0);
    s.vpc_id = q.text(1);
    s.cidr_block = q.text(2);
    s.availability_zone = q.text(3);
    s.default_for_az = q.integer(4) != 0;
    s.map_public_ip_on_launch = q.integer(5) != 0;
    const auto options = nlohmann::json::parse(q.text(6));
    s.assign_ipv6_address_on_creation = options.value("assign_ipv6", false);
    s.enable_dns64 = options.value("dns64", false);
    s.enable_resource_name_dns_a_record = options.value("dns_a", false);
    s.enable_resource_name_dns_aaaa_record = options.value("dns_aaaa", false);
    s.hostname_type = options.value("hostname_type", "ip-name");
    return s;
}

SecurityGroup read_group(const Query& q) {
    return SecurityGroup{q.text(0), q.text(1), q.text(2), q.text(3), {}};
}

SecurityGroupRule read_rule(const Query& q) {
    SecurityGroupRule r;
    r.rule_id = q.text(0);
    r.group_id = q.text(1);
    r.is_egress = q.integer(2) != 0;
    r.ip_protocol = q.text(3);
    r.from_port = static_cast<int>(q.integer(4));
    r.to_port = static_cast<int>(q.integer(5));
    r.cidr_ipv4 = q.text(6);
    r.cidr_ipv6 = q.text(7);
    r.prefix_list_id = q.text(8);
    r.referenced_group_id = q.text(9);
    r.referenced_user_id = q.text(10);
    r.description = q.text(11);
    return r;
}

}  // namespace

Ec2Store::Ec2Store(Database& database) : db_(database) {
    db_.migrate("ec2", kMigrations);
}

template <class Resource, class Reader>
std::optional<Resource> Ec2Store::one_tagged(Query& q, const Scope& scope, Reader read,
                                             std::string Resource::*id) {
    if (!q.next()) {
        return std::nullopt;
    }
    Resource resource = read(q);
    resource.tags = tags_of(scope, resource.*id);
    return resource;
}

template <class Resource, class Reader>
std::vector<Resource> Ec2Store::all_tagged(Query& q, const Scope& scope, Reader read,
                                           std::string Resource::*id) {
    std::vector<Resource> result;
    while (q.next()) {
        result.push_back(read(q));
    }
    auto tags = all_tags(scope);
    for (auto& resource : result) {
        const auto it = tags.find(resource.*id);
        if (it != tags.end()) {
            resource.tags = std::move(it->second);
        }
    }
    return result;
}

bool Ec2Store::scope_initialized(const Scope& scope) {
    auto q = db_.query("SELECT 1 FROM ec2_scopes WHERE account_id = ? AND region = ?",
                       scope.account_id, scope.region);
    return q.next();
}

void Ec2Store::mark_scope_initialized(const Scope& scope) {
    db_.execute("INSERT OR IGNORE INTO ec2_scopes (account_id, region) VALUES (?, ?)",
                scope.account_id, scope.region);
}

// --- VPCs -------------------------------------------------------------------------------------

void Ec2Store::insert_vpc(const Scope& scope, const Vpc& vpc) {
    db_.execute("INSERT INTO ec2_vpcs (account_id, region, " AWSEMU_EC2_VPC_COLUMNS
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                scope.account_id, scope.region, vpc.vpc_id, vpc.cidr_block, vpc.cidr_association_id,
                vpc.dhcp_options_id, vpc.instance_tenancy, vpc.is_default, vpc.enable_dns_support,
                vpc.enable_dns_hostnames, vpc.enable_network_address_usage_metrics);
}

void Ec2Store::update_vpc(const Scope& scope, const Vpc& vpc) {
    db_.execute(
        "UPDATE ec2_vpcs SET enable_dns_support = ?, enable_dns_hostnames = ?, "
        "enable_address_usage_metrics = ? WHERE account_id = ? AND region = ? AND vpc_id = ?",
        vpc.enable_dns_support, vpc.enable_dns_hostnames, vpc.enable_network_address_usage_metrics,
        scope.account_id, scope.region, vpc.vpc_id);
}

void Ec2Store::delete_vpc(const Scope& scope, const std::string& vpc_id) {
    db_.execute("DELETE FROM ec2_vpcs WHERE account_id = ? AND region = ? AND vpc_id = ?",
                scope.account_id, scope.region, vpc_id);
    delete_tags_of(scope, vpc_id);
}

std::optional<Vpc> Ec2Store::find_vpc(const Scope& scope, const std::string& vpc_id) {
    auto q = db_.query("SELECT " AWSEMU_EC2_VPC_COLUMNS
                       " FROM ec2_vpcs WHERE account_id = ? AND region = ? AND vpc_id = ?",
                       scope.account_id, scope.region, vpc_id);
    return one_tagged(q, scope, read_vpc, &Vpc::vpc_id);
}

std::optional<Vpc> Ec2Store::default_vpc(const Scope& scope) {
    auto q = db_.query(
        "SELECT vpc_id FROM ec2_vpcs WHERE account_id = ? AND region = ? AND "
        "is_default = 1 LIMIT 1",
        scope.account_id, scope.region);
    if (!q.next()) {
        return std::nullopt;
    }
    const std::string id = q.text(0);
    return find_vpc(scope, id);
}

std::vector<Vpc> Ec2Store::vpcs(const Scope& scope) {
    auto q = db_.query("SELECT " AWSEMU_EC2_VPC_COLUMNS
                       " FROM ec2_vpcs WHERE account_id = ? AND region = ? ORDER BY vpc_id",
                       scope.account_id, scope.region);
    return all_tagged(q, scope, read_vpc, &Vpc::vpc_id);
}

// --- subnets ----------------------------------------------------------------------------------

void Ec2Store::insert_subnet(const Scope& scope, const Subnet& s) {
    db_.execute("INSERT INTO ec2_subnets (account_id, region, " AWSEMU_EC2_SUBNET_COLUMNS
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                scope.account_id, scope.region, s.subnet_id, s.vpc_id, s.cidr_block,
                s.availability_zone, s.default_for_az, s.map_public_ip_on_launch,
                subnet_options(s));
}

void Ec2Store::update_subnet(const Scope& scope, const Subnet& s) {
    db_.execute(
        "UPDATE ec2_subnets SET map_public_ip_on_launch = ?, options = ? "
        "WHERE account_id = ? AND region = ? AND subnet_id = ?",
        s.map_public_ip_on_launch, subnet_options(s), scope.account_id, scope.region, s.subnet_id);
}

void Ec2Store::delete_subnet(const Scope& scope, const std::string& subnet_id) {
    db_.execute("DELETE FROM ec2_subnets WHERE account_id = ? AND region = ? AND subnet_id = ?",
                scope.account_id, scope.region, subnet_id);
    delete_tags_of(scope, subnet_id);
}

std::optional<Subnet> Ec2Store::find_subnet(const Scope& scope, const std::string& subnet_id) {
    auto q = db_.query("SELECT " AWSEMU_EC2_SUBNET_COLUMNS
                       " FROM ec2_subnets WHERE account_id = ? AND region = ? AND subnet_id = ?",
                       scope.account_id, scope.region, subnet_id);
    return one_tagged(q, scope, read_subnet, &Subnet::subnet_id);
}

std::vector<Subnet> Ec2Store::subnets(const Scope& scope,
                                      const std::optional<std::string>& vpc_id) {
    auto q = db_.query("SELECT " AWSEMU_EC2_SUBNET_COLUMNS
                       " FROM ec2_subnets WHERE account_id = ? AND region = ? "
                       "AND (?3 IS NULL OR vpc_id = ?3) ORDER BY subnet_id",
                       scope.account_id, scope.region, vpc_id);
    return all_tagged(q, scope, read_subnet, &Subnet::subnet_id);
}

// --- security groups --------------------------------------------------------------------------

void Ec2Store::insert_group(const Scope& scope, const SecurityGroup& g) {
    db_.execute("INSERT INTO ec2_security_groups (account_id, region, " AWSEMU_EC2_GROUP_COLUMNS
                ") VALUES (?, ?, ?, ?, ?, ?)",
                scope.account_id, scope.region, g.group_id, g.group_name, g.description, g.vpc_id);
}

void Ec2Store::delete_group(const Scope& scope, const std::string& group_id) {
    for (const auto& rule : rules(scope, group_id)) {
        delete_rule(scope, rule.rule_id);
    }
    db_.execute(
        "DELETE FROM ec2_security_groups WHERE account_id = ? AND region = ? AND group_id = ?",
        scope.account_id, scope.region, group_id);
    delete_tags_of(scope, group_id);
}

std::optional<SecurityGroup> Ec2Store::find_group(const Scope& scope, const std::string& group_id) {
    auto q =
        db_.query("SELECT " AWSEMU_EC2_GROUP_COLUMNS
                  " FROM ec2_security_groups WHERE account_id = ? AND region = ? AND group_id = ?",
                  scope.account_id, scope.region, group_id);
    return one_tagged(q, scope, read_group, &SecurityGroup::group_id);
}

std::optional<SecurityGroup> Ec2Store::find_group_by_name(const Scope& scope,
                                                          const std::string& vpc_id,
                                                          const std::string& name) {
    auto q = db_.query(
        "SELECT group_id FROM ec2_security_groups WHERE account_id = ? AND "
        "region = ? AND vpc_id = ? AND group_name = ?",
        scope.account_id, scope.region, vpc_id, name);
    if (!q.next()) {
        return std::nullopt;
    }
    const std::string id = q.text(0);
    return find_group(scope, id);
}

std::vector<SecurityGroup> Ec2Store::groups(const Scope& scope,
                                            const std::optional<std::string>& vpc_id) {
    auto q = db_.query("SELECT " AWSEMU_EC2_GROUP_COLUMNS
                       " FROM ec2_security_groups WHERE account_id = ? AND region = ? "
                       "AND (?3 IS NULL OR vpc_id = ?3) ORDER BY group_id",
                       scope.account_id, scope.region, vpc_id);
    return all_tagged(q, scope, read_group, &SecurityGroup::group_id);
}

// --- security group rules ---------------------------------------------------------------------

void Ec2Store::insert_rule(const Scope& scope, const SecurityGroupRule& r) {
    db_.execute("INSERT INTO ec2_security_group_rules (account_id, region, " AWSEMU_EC2_RULE_COLUMNS
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                scope.account_id, scope.region, r.rule_id, r.group_id, r.is_egress, r.ip_protocol,
                r.from_port, r.to_port, r.cidr_ipv4, r.cidr_ipv6, r.prefix_list_id,
                r.referenced_group_id, r.referenced_user_id, r.description);
}

void Ec2Store::delete_rule(const Scope& scope, const std::string& rule_id) {
    db_.execute(
        "DELETE FROM ec2_security_group_rules WHERE account_id = ? AND region = ? AND rule_id = ?",
        scope.account_id, scope.region, rule_id);
    delete_tags_of(scope, rule_id);
}

void Ec2Store::update_rule(const Scope& scope, const SecurityGroupRule& r) {
    db_.execute(
        "UPDATE ec2_security_group_rules SET ip_protocol = ?, from_port = ?, to_port = ?, "
        "cidr_ipv4 = ?, cidr_ipv6 = ?, prefix_list_id = ?, referenced_group_id = ?, "
        "referenced_user_id = ?, description = ? WHERE account_id = ? AND region = ? AND "
        "rule_id = ?",
        r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4, r.cidr_ipv6, r.prefix_list_id,
        r.referenced_group_id, r.referenced_user_id, r.description, scope.account_id, scope.region,
        r.rule_id);
}

void Ec2Store::update_rule_description(const Scope& scope, const std::string& rule_id,
                                       const std::string& description) {
    db_.execute(
        "UPDATE ec2_security_group_rules SET description = ? "
        "WHERE account_id = ? AND region = ? AND rule_id = ?",
        description, scope.account_id, scope.region, rule_id);
}

std::optional<SecurityGroupRule> Ec2Store::find_rule(const Scope& scope,
                                                     const std::string& rule_id) {
    auto q = db_.query(
        "SELECT " AWSEMU_EC2_RULE_COLUMNS
        " FROM ec2_security_group_rules WHERE account_id = ? AND region = ? AND rule_id = ?",
        scope.account_id, scope.region, rule_id);
    return one_tagged(q, scope, read_rule, &SecurityGroupRule::rule_id);
}

std::vector<SecurityGroupRule> Ec2Store::rules(const Scope& scope,
                                               const std::optional<std::string>& group_id) {
    auto q = db_.query("SELECT " AWSEMU_EC2_RULE_COLUMNS
                       " FROM ec2_security_group_rules WHERE account_id = ? AND region = ? "
                       "AND (?3 IS NULL OR group_id = ?3) ORDER BY seq",
                       scope.account_id, scope.region, group_id);
    return all_tagged(q, scope, read_rule, &SecurityGroupRule::rule_id);
}

int Ec2Store::count_rules_referencing(const Scope& scope, const std::string& group_id) {
    auto q = db_.query(
        "SELECT COUNT(*) FROM ec2_security_group_rules WHERE account_id = ? AND region = ? "
        "AND referenced_group_id = ?3 AND group_id != ?3",
        scope.account_id, scope.region, group_id);
    q.next();
    return static_cast<int>(q.integer(0));
}

// --- tags -------------------------------------------------------------------------------------

Tags Ec2Store::tags_of(const Scope& scope, const std::string& resource_id) {
    auto q = db_.query(
        "SELECT key, value FROM ec2_tags WHERE account_id = ? AND region = ? AND resource_id = ? "
        "ORDER BY key",
        scope.account_id, scope.region, resource_id);
    Tags tags;
    while (q.next()) {
        tags.push_back({q.text(0), q.text(1)});
    }
    return tags;
}

std::map<std::string, Tags> Ec2Store::all_tags(const Scope& scope) {
    auto q = db_.query(
        "SELECT resource_id, key, value FROM ec2_tags WHERE account_id = ? AND region = ? "
        "ORDER BY resource_id, key",
        scope.account_id, scope.region);
    std::map<std::string, Tags> tags;
    while (q.next()) {
        tags[q.text(0)].push_back({q.text(1), q.text(2)});
    }
    return tags;
}

void Ec2Store::put_tag(const Scope& scope, const std::string& resource_id, const Tag& tag) {
    db_.execute(
        "INSERT INTO ec2_tags (account_id, region, resource_id, key, value) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (account_id, region, resource_id, key) DO UPDATE SET value = excluded.value",
        scope.account_id, scope.region, resource_id, tag.key, tag.value);
}

void Ec2Store::delete_tag(const Scope& scope, const std::string& resource_id,
                          const std::string& key) {
    db_.execute(
        "DELETE FROM ec2_tags WHERE account_id = ? AND region = ? AND resource_id = ? AND key = ?",
        scope.account_id, scope.region, resource_id, key);
}

void Ec2Store::delete_tags_of(const Scope& scope, const std::string& resource_id) {
    db_.execute("DELETE FROM ec2_tags WHERE account_id = ? AND region = ? AND resource_id = ?",
                scope.account_id, scope.region, resource_id);
}

std::vector<TaggedResource> Ec2Store::tagged_resources(const Scope& scope) {
    auto q = db_.query(
        "SELECT resource_id, key, value FROM ec2_tags WHERE account_id = ? AND region = ? "
        "ORDER BY resource_id, key",
        scope.account_id, scope.region);
    std::vector<TaggedResource> result;
    while (q.next()) {
        std::string id = q.text(0);
        std::string type = resource_type_of(id);
        result.push_back({std::move(id), std::move(type), q.text(1), q.text(2)});
    }
    return result;
}

}  // namespace awsemu::ec2
