#include "services/ecs/service_scheduler.hpp"

#include <algorithm>

#include "emulator/runtime/time_format.hpp"
#include "services/ecs/ecs_arns.hpp"
#include "services/ecs/ecs_service.hpp"
#include "services/ecs/ecs_tasks.hpp"
#include "services/ecs/zone_balance.hpp"

namespace awsemu::ecs {
namespace {

// A deployment completes once its tasks have kept running this long: a task that crashes
// right after it started must count as failed, not as done.
constexpr auto kSettleTime = std::chrono::seconds(10);
// A service whose tasks keep failing is retried after 1, 2, 4, ... seconds, at most this.
constexpr auto kMaxLaunchBackoff = std::chrono::minutes(5);

bool is_active(const Task& task) {
    return task.desired_status == "RUNNING";
}

bool is_pending(const Task& task) {
    return task.last_status == kProvisioning || task.last_status == kPending;
}

// The circuit breaker's threshold: half the desired count, at least 3 and at most 200.
std::int64_t failure_threshold(std::int64_t desired_count) {
    return std::clamp<std::int64_t>((desired_count + 1) / 2, 3, 200);
}

std::string task_list(const std::vector<Task>& tasks) {
    std::string out;
    for (const auto& task : tasks) {
        out += (out.empty() ? "" : " ") + std::string("(task ") + task.task_id + ")";
    }
    return out;
}

}  // namespace

ServiceScheduler::ServiceScheduler(ServiceEnvironment& environment, EcsContext& ecs,
                                   EcsTasks& tasks)
    : store(environment.database),
      environment_(environment),
      ecs_(ecs),
      tasks_(tasks),
      load_balancing_(elbv2::elbv2_api(environment)) {}

void ServiceScheduler::poke(const Scope& scope, const std::string& cluster_arn,
                            const std::string& name) {
    const Key key{scope.account_id, scope.region, cluster_arn, name};
    {
        std::lock_guard lock(poked_mutex_);  // requests poke from any serving thread
        if (!poked_.insert(key).second) {
            return;
        }
    }
    environment_.scheduler.post([this, scope, cluster_arn, name, key] {
        {
            std::lock_guard lock(poked_mutex_);
            poked_.erase(key);
        }
        reconcile(scope, cluster_arn, name);
    });
}

void ServiceScheduler::task_changed(const Scope& scope, const Task& task) {
    if (task.service_name.empty()) {
        return;
    }
    // A task is told about when it starts stopping and again once it has stopped (or only then,
    // when it failed before it started): its failure counts at the first, before the look that
    // replaces it, so the back-off holds that replacement.
    if (task.desired_status == kStopped) {
        const bool first = stopping_seen_.insert(task.task_id).second;
        if (task.last_status == kStopped) {
            stopping_seen_.erase(task.task_id);
        }
        if (first) {
            count_failure(scope, task);
        }
    }
    poke(scope, task.cluster_arn, task.service_name);
}

void ServiceScheduler::resume_all() {
    std::vector<std::pair<Scope, ServiceRecord>> services;
    {
        auto transaction = environment_.database.transaction();
        services = store.all_live();
        transaction.commit();
    }
    for (const auto& [scope, service] : services) {
        poke(scope, service.cluster_arn, service.name);
    }
}

void ServiceScheduler::poke_load_balanced() {
    std::vector<std::pair<Scope, ServiceRecord>> services;
    {
        auto transaction = environment_.database.transaction();
        services = store.all_live();
        transaction.commit();
    }
    for (const auto& [scope, service] : services) {
        if (!service.load_balancers.empty()) {
            poke(scope, service.cluster_arn, service.name);
        }
    }
}

void ServiceScheduler::forget_all() {
    // backoff_, stopping_seen_, the rebalancing and load_balancing_ live on the event loop.
    environment_.scheduler.post([this] {
        backoff_.clear();
        stopping_seen_.clear();
        rebalancing_.clear();
        rebalance_announced_.clear();
        load_balancing_.forget_all();
    });
}

std::function<bool(const Task&)> ServiceScheduler::healthy_for_minimum(
    const Scope& scope, const ServiceRecord& service) {
    // Per task definition: whether an essential container has a health check.
    auto checked = std::make_shared<std::map<std::string, bool>>();
    return [this, scope, &service, checked](const Task& task) {
        if (!is_active(task) || task.last_status != kRunning) {
            return false;
        }
        auto [known, inserted] = checked->try_emplace(task.task_definition_arn, false);
        if (inserted) {
            if (const auto definition =
                    ecs_.store.find_task_definition(scope, task.task_definition_arn)) {
                known->second = std::any_of(
                    definition->containers.begin(), definition->containers.end(),
                    [](const auto& container) {
                        return container.essential && container.health_check.has_value();
                    });
            }
        }
        const bool containers_healthy =
            known->second ? task.health_status == "HEALTHY" : task.health_status != "UNHEALTHY";
        return containers_healthy && load_balancing_.passes_health_checks(service, task);
    };
}

std::vector<Task> ServiceScheduler::launch_tasks(const Scope& scope, const Cluster& cluster,
                                                 ServiceRecord& service, int count,
                                                 const std::map<std::string, int>& per_zone,
                                                 TimePoint now, const std::string& only_zone) {
    const Deployment& primary = service.primary();
    const auto definition = ecs_.store.find_task_definition(scope, primary.task_definition_arn);
    if (!definition) {
        return {};
    }
    std::vector<Task> started;
    try {
        TaskRequest request = task_request_for(ecs_, scope, *definition, launch_of(service));
        request.started_by = primary.id;
        request.group = "service:" + service.name;
        request.service_name = service.name;
        request.deployment_id = primary.id;
        request.enable_execute_command = service.enable_execute_command;
        if (!only_zone.empty() && !request.subnet_ids.empty()) {
            std::erase_if(request.subnet_ids, [&](const std::string& subnet_id) {
                const auto subnets =
                    tasks_.placement.resolve_subnets(environment_.database, scope, {subnet_id});
                return subnets.empty() || subnets.front().availability_zone != only_zone;
            });
            if (request.subnet_ids.empty()) {
                return {};  // none of its subnets is in that zone (none named: the default VPC's)
            }
        }
        started = tasks_.start_tasks(scope, cluster, *definition, request, count, per_zone, now);
    } catch (const AwsError& error) {
        add_event(service, to_epoch_ms(now),
                  std::string("was unable to place a task: ") + error.what());
    }
    if (service.propagate_tags != "NONE") {
        const auto tags = ecs_.store.tags_of(
            scope, service.propagate_tags == "SERVICE" ? service.arn : definition->arn);
        for (const auto& task : started) {
            ecs_.store.put_tags(scope, task.task_arn, tags);
        }
    }
    return started;
}

std::vector<std::string> ServiceScheduler::zones_of(const Scope& scope,
                                                    const ServiceRecord& service) {
    std::vector<std::string> zones;
    const auto definition =
        ecs_.store.find_task_definition(scope, service.deployments.front().task_definition_arn);
    if (!definition) {
        return zones;
    }
    try {
        const auto request = task_request_for(ecs_, scope, *definition, launch_of(service));
        for (const auto& subnet :
             tasks_.placement.resolve_subnets(environment_.database, scope, request.subnet_ids)) {
            const bool available = !tasks_.placement.zone_available ||
                                   tasks_.placement.zone_available(subnet.availability_zone);
            if (available &&
                std::find(zones.begin(), zones.end(), subnet.availability_zone) == zones.end()) {
                zones.push_back(subnet.availability_zone);
            }
        }
    } catch (const AwsError&) {
        // A subnet is gone: the launches say so; there is nothing to balance over.
    }
    return zones;
}

bool ServiceScheduler::may_start_rebalancing(const ServiceRecord& service,
                                             const std::vector<Task>& tasks) const {
    const Deployment& primary = service.deployments.front();
    if (service.availability_zone_rebalancing != "ENABLED" || service.deployments.size() != 1 ||
        primary.rollout_state != "COMPLETED") {
        return false;
    }
    std::int64_t active = 0;
    for (const auto& task : tasks) {
        if (is_active(task)) {
            if (is_pending(task) || task.deployment_id != primary.id) {
                return false;  // not steady
            }
            ++active;
        }
    }
    // The moved task starts before one stops: it needs room under maximumPercent.
    return active == service.desired_count &&
           active + 1 <= service.desired_count * service.maximum_percent / 100;
}

bool ServiceScheduler::start_rebalancing(const Scope& scope, const Cluster& cluster,
                                         ServiceRecord& service, std::vector<Task>& tasks,
                                         TimePoint now) {
    const Key key{scope.account_id, scope.region, service.cluster_arn, service.name};
    if (rebalancing_.contains(key)) {
        return false;
    }
    const auto zones = zones_of(scope, service);
    const ZoneBalance balance(zones, tasks);
    const std::int64_t now_ms = to_epoch_ms(now);
    if (balance.balanced()) {
        if (rebalance_announced_.erase(key) > 0 && !zones.empty()) {
            add_event(service, now_ms, "is AZ balanced with " + balance.describe() + ".");
        }
        return false;
    }
    // A move's task that failed to start holds the next one back as any launch's failure does.
    if (const auto backoff = backoff_.find(key);
        backoff != backoff_.end() && now < backoff->second.not_before) {
        environment_.scheduler.at(backoff->second.not_before,
                                  [this, scope, cluster = service.cluster_arn,
                                   name = service.name] { poke(scope, cluster, name); });
        return false;
    }
    const bool first = rebalance_announced_.insert(key).second;
    if (first) {
        add_event(
            service, now_ms,
            "is not AZ balanced with " + balance.describe() + ". AZ Rebalancing in progress.");
    }
    // Only in the emptiest zone: placed anywhere else, the move would make nothing better.
    const std::string& zone = balance.emptiest();
    const auto started =
        launch_tasks(scope, cluster, service, 1, balance.tasks_per_zone(), now, zone);
    if (started.empty()) {
        if (first) {
            add_event(service, now_ms, "is unable to place a task in " + zone + ".");
        }
        return false;
    }
    add_event(service, now_ms,
              "has started 1 tasks in " + zone + " to AZ Rebalance: " + task_list(started) + ".");
    rebalancing_[key] = started.front().task_id;
    tasks.push_back(started.front());
    return true;
}

bool ServiceScheduler::finish_rebalancing(
    const Scope& scope, ServiceRecord& service, std::vector<Task>& tasks, std::int64_t excess,
    const std::function<bool(const Task&)>& is_healthy,
    const std::function<void(Task&, const std::string&)>& stop, TimePoint now) {
    const Key key{scope.account_id, scope.region, service.cluster_arn, service.name};
    const auto rebalance = rebalancing_.find(key);
    if (rebalance == rebalancing_.end()) {
        return false;
    }
    const auto moved = std::find_if(tasks.begin(), tasks.end(), [&](const Task& task) {
        return task.task_id == rebalance->second && is_active(task);
    });
    if (moved == tasks.end() || excess != 1) {
        // It stopped, or the desired count changed meanwhile: plain scaling takes over.
        rebalancing_.erase(rebalance);
        return false;
    }
    if (!is_healthy(*moved)) {
        return true;  // its health checks or its target groups' verdict poke the service
    }
    const ZoneBalance balance(zones_of(scope, service), tasks);
    rebalancing_.erase(rebalance);
    if (balance.tasks_per_zone().empty()) {
        return false;  // its subnets are gone: plain scaling takes the extra task out
    }
    Task* leaving = nullptr;
    for (auto& task : tasks) {
        if (is_active(task) && task.task_id != moved->task_id &&
            task.availability_zone == balance.fullest()) {
            leaving = &task;
        }
    }
    if (leaving == nullptr) {
        return false;  // the zones changed meanwhile: plain scaling takes the extra task out
    }
    stop(*leaving, "AZ Rebalancing initiated by (service " + service.name + ")");
    add_event(service, to_epoch_ms(now),
              "has stopped 1 running tasks in " + leaving->availability_zone +
                  " due to AZ rebalancing: (task " + leaving->task_id + ").");
    return true;
}

void ServiceScheduler::balance(const Scope& scope, ServiceRecord& service, std::vector<Task>& tasks,
                               TimePoint now,
                               const std::function<void(Task&, const std::string&)>& stop) {
    load_balancing_.update_registrations(service, tasks);
    const auto outcome = load_balancing_.failures(service, tasks, now);
    std::vector<Task> failed;
    for (const auto& failure : outcome.failed) {
        const auto task = std::find_if(tasks.begin(), tasks.end(), [&](const Task& t) {
            return t.task_id == failure.task_id && is_active(t);
        });
        if (task == tasks.end()) {
            continue;
        }
        add_event(service, to_epoch_ms(now),
                  "(task " + task->task_id + ") (port " + std::to_string(failure.port) +
                      ") is unhealthy in (target-group " + failure.target_group_arn +
                      ") due to (reason " + failure.reason + ").");
        stop(*task,
             "Task failed ELB health checks in (target-group " + failure.target_group_arn + ")");
        failed.push_back(*task);
    }
    if (!failed.empty()) {
        add_event(service, to_epoch_ms(now),
                  "has stopped " + std::to_string(failed.size()) +
                      " running tasks: " + task_list(failed) + ".");
    }
    if (outcome.grace_ends) {
        environment_.scheduler.at(
            *outcome.grace_ends, [this, scope, cluster = service.cluster_arn, name = service.name] {
                poke(scope, cluster, name);
            });
    }
}

void ServiceScheduler::count_failure(const Scope& scope, const Task& task) {
    // Tasks the scheduler or a user stopped did not fail, unless they failed health checks.
    if (task.stop_code == kUserInitiated ||
        (task.stop_code == kServiceSchedulerInitiated &&
         !task.stopped_reason.value_or("").starts_with("Task failed"))) {
        return;
    }
    const auto now = environment_.clock.now();
    auto transaction = environment_.database.transaction();
    auto service = store.find(scope, task.cluster_arn, task.service_name);
    if (!service || service->status != "ACTIVE") {
        return;
    }
    Deployment* deployment = service->deployment(task.deployment_id);
    if (deployment == nullptr) {
        return;
    }
    ++deployment->failed_tasks;
    deployment->updated_ms = to_epoch_ms(now);
    Deployment& primary = service->primary();
    const Key key{scope.account_id, scope.region, task.cluster_arn, task.service_name};
    if (deployment == &primary) {
        // Launches are the primary's: only its failures hold them back (an older deployment's
        // say nothing about its tasks, and would delay a rollback).
        Backoff& backoff = backoff_[key];
        backoff.failures = std::min(backoff.failures + 1, 20);
        backoff.not_before =
            now + std::min<Duration>(std::chrono::seconds(1LL << std::min(backoff.failures - 1, 9)),
                                     kMaxLaunchBackoff);
    }
    if (deployment == &primary && service->circuit_breaker &&
        primary.rollout_state == "IN_PROGRESS" &&
        primary.failed_tasks >= failure_threshold(primary.desired_count)) {
        primary.rollout_state = "FAILED";
        primary.rollout_state_reason = "ECS deployment circuit breaker: tasks failed to start.";
        add_event(*service, to_epoch_ms(now),
                  "(deployment " + primary.id + ") deployment failed: tasks failed to start.");
        // Back to the last deployment that completed, else to the one this one replaced.
        std::string previous = service->last_completed_task_definition;
        if (previous.empty() && service->deployments.size() > 1) {
            previous = service->deployments[1].task_definition_arn;
        }
        if (service->circuit_breaker_rollback && !previous.empty()) {
            Deployment rollback;
            rollback.id = new_deployment_id();
            rollback.task_definition_arn = previous;
            rollback.desired_count = service->desired_count;
            rollback.created_ms = to_epoch_ms(now);
            rollback.updated_ms = rollback.created_ms;
            rollback.rollout_state_reason = "ECS deployment " + rollback.id + " in progress.";
            primary.status = "ACTIVE";
            service->task_definition_arn = rollback.task_definition_arn;
            add_event(*service, to_epoch_ms(now),
                      "rolling back to deployment " + rollback.id + ".");
            service->deployments.insert(service->deployments.begin(), std::move(rollback));
            backoff_.erase(key);
        }
    }
    store.put(scope, *service);
    transaction.commit();
}

void ServiceScheduler::reconcile(const Scope& scope, const std::string& cluster_arn,
                                 const std::string& name) {
    const auto now = environment_.clock.now();
    const auto now_ms = to_epoch_ms(now);
    auto transaction = environment_.database.transaction();
    auto found = store.find(scope, cluster_arn, name);
    if (!found || found->status == "INACTIVE" || found->deployments.empty()) {
        return;
    }
    ServiceRecord& service = *found;
    const auto cluster = ecs_.store.find_cluster(scope, cluster_name_of(cluster_arn).value_or(""));
    std::vector<Task> tasks = tasks_.store.service_tasks(scope, cluster_arn, name);
    Deployment& primary = service.primary();
    bool changed_tasks = false;

    const auto stop = [&](Task& task, const std::string& reason) {
        task = tasks_.stop_task(scope, task, std::string(kServiceSchedulerInitiated), reason, now);
        changed_tasks = true;
    };
    const std::string scaling_reason =
        "Scaling activity initiated by (deployment " + primary.id + ")";

    if (service.status == "DRAINING") {
        rebalancing_.erase({scope.account_id, scope.region, cluster_arn, name});
        rebalance_announced_.erase({scope.account_id, scope.region, cluster_arn, name});
        std::vector<Task> stopped;
        for (auto& task : tasks) {
            if (is_active(task)) {
                stop(task, scaling_reason);
                stopped.push_back(task);
            }
        }
        if (!stopped.empty()) {
            add_event(service, now_ms,
                      "has stopped " + std::to_string(stopped.size()) +
                          " running tasks: " + task_list(stopped) + ".");
        }
        if (tasks.empty()) {
            service.status = "INACTIVE";
            service.desired_count = 0;
        }
    } else {
        // Tasks whose essential containers failed their health checks are replaced.
        std::vector<Task> unhealthy;
        for (auto& task : tasks) {
            if (is_active(task) && task.health_status == "UNHEALTHY") {
                stop(task, "Task failed container health checks");
                unhealthy.push_back(task);
            }
        }
        if (!unhealthy.empty()) {
            add_event(service, now_ms,
                      "has stopped " + std::to_string(unhealthy.size()) +
                          " running tasks: " + task_list(unhealthy) + ".");
        }
        balance(scope, service, tasks, now, stop);

        const std::int64_t desired = service.desired_count;
        primary.desired_count = desired;
        const std::int64_t max_active = desired * service.maximum_percent / 100;
        const std::int64_t min_healthy = (desired * service.minimum_healthy_percent + 99) / 100;
        const auto count_if = [&](auto predicate) {
            return static_cast<std::int64_t>(std::count_if(tasks.begin(), tasks.end(), predicate));
        };
        const auto in_primary = [&](const Task& task) { return task.deployment_id == primary.id; };

        // 1. Start the primary deployment's missing tasks, within maximumPercent.
        const std::int64_t primary_active =
            count_if([&](const Task& t) { return is_active(t) && in_primary(t); });
        const std::int64_t total_active = count_if(is_active);
        const Key key{scope.account_id, scope.region, cluster_arn, name};
        const auto backoff = backoff_.find(key);
        const bool backing_off = backoff != backoff_.end() && now < backoff->second.not_before;
        const bool launchable = cluster && primary.rollout_state != "FAILED";
        const bool may_launch = launchable && !backing_off;
        const std::int64_t launch = std::min(desired - primary_active,
                                             std::max<std::int64_t>(0, max_active - total_active));
        if (launch > 0 && may_launch) {
            std::map<std::string, int> per_zone;
            for (const auto& task : tasks) {
                if (is_active(task)) {
                    ++per_zone[task.availability_zone];
                }
            }
            const auto started =
                launch_tasks(scope, *cluster, service, static_cast<int>(launch), per_zone, now);
            if (!started.empty()) {
                add_event(service, now_ms,
                          "has started " + std::to_string(started.size()) +
                              " tasks: " + task_list(started) + ".");
                tasks.insert(tasks.end(), started.begin(), started.end());
                changed_tasks = true;
            }
        } else if (launch > 0 && launchable && backing_off) {
            // Only the back-off holds the launch: look again when it ends (a look that could
            // not launch anyway would schedule itself again at once, forever).
            environment_.scheduler.at(backoff->second.not_before, [this, scope, cluster_arn, name] {
                poke(scope, cluster_arn, name);
            });
        }

        // 2. Stop the older deployments' tasks, keeping minimumHealthyPercent healthy.
        const auto is_healthy = healthy_for_minimum(scope, service);
        std::int64_t healthy = count_if(is_healthy);
        std::vector<Task> retired;
        // A failed deployment that does not roll back leaves the older tasks serving.
        const int passes = primary.rollout_state == "FAILED" ? 0 : 2;
        for (int pass = 0; pass < passes; ++pass) {  // pending tasks first: they serve nothing
            for (auto& task : tasks) {
                if (!is_active(task) || in_primary(task) || is_pending(task) != (pass == 0)) {
                    continue;
                }
                if (is_healthy(task)) {
                    if (healthy - 1 < min_healthy && desired > 0) {
                        continue;
                    }
                    --healthy;
                }
                stop(task, "Scaling activity initiated by (deployment " + primary.id + ")");
                retired.push_back(task);
            }
        }
        // 3. Scale in the primary deployment beyond the desired count, pending tasks first;
        // but the task Availability Zone rebalancing started is one too many on purpose.
        std::int64_t excess =
            count_if([&](const Task& t) { return is_active(t) && in_primary(t); }) - desired;
        if (finish_rebalancing(scope, service, tasks, excess, is_healthy, stop, now)) {
            excess = 0;
        }
        // Each task stopped is the newest of those in the zone with the most, as AWS keeps the
        // zones balanced when it scales in.
        for (int pass = 0; pass < 2 && excess > 0; ++pass) {
            while (excess > 0) {
                std::map<std::string, int> per_zone;
                for (const auto& task : tasks) {
                    if (is_active(task)) {
                        ++per_zone[task.availability_zone];
                    }
                }
                Task* leaving = nullptr;
                for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) {
                    if (is_active(*it) && in_primary(*it) && is_pending(*it) == (pass == 0) &&
                        (leaving == nullptr ||
                         per_zone[it->availability_zone] > per_zone[leaving->availability_zone])) {
                        leaving = &*it;
                    }
                }
                if (leaving == nullptr) {
                    break;
                }
                stop(*leaving, scaling_reason);
                retired.push_back(*leaving);
                --excess;
            }
        }
        if (!retired.empty()) {
            add_event(service, now_ms,
                      "has stopped " + std::to_string(retired.size()) +
                          " running tasks: " + task_list(retired) + ".");
        }
    }

