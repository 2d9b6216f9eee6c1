#pragma once

#include <map>
#include <string>
#include <vector>

#include "services/ecs/ecs_task.hpp"

// Availability Zone rebalancing's view of a service: how many of its tasks each zone it may use
// runs. A service is balanced when no zone has two tasks more than another (3 tasks over 2
// zones as 2 and 1 is balanced; 2 and 0 is not).
namespace awsemu::ecs {

class ZoneBalance {
  public:
    // `zones`: the zones of the service's subnets that take tasks now. `tasks`: the service's
    // tasks; those told to stop do not count, nor do tasks in other zones.
    ZoneBalance(const std::vector<std::string>& zones, const std::vector<Task>& tasks);

    bool balanced() const;
    // The zone with the most tasks, and the one with the fewest (first in name order on a tie;
    // only for a service with zones).
    const std::string& fullest() const;
    const std::string& emptiest() const;
    // Tasks per zone, zones with none included: what placement spreads by.
    const std::map<std::string, int>& tasks_per_zone() const { return tasks_per_zone_; }
    // "2 tasks in us-east-1a and 0 tasks in us-east-1b", as the service events say it.
    std::string describe() const;

  private:
    std::map<std::string, int> tasks_per_zone_;
};

}  // namespace awsemu::ecs
