#include "services/elbv2/data_plane.hpp"

#include <stdexcept>

#include "emulator/chaos/zone_outages.hpp"
#include "services/elbv2/target_zones.hpp"

namespace awsemu::elbv2 {
namespace {

std::string attribute(const Json& document, std::string_view key, std::string fallback) {
    for (const auto& item : document.value("_Attributes", Json::array())) {
        if (item.value("Key", "") == key) {
            return item.value("Value", fallback);
        }
    }
    return fallback;
}

// A well-spread number from a counter (splitmix64), to pick among weighted target groups.
std::uint64_t spread(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

}  // namespace

// One listener's side of its proxy: the table of the last rebuild, swapped whole.
class DataPlane::ListenerRoutes final : public ProxyRoutes {
  public:
    void set(std::shared_ptr<const ListenerTable> table, std::chrono::milliseconds idle_timeout) {
        std::lock_guard lock(mutex_);
        table_ = std::move(table);
        idle_timeout_ = idle_timeout;
    }

    RouteDecision route(const ProxiedRequest& request) override {
        std::shared_ptr<const ListenerTable> table;
        {
            std::lock_guard lock(mutex_);
            table = table_;
        }
        const std::uint64_t sequence = sequence_.fetch_add(1, std::memory_order_relaxed);
        auto routing =
            route_request(*table, match_request(*table, request), sequence, spread(sequence));
        if (auto* chosen = std::get_if<ChosenTarget>(&routing)) {
            return ForwardTo{std::move(chosen->target.ip), chosen->target.port, nullptr};
        }
        return std::get<LocalAnswer>(std::move(routing));
    }

    std::chrono::milliseconds idle_timeout() const override {
        std::lock_guard lock(mutex_);
        return idle_timeout_;
    }

