#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "services/ec2/ec2_api.hpp"

// Where tasks go: the one place that picks a task's subnet (spreading a group's tasks across
// availability zones, skipping zones that are down) and its address. In the process runtime a
// task's address is a loopback address of its own, derived from the address it would have in
// its subnet: 172.31.16.9 in subnet 172.31.16.0/20 is 127.31.16.9 here.
namespace awsemu::ecs {

struct PlacementChoice {
    ec2::SubnetInfo subnet;
    std::string private_ip;
};

class TaskPlacement {
  public:
    // The subnets a request names, each checked with EC2 (InvalidParameterException in ECS's
    // words for one that does not exist); the default VPC's subnets when none are named.
    std::vector<ec2::SubnetInfo> resolve_subnets(Database& database, const Scope& scope,
                                                 const std::vector<std::string>& subnet_ids);
    // A subnet and address for one more task of a group that has `tasks_per_az` already (which
    // this updates): the zone with the fewest, first in request order on a tie. nullopt when
    // every zone is down or every subnet is full.
    // An address is skipped while something else listens on one of `ports` there (another
    // awsemu's task at the same address, when two run on one machine).
    std::optional<PlacementChoice> place(const std::vector<ec2::SubnetInfo>& subnets,
                                         std::map<std::string, int>& tasks_per_az,
                                         const std::vector<std::uint16_t>& ports = {});
    // Gives an address back once its task has stopped.
    void release(const std::string& private_ip);
    void forget_all();

    // Whether a zone takes tasks (the chaos work takes zones down); all do when unset.
    std::function<bool(const std::string& availability_zone)> zone_available;

  private:
    std::optional<std::string> claim_address(const std::string& cidr_block,
                                             const std::vector<std::uint16_t>& ports);

    std::mutex mutex_;
    std::set<std::string> addresses_in_use_;
};

}  // namespace awsemu::ecs