    // 4. Availability Zone rebalancing, once the service is steady.
    if (service.status == "ACTIVE" && cluster && may_start_rebalancing(service, tasks)) {
        changed_tasks = start_rebalancing(scope, *cluster, service, tasks, now) || changed_tasks;
    }

    // Tasks told to stop just now leave their target groups.
    load_balancing_.update_registrations(service, tasks);

    // Counts as DescribeServices reports them.
    service.running_count = 0;
    service.pending_count = 0;
    for (auto& deployment : service.deployments) {
        deployment.running_count = 0;
        deployment.pending_count = 0;
    }
    bool older_tasks_left = false;
    for (const auto& task : tasks) {
        if (!is_active(task)) {
            continue;
        }
        Deployment* deployment = service.deployment(task.deployment_id);
        if (task.last_status == kRunning) {
            ++service.running_count;
            if (deployment != nullptr) {
                ++deployment->running_count;
            }
        } else if (is_pending(task)) {
            ++service.pending_count;
            if (deployment != nullptr) {
                ++deployment->pending_count;
            }
        }
        older_tasks_left = older_tasks_left || task.deployment_id != primary.id;
    }

    // The deployment is done once the primary has run the desired count for the settle time,
    // its tasks pass their load balancers' health checks (a verdict pokes the service), and
    // nothing older runs.
    std::int64_t settled_at = 0;
    for (const auto& task : tasks) {
        if (is_active(task) && task.deployment_id == primary.id && task.started_ms) {
            settled_at = std::max(
                settled_at,
                *task.started_ms +
                    std::chrono::duration_cast<std::chrono::milliseconds>(kSettleTime).count());
        }
    }
    const bool settled = settled_at <= now_ms;
    if (!settled) {
        environment_.scheduler.at(
            TimePoint(std::chrono::milliseconds(settled_at)),
            [this, scope, cluster_arn, name] { poke(scope, cluster_arn, name); });
    }
    if (service.status == "ACTIVE" && primary.rollout_state == "IN_PROGRESS" &&
        primary.running_count == service.desired_count && !older_tasks_left && settled &&
        load_balancing_.deployment_healthy(service, tasks, primary.id)) {
        primary.rollout_state = "COMPLETED";
        primary.rollout_state_reason = "ECS deployment " + primary.id + " completed.";
        primary.updated_ms = now_ms;
        service.last_completed_task_definition = primary.task_definition_arn;
        service.deployments.resize(1);
        backoff_.erase({scope.account_id, scope.region, cluster_arn, name});
        add_event(service, now_ms, "(deployment " + primary.id + ") deployment completed.");
        // A steady service may need its zones rebalanced: look again.
        poke(scope, cluster_arn, name);
    }
    if (changed_tasks) {
        service.steady_announced = false;
    }
    if (service.status == "ACTIVE" && service.deployments.size() == 1 &&
        service.running_count == service.desired_count && service.pending_count == 0 &&
        !service.steady_announced && primary.rollout_state == "COMPLETED") {
        service.steady_announced = true;
        add_event(service, now_ms, "has reached a steady state.");
    }
    store.put(scope, service);
    transaction.commit();
}

}  // namespace awsemu::ecs
