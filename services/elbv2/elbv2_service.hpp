#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/elbv2/elbv2_api.hpp"
#include "services/elbv2/elbv2_store.hpp"
#include "services/elbv2/target_health.hpp"

namespace awsemu::elbv2 {

// Elastic Load Balancing v2, application load balancers: the control plane (load balancers,
// target groups and their targets, listeners, rules, certificates, tags). Handlers take decoded
// parameters and answer JSON; the query codec does the wire.
class Elbv2Service final : public Elbv2Api {
  public:
    explicit Elbv2Service(ServiceEnvironment& environment);

    // The health checker's verdicts (the data plane); NoHealthResults until one is set.
    void set_health_results(std::shared_ptr<const HealthResults> results);
    // Called after every change to load balancers, listeners, rules, target groups or targets
    // (the data plane rebuilds from the new state).
    void set_on_change(std::function<void()> on_change) { on_change_ = std::move(on_change); }
    void notify_change() const {
        if (on_change_) {
            on_change_();
        }
    }

    // Elbv2Api (elbv2_ops_targets.cpp)
    void register_target(const std::string& target_group_arn, const std::string& ip,
                         int port) override;
    void deregister_target(const std::string& target_group_arn, const std::string& ip,
                           int port) override;
    std::optional<TargetHealthView> target_health(const std::string& target_group_arn,
                                                  const std::string& ip, int port) override;
    void watch_health(std::function<void()> changed) override {
        health_watcher_ = std::move(changed);
    }
    // The health checks changed a verdict.
    void health_changed() const {
        if (health_watcher_) {
            health_watcher_();
        }
    }

    // Load balancers (elbv2_ops_load_balancers.cpp)
    Json create_load_balancer(const RequestContext& ctx, const Params& in);
    Json describe_load_balancers(const RequestContext& ctx, const Params& in);
    Json delete_load_balancer(const RequestContext& ctx, const Params& in);
    Json describe_load_balancer_attributes(const RequestContext& ctx, const Params& in);
    Json modify_load_balancer_attributes(const RequestContext& ctx, const Params& in);
    Json set_subnets(const RequestContext& ctx, const Params& in);
    Json set_security_groups(const RequestContext& ctx, const Params& in);
    Json set_ip_address_type(const RequestContext& ctx, const Params& in);
    // Target groups (elbv2_ops_target_groups.cpp)
    Json create_target_group(const RequestContext& ctx, const Params& in);
    Json modify_target_group(const RequestContext& ctx, const Params& in);
    Json describe_target_groups(const RequestContext& ctx, const Params& in);
    Json delete_target_group(const RequestContext& ctx, const Params& in);
    Json describe_target_group_attributes(const RequestContext& ctx, const Params& in);
    Json modify_target_group_attributes(const RequestContext& ctx, const Params& in);
    // Targets (elbv2_ops_targets.cpp)
    Json register_targets(const RequestContext& ctx, const Params& in);
    Json deregister_targets(const RequestContext& ctx, const Params& in);
    Json describe_target_health(const RequestContext& ctx, const Params& in);
    // Listeners and their certificates (elbv2_ops_listeners.cpp)
    Json create_listener(const RequestContext& ctx, const Params& in);
    Json modify_listener(const RequestContext& ctx, const Params& in);
    Json describe_listeners(const RequestContext& ctx, const Params& in);
    Json delete_listener(const RequestContext& ctx, const Params& in);
    Json describe_listener_attributes(const RequestContext& ctx, const Params& in);
    Json modify_listener_attributes(const RequestContext& ctx, const Params& in);
    Json describe_listener_certificates(const RequestContext& ctx, const Params& in);
    Json add_listener_certificates(const RequestContext& ctx, const Params& in);
    Json remove_listener_certificates(const RequestContext& ctx, const Params& in);
    // Rules (elbv2_ops_rules.cpp)
    Json create_rule(const RequestContext& ctx, const Params& in);
    Json modify_rule(const RequestContext& ctx, const Params& in);
    Json delete_rule(const RequestContext& ctx, const Params& in);
    Json describe_rules(const RequestContext& ctx, const Params& in);
    Json set_rule_priorities(const RequestContext& ctx, const Params& in);
    // Tags, policies and limits (elbv2_ops_tags.cpp)
    Json add_tags(const RequestContext& ctx, const Params& in);
    Json remove_tags(const RequestContext& ctx, const Params& in);
    Json describe_tags(const RequestContext& ctx, const Params& in);
    Json describe_ssl_policies(const RequestContext& ctx, const Params& in);
    Json describe_account_limits(const RequestContext& ctx, const Params& in);

  private:
    // The resource an ARN names in the scope, or the kind's not-found error.
    Resource require(const Scope& scope, const std::string& arn, ResourceKind kind);
    // The document as AWS describes it: without the emulator's own '_' members, with what is
    // computed at reading time (a load balancer's state, a target group's load balancers).
    Json describe(const Scope& scope, const Resource& resource, std::int64_t now_ms);
    // Every target group a listener or rule forwards to, with the load balancers that do.
    std::map<std::string, std::set<std::string>> target_group_users(const Scope& scope);
    // Checks that every target group the actions forward to exists and may serve the load
    // balancer.
    void check_forward_targets(const Scope& scope, const Json& actions,
                               const std::string& load_balancer_arn);
    // Tags given at creation, stored for the new resource.
    void store_tags(const Scope& scope, const std::string& arn, const Tags& tags);
    // Targets whose deregistration delay has passed are gone.
    std::vector<TargetRecord> live_targets(const Scope& scope, const Resource& group,
                                           std::int64_t now_ms);
    // `users`: the load balancers that forward to the group.
    TargetHealth health_of(const Scope& scope, const Resource& group, const TargetRecord& target,
                           const std::set<std::string>& users, std::int64_t now_ms);
    // The load balancers that forward to a target group.
    std::set<std::string> users_of(const Scope& scope, const std::string& target_group_arn);
    void register_one(const Scope& scope, const Resource& group, const Json& target,
                      std::int64_t now_ms);

    Database& db_;
    const Clock& clock_;
    Elbv2Store store_;
    std::shared_ptr<const HealthResults> health_results_;
    std::function<void()> on_change_;
    std::function<void()> health_watcher_;
};

// Milliseconds since the epoch of the emulated clock.
std::int64_t epoch_ms(TimePoint time);

// One page of `items` after the item whose ARN the Marker names (PageSize: 1-400, default
// 400): {list_name: [...], NextMarker} with each item made by `to_json`.
Json page_of(const std::vector<Resource>& items, const Params& in, const char* list_name,
             const std::function<Json(const Resource&)>& to_json);

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment);

}  // namespace awsemu::elbv2
