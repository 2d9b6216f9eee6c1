#include <signal.h>

#include "services/rds/instance_runtime.hpp"
#include "services/rds/live_instance.hpp"

// An availability zone lost and back (the chaos work's entries). A Multi-AZ instance whose
// primary is in the lost zone fails over to its standby in sync; any other primary there is
// killed and stays down, its endpoint refusing connections, until the zone is back; a standby
// there is killed and no new one is built into the zone until it is back.
namespace awsemu::rds {

std::vector<std::shared_ptr<LiveInstance>> InstanceRuntime::all_instances() {
    std::vector<std::shared_ptr<LiveInstance>> all;
    std::lock_guard lock(instances_mutex_);
    for (const auto& [key, instance] : instances_) {
        all.push_back(instance);
    }
    return all;
}

bool InstanceRuntime::primary_zone_lost(const std::shared_ptr<LiveInstance>& instance) {
    const auto d = store_.find(instance->scope, Kind::Instance, instance->id);
    return d && lost_zones_.contains(d->value("AvailabilityZone", ""));
}

bool InstanceRuntime::standby_zone_lost(const std::shared_ptr<LiveInstance>& instance) {
    const auto d = store_.find(instance->scope, Kind::Instance, instance->id);
    return d && lost_zones_.contains(d->value("SecondaryAvailabilityZone", ""));
}

void InstanceRuntime::availability_zone_lost(const std::string& zone) {
    deps_.scheduler.post([this, alive = alive_, zone] {
        if (!*alive || !lost_zones_.insert(zone).second) {
            return;
        }
        for (const auto& instance : all_instances()) {
            const auto d = store_.find(instance->scope, Kind::Instance, instance->id);
            if (!d || instance->gone) {
                continue;
            }
            if (d->value("SecondaryAvailabilityZone", "") == zone && instance->standby != 0) {
                deps_.processes.signal(instance->standby, SIGKILL);
            }
            if (d->value("AvailabilityZone", "") != zone || instance->failing_over) {
                continue;
            }
            if (instance->standby_in_sync) {
                fail_over(instance, "The primary's availability zone " + zone + " is unavailable.");
            } else if (instance->server != 0) {
                instance->after_exit = [] {};  // down until the zone is back
                deps_.processes.signal(instance->server, SIGKILL);
                update(
                    instance, [](Json&) {},
                    "DB instance is unreachable: its availability zone " + zone +
                        " is unavailable.");
            }
        }
    });
}

void InstanceRuntime::availability_zone_restored(const std::string& zone) {
    deps_.scheduler.post([this, alive = alive_, zone] {
        if (!*alive || lost_zones_.erase(zone) == 0) {
            return;
        }
        for (const auto& instance : all_instances()) {
            const auto d = store_.find(instance->scope, Kind::Instance, instance->id);
            if (!d || instance->gone || !deps_.postgres) {
                continue;
            }
            const std::string status = d->value("DBInstanceStatus", "");
            if (d->value("AvailabilityZone", "") == zone && instance->server == 0 &&
                !instance->failing_over && status != "stopped" && status != "stopping" &&
                status != "deleting" && status != "failed") {
                instance->after_ready = [this, instance, zone] {
                    update(
                        instance, [](Json&) {},
                        "DB instance is reachable again: availability zone " + zone + " is back.");
                };
                start_server(instance);
            } else if (d->value("MultiAZ", false) &&
                       d->value("SecondaryAvailabilityZone", "") == zone) {
                build_standby(instance);
            }
        }
    });
}

}  // namespace awsemu::rds
