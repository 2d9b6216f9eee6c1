#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"

// The narrow interface other services use with ELBv2: ECS registers the address and port of each
// task of a service with `loadBalancers` in the service's target group while the task runs, and
// reads its health. Each call is the ordinary RegisterTargets / DeregisterTargets /
// DescribeTargetHealth, with their rules and errors, in a transaction of its own (or the
// caller's, when one is open). The scope is the target group ARN's.
namespace awsemu::elbv2 {

struct TargetHealthView {
    std::string state;  // initial, healthy, unhealthy, unused, draining, unavailable
    std::string reason;
    std::string description;
};

class Elbv2Api {
  public:
    virtual ~Elbv2Api() = default;
    // Throws AwsError (TargetGroupNotFound, InvalidTarget, TooManyTargets) as RegisterTargets
    // would.
    virtual void register_target(const std::string& target_group_arn, const std::string& ip,
                                 int port) = 0;
    // Starts the target's deregistration delay; nothing when it is not registered.
    virtual void deregister_target(const std::string& target_group_arn, const std::string& ip,
                                   int port) = 0;
    // The target's health as DescribeTargetHealth reports it; nullopt when the target group
    // does not exist.
    virtual std::optional<TargetHealthView> target_health(const std::string& target_group_arn,
                                                          const std::string& ip, int port) = 0;
    // `changed` runs on the event loop whenever the health checks change their verdict on a
    // target (ECS then looks at the services behind load balancers). One watcher.
    virtual void watch_health(std::function<void()> changed) = 0;
};

// ELBv2's interface, once ELBv2 has registered (services/all_services.cpp registers it before
// ECS).
inline std::shared_ptr<Elbv2Api> elbv2_api(const ServiceEnvironment& environment) {
    const auto it = environment.apis.find("elbv2");
    return it == environment.apis.end() ? nullptr : std::static_pointer_cast<Elbv2Api>(it->second);
}

}  // namespace awsemu::elbv2
