#include "services/ecs/task_placement.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "emulator/runtime/local_ports.hpp"
#include "services/ecs/ecs_errors.hpp"

namespace awsemu::ecs {
namespace {

std::optional<std::pair<std::uint32_t, int>> parse_cidr(const std::string& cidr) {
    const auto slash = cidr.find('/');
    if (slash == std::string::npos) {
        return std::nullopt;
    }
    in_addr address{};
    if (::inet_pton(AF_INET, cidr.substr(0, slash).c_str(), &address) != 1) {
        return std::nullopt;
    }
    const int bits = std::atoi(cidr.c_str() + slash + 1);
    if (bits < 16 || bits > 28) {
        return std::nullopt;
    }
    return std::pair{ntohl(address.s_addr), bits};
}

std::string loopback_for(std::uint32_t host) {
    return "127." + std::to_string((host >> 16) & 0xff) + "." + std::to_string((host >> 8) & 0xff) +
           "." + std::to_string(host & 0xff);
}

}  // namespace

std::vector<ec2::SubnetInfo> TaskPlacement::resolve_subnets(
    Database& database, const Scope& scope, const std::vector<std::string>& subnet_ids) {
    if (subnet_ids.empty()) {
        return ec2::default_subnets(database, scope);
    }
    std::vector<ec2::SubnetInfo> subnets;
    for (const auto& id : subnet_ids) {
        auto subnet = ec2::find_subnet(database, scope, id);
        if (!subnet) {
            throw AwsError(errors::InvalidParameterException,
                           "Error retrieving subnet information for [" + id + "]: The subnet ID '" +
                               id +
                               "' does not exist (Service: AmazonEC2; Status Code: 400; Error "
                               "Code: InvalidSubnetID.NotFound)");
        }
        subnets.push_back(std::move(*subnet));
    }
    return subnets;
}

std::optional<PlacementChoice> TaskPlacement::place(const std::vector<ec2::SubnetInfo>& subnets,
                                                    std::map<std::string, int>& tasks_per_az,
                                                    const std::vector<std::uint16_t>& ports) {
    std::vector<const ec2::SubnetInfo*> candidates;
    for (const auto& subnet : subnets) {
        if (!zone_available || zone_available(subnet.availability_zone)) {
            candidates.push_back(&subnet);
        }
    }
    // Fewest tasks of the group first; stable, so request order breaks ties.
    std::stable_sort(candidates.begin(), candidates.end(), [&](const auto* a, const auto* b) {
        return tasks_per_az[a->availability_zone] < tasks_per_az[b->availability_zone];
    });
    for (const auto* subnet : candidates) {
        if (auto address = claim_address(subnet->cidr_block, ports)) {
            ++tasks_per_az[subnet->availability_zone];
            return PlacementChoice{*subnet, std::move(*address)};
        }
    }
    return std::nullopt;
}

void TaskPlacement::release(const std::string& private_ip) {
    std::lock_guard lock(mutex_);
    addresses_in_use_.erase(private_ip);
}

void TaskPlacement::forget_all() {
    std::lock_guard lock(mutex_);
    addresses_in_use_.clear();
}

std::optional<std::string> TaskPlacement::claim_address(const std::string& cidr_block,
                                                        const std::vector<std::uint16_t>& ports) {
    const auto cidr = parse_cidr(cidr_block);
    if (!cidr) {
        return std::nullopt;
    }
    const auto [base, bits] = *cidr;
    const std::uint32_t size = std::uint32_t{1} << (32 - bits);
    std::lock_guard lock(mutex_);
    // AWS reserves a subnet's first four addresses and its last.
    for (std::uint32_t offset = 4; offset + 1 < size; ++offset) {
        std::string address = loopback_for(base + offset);
        if (addresses_in_use_.contains(address) ||
            !std::all_of(ports.begin(), ports.end(),
                         [&](std::uint16_t port) { return port_available(address, port); })) {
            continue;
        }
        addresses_in_use_.insert(address);
        return address;
    }
    return std::nullopt;
}

}  // namespace awsemu::ecs
