#include "services/elbv2/target_health.hpp"

namespace awsemu::elbv2 {

TargetHealth target_health(const TargetRecord& target, const TargetContext& context,
                           const HealthResults& results, const Scope& scope) {
    if (target.deregistered_ms) {
        return {"draining", "Target.DeregistrationInProgress",
                "Target deregistration is in progress"};
    }
    if (!context.in_use) {
        return {"unused", "Target.NotInUse",
                "Target group is not configured to receive traffic from the load balancer"};
    }
    if (!context.zone_enabled) {
        return {"unused", "Target.NotInUse",
                "Target is in an Availability Zone that is not enabled for the load balancer"};
    }
    if (!context.health_check_enabled) {
        return {"unavailable", "Target.HealthCheckDisabled", "Health checks are disabled"};
    }
    if (auto checked =
            results.checked_health(scope, target.target_group_arn, target.id, target.port)) {
        return std::move(*checked);
    }
    if (context.now_ms - target.registered_ms < kRegistrationMs) {
        return {"initial", "Elb.RegistrationInProgress", "Target registration is in progress"};
    }
    return {"initial", "Elb.InitialHealthChecking", "Initial health checks in progress"};
}

}  // namespace awsemu::elbv2
