#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "emulator/http/reverse_proxy.hpp"
#include "emulator/service_registry.hpp"
#include "services/elbv2/elbv2_store.hpp"
#include "services/elbv2/health_checker.hpp"
#include "services/elbv2/routing_table.hpp"

// What makes application load balancers real: a reverse proxy on a local port for every
// listener and health checks for every target in use, rebuilt from the control plane's state
// after each change to it (and after a start). Listeners keep their local port across
// restarts when it is free.
namespace awsemu::elbv2 {

class DataPlane final : public std::enable_shared_from_this<DataPlane> {
  public:
    DataPlane(ServiceEnvironment& environment, ReverseProxies& proxies);

    std::shared_ptr<const HealthResults> health_results() const { return checker_; }
    // Runs (on the event loop) after the health checks change a verdict, once the routes have.
    std::function<void()> on_verdict;
    // The control plane changed (or a verdict did): rebuild soon, once for many changes.
    void changed();
    // Closes every proxy and stops every check (before all state is reset).
    void stop_all();
    // {"load_balancers": [{name, arn, dns_name, listeners: [{arn, protocol, port, url}]}]}
    Json status() const;

  private:
    class ListenerRoutes;
    struct Running {
        std::shared_ptr<ListenerRoutes> routes;
        std::shared_ptr<ProxyListener> proxy;
        std::string protocol;
    };
    struct Built;

    void refresh();
    bool zone_available(const std::string& zone) const;
    Built read_state();
    // Starts the listener's proxy, or gives the running one its new table.
    void apply_listener(const Scope& scope, const Resource& listener, const Resource& load_balancer,
                        ListenerTable table);

    ServiceEnvironment& environment_;
    ReverseProxies& proxies_;
    Elbv2Store store_;
    std::shared_ptr<HealthChecker> checker_;
    std::atomic<bool> refresh_pending_{false};
    std::map<std::string, Running> running_;  // by listener ARN; on the event loop
    mutable std::mutex status_mutex_;
    Json status_ = Json::array();
};

}  // namespace awsemu::elbv2
