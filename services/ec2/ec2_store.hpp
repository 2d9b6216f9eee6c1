#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "services/ec2/ec2_model.hpp"

namespace awsemu::ec2 {

// One row of DescribeTags.
struct TaggedResource {
    std::string resource_id;
    std::string resource_type;
    std::string key;
    std::string value;
};

// All of EC2's SQL: VPCs, subnets, security groups and their rules, tags, and which scopes have
// their default VPC. Reads fill in each resource's tags.
class Ec2Store {
  public:
    explicit Ec2Store(Database& database);

    // Whether the scope's default VPC was made (it stays made when the user deletes it).
    bool scope_initialized(const Scope& scope);
    void mark_scope_initialized(const Scope& scope);

    void insert_vpc(const Scope& scope, const Vpc& vpc);
    void update_vpc(const Scope& scope, const Vpc& vpc);  // attributes
    void delete_vpc(const Scope& scope, const std::string& vpc_id);
    std::optional<Vpc> find_vpc(const Scope& scope, const std::string& vpc_id);
    std::optional<Vpc> default_vpc(const Scope& scope);
    std::vector<Vpc> vpcs(const Scope& scope);  // in id order

    void insert_subnet(const Scope& scope, const Subnet& subnet);
    void update_subnet(const Scope& scope, const Subnet& subnet);  // attributes
    void delete_subnet(const Scope& scope, const std::string& subnet_id);
    std::optional<Subnet> find_subnet(const Scope& scope, const std::string& subnet_id);
    // In id order; of one VPC when `vpc_id` is given.
    std::vector<Subnet> subnets(const Scope& scope, const std::optional<std::string>& vpc_id = {});

    void insert_group(const Scope& scope, const SecurityGroup& group);
    void delete_group(const Scope& scope, const std::string& group_id);  // with its rules
    std::optional<SecurityGroup> find_group(const Scope& scope, const std::string& group_id);
    std::optional<SecurityGroup> find_group_by_name(const Scope& scope, const std::string& vpc_id,
                                                    const std::string& name);
    std::vector<SecurityGroup> groups(const Scope& scope,
                                      const std::optional<std::string>& vpc_id = {});

    void insert_rule(const Scope& scope, const SecurityGroupRule& rule);
    void delete_rule(const Scope& scope, const std::string& rule_id);
    void update_rule(const Scope& scope, const SecurityGroupRule& rule);  // all but its group
    void update_rule_description(const Scope& scope, const std::string& rule_id,
                                 const std::string& description);
    std::optional<SecurityGroupRule> find_rule(const Scope& scope, const std::string& rule_id);
    // In creation order; of one group when `group_id` is given.
    std::vector<SecurityGroupRule> rules(const Scope& scope,
                                         const std::optional<std::string>& group_id = {});
    // Rules of other groups that name `group_id` as their peer.
    int count_rules_referencing(const Scope& scope, const std::string& group_id);

    Tags tags_of(const Scope& scope, const std::string& resource_id);
    void put_tag(const Scope& scope, const std::string& resource_id, const Tag& tag);
    void delete_tag(const Scope& scope, const std::string& resource_id, const std::string& key);
    void delete_tags_of(const Scope& scope, const std::string& resource_id);
    std::vector<TaggedResource> tagged_resources(const Scope& scope);  // by id, then key

  private:
    // Every tag of the scope, by resource id, for lists.
    std::map<std::string, Tags> all_tags(const Scope& scope);
    // The one row (or every row) a query answers, read by `read`, with its tags.
    template <class Resource, class Reader>
    std::optional<Resource> one_tagged(Query& q, const Scope& scope, Reader read,
                                       std::string Resource::*id);
    template <class Resource, class Reader>
    std::vector<Resource> all_tagged(Query& q, const Scope& scope, Reader read,
                                     std::string Resource::*id);

    Database& db_;
};

}  // namespace awsemu::ec2
