#include "services/ecs/service_load_balancing.hpp"

#include <algorithm>

#include "emulator/protocol/aws_error.hpp"

namespace awsemu::ecs {

ServiceLoadBalancing::ServiceLoadBalancing(std::shared_ptr<elbv2::Elbv2Api> elbv2)
    : elbv2_(std::move(elbv2)) {}

namespace {

// The target groups of a service's load balancers, with the container port each reaches.
std::vector<std::pair<std::string, int>> target_groups(const ServiceRecord& service) {
    std::vector<std::pair<std::string, int>> groups;
    if (!service.load_balancers.is_array()) {
        return groups;
    }
    for (const auto& target : service.load_balancers) {
        const std::string group = target.value("targetGroupArn", "");
        const int port = target.value("containerPort", 0);
        if (!group.empty() && port != 0) {  // not a classic load balancer, which awsemu lacks
            groups.emplace_back(group, port);
        }
    }
    return groups;
}

bool serving(const Task& task) {
    return task.desired_status == kRunning && task.last_status == kRunning &&
           !task.private_ip.empty();
}

}  // namespace

void ServiceLoadBalancing::update_registrations(const ServiceRecord& service,
                                                const std::vector<Task>& tasks) {
    if (!elbv2_) {
        return;
    }
    std::map<Key, Registration> wanted;
    for (const auto& [group, port] : target_groups(service)) {
        for (const auto& task : tasks) {
            if (serving(task)) {
                wanted[{service.arn, task.task_id, group}] = {task.private_ip, port};
            }
        }
    }
    for (auto it = registered_.lower_bound({service.arn, "", ""});
         it != registered_.end() && std::get<0>(it->first) == service.arn;) {
        if (wanted.contains(it->first)) {
            ++it;
            continue;
        }
        elbv2_->deregister_target(std::get<2>(it->first), it->second.ip, it->second.port);
        it = registered_.erase(it);
    }
    for (const auto& [key, registration] : wanted) {
        if (registered_.contains(key)) {
            continue;
        }
        try {
            elbv2_->register_target(std::get<2>(key), registration.ip, registration.port);
            registered_.emplace(key, registration);
        } catch (const AwsError&) {
            // The group is gone (or refuses the target): the task serves nothing.
        }
    }
}

ServiceLoadBalancing::Outcome ServiceLoadBalancing::failures(const ServiceRecord& service,
                                                             const std::vector<Task>& tasks,
                                                             TimePoint now) const {
    Outcome outcome;
    if (!elbv2_) {
        return outcome;
    }
    const auto grace = std::chrono::seconds(service.health_check_grace_period_seconds.value_or(0));
    for (const auto& [group, port] : target_groups(service)) {
        for (const auto& task : tasks) {
            if (!serving(task) || !registered_.contains({service.arn, task.task_id, group})) {
                continue;
            }
            const TimePoint grace_end =
                TimePoint(std::chrono::milliseconds(task.started_ms.value_or(0))) + grace;
            if (now < grace_end) {
                outcome.grace_ends = std::min(outcome.grace_ends.value_or(grace_end), grace_end);
                continue;
            }
            const auto health = elbv2_->target_health(group, task.private_ip, port);
            if (health && health->state == "unhealthy") {
                outcome.failed.push_back({task.task_id, group, port, health->description});
            }
        }
    }
    return outcome;
}

bool ServiceLoadBalancing::passes_health_checks(const ServiceRecord& service,
                                                const Task& task) const {
    if (!elbv2_) {
        return true;
    }
    for (const auto& [group, port] : target_groups(service)) {
        if (!registered_.contains({service.arn, task.task_id, group})) {
            continue;
        }
        const auto health = elbv2_->target_health(group, task.private_ip, port);
        if (health && (health->state == "initial" || health->state == "unhealthy")) {
            return false;
        }
    }
    return true;
}

bool ServiceLoadBalancing::deployment_healthy(const ServiceRecord& service,
                                              const std::vector<Task>& tasks,
                                              const std::string& deployment_id) const {
    return std::all_of(tasks.begin(), tasks.end(), [&](const Task& task) {
        return task.deployment_id != deployment_id || !serving(task) ||
               passes_health_checks(service, task);
    });
}

}  // namespace awsemu::ecs
