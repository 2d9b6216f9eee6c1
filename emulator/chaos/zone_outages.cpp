#include "emulator/chaos/zone_outages.hpp"

#include <cctype>

namespace awsemu {

bool ZoneOutages::available(std::string_view zone) const {
    std::lock_guard lock(mutex_);
    return !lost_.contains(zone);
}

std::vector<std::string> ZoneOutages::lost() const {
    std::lock_guard lock(mutex_);
    return {lost_.begin(), lost_.end()};
}

bool ZoneOutages::lose(const std::string& zone) {
    return set(zone, false);
}

bool ZoneOutages::restore(const std::string& zone) {
    return set(zone, true);
}

bool ZoneOutages::set(const std::string& zone, bool available) {
    {
        std::lock_guard lock(mutex_);
        const bool changed = available ? lost_.erase(zone) > 0 : lost_.insert(zone).second;
        if (!changed) {
            return false;
        }
    }
    for (const auto& listener : listeners_) {
        listener(zone, available);
    }
    return true;
}

bool is_zone_name(std::string_view zone) {
    // region ("us-east-1", "ap-southeast-2", "us-gov-west-1") then one letter
    if (zone.size() < 6 || !std::islower(static_cast<unsigned char>(zone.back())) ||
        !std::isdigit(static_cast<unsigned char>(zone[zone.size() - 2])) ||
        zone[zone.size() - 3] != '-') {
        return false;
    }
    bool dashes = false;
    for (std::size_t i = 0; i + 3 < zone.size(); ++i) {
        const char c = zone[i];
        if (c == '-') {
            if (i == 0 || zone[i - 1] == '-') {
                return false;
            }
            dashes = true;
        } else if (!std::islower(static_cast<unsigned char>(c))) {
            return false;
        }
    }
    return dashes;
}

}  // namespace awsemu
