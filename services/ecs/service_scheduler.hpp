#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "emulator/runtime/scheduler.hpp"
#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/ecs/ecs_model.hpp"
#include "services/ecs/ecs_task.hpp"
#include "services/ecs/service_load_balancing.hpp"
#include "services/ecs/service_record.hpp"
#include "services/ecs/service_store.hpp"

// The service scheduler: keeps each service at its desired count (replacing tasks that stop),
// rolls deployments within minimumHealthyPercent / maximumPercent, trips the deployment circuit
// breaker and rolls back, and writes the service events AWS writes. It looks at a service when
// a request changes it and when one of its tasks changes, on the event loop.
namespace awsemu::ecs {

struct EcsContext;
class EcsTasks;

class ServiceScheduler {
  public:
    ServiceScheduler(ServiceEnvironment& environment, EcsContext& ecs, EcsTasks& tasks);

    // Looks at the service soon (after the current request has committed).
    void poke(const Scope& scope, const std::string& cluster_arn, const std::string& name);
    // A task changed (EcsTasks::on_task_changed): its service, if any, is looked at.
    void task_changed(const Scope& scope, const Task& task);
    // After a start: every live service is looked at (their tasks did not survive).
    void resume_all();
    // A load balancer's verdict on a target changed: services behind load balancers are looked
    // at.
    void poke_load_balanced();
    // All state is being emptied.
    void forget_all();

    ServiceStore store;

  private:
    using Key = std::tuple<std::string, std::string, std::string, std::string>;
    struct Backoff {
        int failures = 0;
        TimePoint not_before{};
    };

    void reconcile(const Scope& scope, const std::string& cluster_arn, const std::string& name);
    void count_failure(const Scope& scope, const Task& task);
    // Whether a task counts toward minimumHealthyPercent, as AWS documents it: running, HEALTHY
    // when its definition gives an essential container a health check (else not UNHEALTHY),
    // and past the health checks of the service's target groups. `service` must outlive it.
    std::function<bool(const Task&)> healthy_for_minimum(const Scope& scope,
                                                         const ServiceRecord& service);
    // Starts `count` tasks of the service's primary deployment, placed by `per_zone` (an event
    // says why none could be placed), in `only_zone`'s subnets when it is given; answers them.
    std::vector<Task> launch_tasks(const Scope& scope, const Cluster& cluster,
                                   ServiceRecord& service, int count,
                                   const std::map<std::string, int>& per_zone, TimePoint now,
                                   const std::string& only_zone = "");
    // The zones of the service's subnets that take tasks now.
    std::vector<std::string> zones_of(const Scope& scope, const ServiceRecord& service);

    // Availability Zone rebalancing (availabilityZoneRebalancing ENABLED), as AWS describes it:
    // once a service is steady, a zone with two tasks more than another gets one moved, a task
    // at a time: one is started in the zone with the fewest, and once it counts as healthy one
    // in the zone with the most is stopped, until the zones are balanced. Events announce the
    // start, each task started and stopped, and the end.
    bool may_start_rebalancing(const ServiceRecord& service, const std::vector<Task>& tasks) const;
    // Starts the next task to move, if the zones are not balanced; true if one started.
    bool start_rebalancing(const Scope& scope, const Cluster& cluster, ServiceRecord& service,
                           std::vector<Task>& tasks, TimePoint now);
    // With a moved task running: true while it is not yet healthy, and when it is, after
    // stopping a task in the fullest zone (the excess it made is then taken care of); false
    // when there is no move under way, or the move was overtaken (a stop, a new desired count).
    bool finish_rebalancing(const Scope& scope, ServiceRecord& service, std::vector<Task>& tasks,
                            std::int64_t excess, const std::function<bool(const Task&)>& is_healthy,
                            const std::function<void(Task&, const std::string&)>& stop,
                            TimePoint now);

    // Keeps the service's target groups in step with its tasks; stops the tasks that failed
    // their ELB health checks.
    void balance(const Scope& scope, ServiceRecord& service, std::vector<Task>& tasks,
                 TimePoint now, const std::function<void(Task&, const std::string&)>& stop);

    ServiceEnvironment& environment_;
    EcsContext& ecs_;
    EcsTasks& tasks_;
    std::mutex poked_mutex_;
    std::set<Key> poked_;  // looks already posted, so a burst of changes is one look
    // Only touched on the event loop.
    std::map<Key, Backoff> backoff_;
    std::set<std::string> stopping_seen_;     // ids of tasks told about stopping, not yet stopped
    std::map<Key, std::string> rebalancing_;  // the task an AZ rebalancing started, per service
    std::set<Key> rebalance_announced_;       // services told they are not AZ balanced
    ServiceLoadBalancing load_balancing_;
};

using EcsOperations = std::map<std::string, Operation, std::less<>>;
// CreateService, UpdateService, DeleteService, DescribeServices, ListServices
// (ecs_ops_services.cpp).
void add_service_operations(EcsOperations& operations, const std::shared_ptr<EcsContext>& ecs,
                            const std::shared_ptr<ServiceScheduler>& scheduler);

// The launch a service asks for (its launch type and network configuration).
struct LaunchParams;
LaunchParams launch_of(const ServiceRecord& service);

}  // namespace awsemu::ecs
