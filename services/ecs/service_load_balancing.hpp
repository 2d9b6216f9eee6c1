#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "emulator/runtime/clock.hpp"
#include "services/ecs/ecs_task.hpp"
#include "services/ecs/service_record.hpp"
#include "services/elbv2/elbv2_api.hpp"

// How the tasks of a service with `loadBalancers` join its target groups: a task's address and
// container port are registered while it runs and deregistered once it is told to stop; after
// the service's healthCheckGracePeriodSeconds, a task the load balancer finds unhealthy is one
// the service scheduler replaces.
namespace awsemu::ecs {

// A task that failed the health checks of one of its target groups.
struct ElbHealthFailure {
    std::string task_id;
    std::string target_group_arn;
    int port = 0;
    std::string reason;  // the checks' description: "Health checks failed with these codes: [500]"
};

class ServiceLoadBalancing {
  public:
    explicit ServiceLoadBalancing(std::shared_ptr<elbv2::Elbv2Api> elbv2);

    struct Outcome {
        std::vector<ElbHealthFailure> failed;
        std::optional<TimePoint> grace_ends;  // the earliest end of a grace period still running
    };
    // Registers the service's running tasks and deregisters the others (stopping, or gone from
    // `tasks` once stopped). Call on the event loop.
    void update_registrations(const ServiceRecord& service, const std::vector<Task>& tasks);
    // The registered tasks that failed ELB health checks after their grace period.
    Outcome failures(const ServiceRecord& service, const std::vector<Task>& tasks,
                     TimePoint now) const;
    // Whether the task has passed the health checks of every target group of the service it is
    // registered in (true without load balancers; a target whose checks do not run, unused or
    // unavailable, does not hold it).
    bool passes_health_checks(const ServiceRecord& service, const Task& task) const;
    // Whether every serving task of the deployment passes_health_checks, as a deployment needs
    // to complete.
    bool deployment_healthy(const ServiceRecord& service, const std::vector<Task>& tasks,
                            const std::string& deployment_id) const;
    void forget_all() { registered_.clear(); }

  private:
    std::shared_ptr<elbv2::Elbv2Api> elbv2_;
    using Key = std::tuple<std::string, std::string, std::string>;  // service, task id, group
    struct Registration {
        std::string ip;
        int port = 0;
    };
    std::map<Key, Registration> registered_;
};

}  // namespace awsemu::ecs
