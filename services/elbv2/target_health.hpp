#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "services/elbv2/elbv2_store.hpp"

// What DescribeTargetHealth (and ECS, through elbv2_api.hpp) says of a registered target, and
// the seam where the health checker plugs in its verdicts.
namespace awsemu::elbv2 {

// AWS's TargetHealth: State initial|healthy|unhealthy|unhealthy.draining|unused|draining|
// unavailable, with its Reason code and Description.
struct TargetHealth {
    std::string state;
    std::string reason;  // "" for healthy
    std::string description;
};

// The health checker's view (the data plane implements it): the verdict of the checks run so
// far against one registered target. nullopt until a check has decided (the target is then
// "initial"). Called inside the caller's transaction; must not block.
class HealthResults {
  public:
    virtual ~HealthResults() = default;
    virtual std::optional<TargetHealth> checked_health(const Scope& scope,
                                                       const std::string& target_group_arn,
                                                       const std::string& target_id,
                                                       int port) const = 0;
};

// No checks run (this control plane alone): every target in use stays "initial".
class NoHealthResults final : public HealthResults {
  public:
    std::optional<TargetHealth> checked_health(const Scope&, const std::string&, const std::string&,
                                               int) const override {
        return std::nullopt;
    }
};

// How long AWS reports a fresh registration as Elb.RegistrationInProgress before its first
// health checks (Elb.InitialHealthChecking), in emulated time.
inline constexpr std::int64_t kRegistrationMs = 10'000;

struct TargetContext {
    bool in_use = false;       // a listener or rule forwards to the group
    bool zone_enabled = true;  // one of those load balancers is enabled in the target's zone
    bool health_check_enabled = true;
    std::int64_t deregistration_delay_ms = 300'000;
    std::int64_t now_ms = 0;
};

// The health of one registration, in AWS's order of precedence: draining (deregistered, within
// the deregistration delay), unused (no listener uses the group, or the target's zone is not
// one of its load balancers'), unavailable (checks
// disabled), the checker's verdict, else initial.
TargetHealth target_health(const TargetRecord& target, const TargetContext& context,
                           const HealthResults& results, const Scope& scope);

}  // namespace awsemu::elbv2
