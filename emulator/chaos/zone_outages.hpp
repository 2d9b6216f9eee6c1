#pragma once

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// Which availability zones are down: the chaos of losing a zone. Services consult it (ECS
// placement, the load balancers' health checks and routes) and are told when a zone goes down
// or comes back (ECS stops the tasks in it, RDS fails over). It lives as long as the server
// runs: a restart brings every zone back.
namespace awsemu {

class ZoneOutages {
  public:
    using Listener = std::function<void(const std::string& zone, bool available)>;

    bool available(std::string_view zone) const;
    std::vector<std::string> lost() const;

    // Takes a zone down or brings it back and tells the listeners, in the order they came;
    // answers false (and tells no one) when the zone already was so.
    bool lose(const std::string& zone);
    bool restore(const std::string& zone);

    // Call while setting up, before the server runs.
    void on_change(Listener listener) { listeners_.push_back(std::move(listener)); }

  private:
    bool set(const std::string& zone, bool available);

    mutable std::mutex mutex_;
    std::set<std::string, std::less<>> lost_;
    std::vector<Listener> listeners_;
};

// Whether `zone` reads as an availability zone name: a region and a letter ("us-east-1a").
bool is_zone_name(std::string_view zone);

}  // namespace awsemu