  private:
    mutable std::mutex mutex_;
    std::shared_ptr<const ListenerTable> table_ = std::make_shared<ListenerTable>();
    std::chrono::milliseconds idle_timeout_{60'000};
    std::atomic<std::uint64_t> sequence_{0};
};

struct DataPlane::Built {
    struct Listener {
        Scope scope;
        Resource listener;
        Resource load_balancer;
        ListenerTable table;
    };
    std::vector<Listener> listeners;
    std::vector<CheckedTarget> checks;
};

DataPlane::DataPlane(ServiceEnvironment& environment, ReverseProxies& proxies)
    : environment_(environment), proxies_(proxies), store_(environment.database) {
    checker_ = std::make_shared<HealthChecker>(
        environment.scheduler, environment.clock, *environment.http_client, [this] {
            changed();
            if (on_verdict) {
                environment_.scheduler.post(on_verdict);  // after the routes' rebuild
            }
        });
    checker_->zone_available = [this](const std::string& zone) { return zone_available(zone); };
}

bool DataPlane::zone_available(const std::string& zone) const {
    return environment_.zones == nullptr || environment_.zones->available(zone);
}

void DataPlane::changed() {
    if (refresh_pending_.exchange(true)) {
        return;
    }
    environment_.scheduler.post([weak = weak_from_this()] {
        if (const auto self = weak.lock()) {
            self->refresh();
        }
    });
}

DataPlane::Built DataPlane::read_state() {
    Built built;
    for (auto& [scope, listener] : store_.all_of_kind(ResourceKind::Listener)) {
        const auto load_balancer = store_.find(scope, listener.parent);
        if (!load_balancer) {
            continue;
        }
        const auto zones = enabled_zones(store_, scope, {load_balancer->arn});
        ListenerTable table;
        table.protocol = listener.document.value("Protocol", "HTTP");
        table.port = listener.document.value("Port", 80);
        for (const auto& rule : store_.list(scope, ResourceKind::Rule, listener.arn)) {
            table.rules.push_back(rule.document);
            for (const auto& arn : forwarded_target_groups(rule.document.at("Actions"))) {
                const auto group =
                    table.groups.contains(arn) ? std::nullopt : store_.find(scope, arn);
                if (!group) {
                    continue;
                }
                const auto settings = HealthCheckSettings::of_target_group(group->document);
                const bool checks = group->document.value("HealthCheckEnabled", true) &&
                                    group->document.value("TargetType", "") == "ip";
                auto& targets = table.groups[arn];
                for (const auto& target : store_.targets(scope, arn)) {
                    // Draining targets finish what they have and get nothing new; targets in
                    // zones the load balancer is not in get nothing at all, nor do targets in a
                    // zone that is down (though their checks go on, and time out).
                    const std::string zone =
                        target_zone(environment_.database, scope, group->document, target);
                    if (target.deregistered_ms || !zone_enabled(zone, zones)) {
                        continue;
                    }
                    if (checks) {
                        built.checks.push_back(
                            {scope, arn, target.id, target.port, target.id, settings, zone});
                    }
                    if (!zone.empty() && !zone_available(zone)) {
                        continue;
                    }
                    const auto verdict =
                        checker_->checked_health(scope, arn, target.id, target.port);
                    targets.push_back({target.id, static_cast<std::uint16_t>(target.port),
                                       verdict && verdict->state == "healthy"});
                }
            }
        }
        built.listeners.push_back({scope, std::move(listener), *load_balancer, std::move(table)});
    }
    return built;
}

void DataPlane::refresh() {
    refresh_pending_ = false;
    Built built;
    {
        auto transaction = environment_.database.transaction();
        built = read_state();
        transaction.commit();
    }
    checker_->track(std::move(built.checks));
    std::map<std::string, Running> still_running;
    Json load_balancers = Json::object();
    for (auto& [scope, listener, load_balancer, table] : built.listeners) {
        const std::string arn = listener.arn;
        apply_listener(scope, listener, load_balancer, std::move(table));
        const auto it = running_.find(arn);
        if (it == running_.end()) {
            continue;
        }
        Json& entry = load_balancers[load_balancer.arn];
        if (entry.is_null()) {
            entry = {{"name", load_balancer.name},
                     {"arn", load_balancer.arn},
                     {"dns_name", load_balancer.document.value("DNSName", "")},
                     {"listeners", Json::array()}};
        }
        const std::string protocol = listener.document.value("Protocol", "HTTP");
        entry["listeners"].push_back(
            {{"arn", arn},
             {"protocol", protocol},
             {"port", listener.document.value("Port", 0)},
             {"url", (protocol == "HTTPS" ? "https://127.0.0.1:" : "http://127.0.0.1:") +
                         std::to_string(it->second.proxy->port())}});
        still_running.emplace(arn, std::move(it->second));
        running_.erase(it);
    }
    for (auto& [arn, gone] : running_) {
        gone.proxy->close();
    }
    running_ = std::move(still_running);
    Json list = Json::array();
    for (auto& [arn, entry] : load_balancers.items()) {
        list.push_back(std::move(entry));
    }
    std::lock_guard lock(status_mutex_);
    status_ = std::move(list);
}

void DataPlane::apply_listener(const Scope& scope, const Resource& listener,
                               const Resource& load_balancer, ListenerTable table) {
    const std::string& arn = listener.arn;
    const auto idle = std::chrono::seconds(
        std::stoll(attribute(load_balancer.document, "idle_timeout.timeout_seconds", "60")));
    const std::string protocol = table.protocol;
    auto it = running_.find(arn);
    if (it != running_.end() && it->second.protocol != protocol) {
        it->second.proxy->close();
        running_.erase(it);
        it = running_.end();
    }
    if (it == running_.end()) {
        auto routes = std::make_shared<ListenerRoutes>();
        routes->set(std::make_shared<const ListenerTable>(std::move(table)), idle);
        ProxyListenerOptions options;
        options.advertised_port = static_cast<std::uint16_t>(listener.document.value("Port", 80));
        if (protocol == "HTTPS") {
            options.tls = self_signed_identity(
                {load_balancer.document.value("DNSName", "localhost"), "localhost"});
        }
        const int stored_port = listener.document.value("_LocalPort", 0);
        std::shared_ptr<ProxyListener> proxy;
        try {
            options.port = static_cast<std::uint16_t>(stored_port);
            proxy = proxies_.listen(options, routes);
        } catch (const std::runtime_error&) {
            options.port = 0;  // the old port is taken now: any other
            proxy = proxies_.listen(options, routes);
        }
        if (proxy->port() != stored_port) {
            auto transaction = environment_.database.transaction();
            if (auto current = store_.find(scope, arn)) {
                current->document["_LocalPort"] = proxy->port();
                store_.put(scope, *current);
            }
            transaction.commit();
        }
        running_.emplace(arn, Running{routes, proxy, protocol});
        return;
    }
    it->second.routes->set(std::make_shared<const ListenerTable>(std::move(table)), idle);
}

void DataPlane::stop_all() {
    checker_->stop_all();
    for (auto& [arn, running] : running_) {
        running.proxy->close();
    }
    running_.clear();
    std::lock_guard lock(status_mutex_);
    status_ = Json::array();
}

Json DataPlane::status() const {
    std::lock_guard lock(status_mutex_);
    return {{"load_balancers", status_}};
}

}  // namespace awsemu::elbv2
