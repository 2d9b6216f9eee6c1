#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/runtime/clock.hpp"
#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "emulator/store/tag_table.hpp"
#include "services/elbv2/elbv2_model.hpp"

namespace awsemu::elbv2 {

// A load balancer, target group, listener or rule: the document AWS describes it with, plus
// what only the emulator reads (members named with a leading '_', never answered).
struct Resource {
    ResourceKind kind = ResourceKind::LoadBalancer;
    std::string arn;
    std::string name;           // load balancers and target groups; "" otherwise
    std::string parent;         // a listener's load balancer, a rule's listener; "" otherwise
    std::int64_t sort_key = 0;  // a listener's port, a rule's priority
    Json document;
};

// One registration of a target (id and port) in a target group.
struct TargetRecord {
    std::string target_group_arn;
    std::string id;
    int port = 0;
    std::string availability_zone;  // as registered; "" when none was given
    std::int64_t registered_ms = 0;
    std::optional<std::int64_t> deregistered_ms;  // draining since then
};

// All SQL of ELBv2. Every method takes the scope its rows belong to.
class Elbv2Store {
  public:
    explicit Elbv2Store(Database& database);

    void put(const Scope& scope, const Resource& resource);  // insert or replace
    std::optional<Resource> find(const Scope& scope, const std::string& arn);
    std::optional<Resource> find_by_name(const Scope& scope, ResourceKind kind,
                                         const std::string& name);
    // Every resource of a kind, by sort key then name then ARN; only children of `parent`
    // when it is given.
    std::vector<Resource> list(const Scope& scope, ResourceKind kind,
                               const std::optional<std::string>& parent = {});
    void erase(const Scope& scope, const std::string& arn);
    // Every resource of a kind in every scope: what the data plane rebuilds after a start (a
    // proxy per listener).
    std::vector<std::pair<Scope, Resource>> all_of_kind(ResourceKind kind);

    // Tags, in the order they were first added.
    std::vector<std::pair<std::string, std::string>> tags(const Scope& scope,
                                                          const std::string& arn);
    void set_tag(const Scope& scope, const std::string& arn, const std::string& key,
                 const std::string& value);
    void remove_tag(const Scope& scope, const std::string& arn, const std::string& key);

    std::vector<TargetRecord> targets(const Scope& scope, const std::string& target_group_arn);
    // Registers (or re-registers, ending a drain) a target.
    void register_target(const Scope& scope, const TargetRecord& target);
    void set_deregistered(const Scope& scope, const std::string& target_group_arn,
                          const std::string& id, int port, std::int64_t when_ms);
    void remove_target(const Scope& scope, const std::string& target_group_arn,
                       const std::string& id, int port);

  private:
    Database& db_;
    TagTable tags_;
};

}  // namespace awsemu::elbv2
