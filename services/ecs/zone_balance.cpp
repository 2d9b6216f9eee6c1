#include "services/ecs/zone_balance.hpp"

#include <algorithm>

namespace awsemu::ecs {

ZoneBalance::ZoneBalance(const std::vector<std::string>& zones, const std::vector<Task>& tasks) {
    for (const auto& zone : zones) {
        tasks_per_zone_[zone] = 0;
    }
    for (const auto& task : tasks) {
        const auto zone = tasks_per_zone_.find(task.availability_zone);
        if (zone != tasks_per_zone_.end() && task.desired_status == kRunning) {
            ++zone->second;
        }
    }
}

namespace {

bool fewer(const std::pair<const std::string, int>& a, const std::pair<const std::string, int>& b) {
    return a.second < b.second;
}

}  // namespace

bool ZoneBalance::balanced() const {
    return tasks_per_zone_.empty() ||
           tasks_per_zone_.at(fullest()) - tasks_per_zone_.at(emptiest()) <= 1;
}

const std::string& ZoneBalance::fullest() const {
    return std::max_element(tasks_per_zone_.begin(), tasks_per_zone_.end(), fewer)->first;
}

const std::string& ZoneBalance::emptiest() const {
    return std::min_element(tasks_per_zone_.begin(), tasks_per_zone_.end(), fewer)->first;
}

std::string ZoneBalance::describe() const {
    std::string out;
    std::size_t index = 0;
    for (const auto& [zone, count] : tasks_per_zone_) {
        if (index > 0) {
            out += index + 1 == tasks_per_zone_.size() ? (index > 1 ? ", and " : " and ") : ", ";
        }
        out += std::to_string(count) + " tasks in " + zone;
        ++index;
    }
    return out;
}

}  // namespace awsemu::ecs
