#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "emulator/http/http_client.hpp"
#include "emulator/runtime/scheduler.hpp"
#include "services/elbv2/elbv2_model.hpp"
#include "services/elbv2/target_health.hpp"

// The health checks of every target in use: an HTTP(S) GET per target every interval, on the
// scheduler's timers (so --time-scale shortens them), with AWS's thresholds and verdicts. A new
// target is healthy after one passing check; after that HealthyThresholdCount consecutive passes
// make an unhealthy target healthy and UnhealthyThresholdCount consecutive failures make any
// target unhealthy.
namespace awsemu::elbv2 {

// A target group's health-check settings, as its document holds them.
struct HealthCheckSettings {
    std::string protocol = "HTTP";
    std::string port = "traffic-port";
    std::string path = "/";
    int interval_seconds = 30;
    int timeout_seconds = 5;
    int healthy_threshold = 5;
    int unhealthy_threshold = 2;
    std::string matcher = "200";

    static HealthCheckSettings of_target_group(const Json& group);
    bool operator==(const HealthCheckSettings&) const = default;
};

// Whether a status code is one a Matcher's HttpCode ("200", "200,202", "200-299") accepts.
bool http_code_matches(std::string_view http_code, int status);

// One target to check: its registration and the address its checks go to.
struct CheckedTarget {
    Scope scope;
    std::string target_group_arn;
    std::string id;    // the registration's Id
    int port = 0;      // the registration's (traffic) port
    std::string host;  // where checks go: the IP of an ip target
    HealthCheckSettings settings;
    std::string zone = {};  // its availability zone; "" when unknown
};

class HealthChecker final : public HealthResults,
                            public std::enable_shared_from_this<HealthChecker> {
  public:
    using VerdictChanged = std::function<void()>;

    HealthChecker(Scheduler& scheduler, const Clock& clock, HttpClient& http,
                  VerdictChanged on_change);

    // The targets to check from now on: checks start for new ones (the first at once), stop for
    // those not listed, and restart from scratch for those whose settings changed.
    void track(std::vector<CheckedTarget> targets);
    void stop_all();

    // Whether a zone is up; a check of a target in a zone that is down times out, as one to an
    // unreachable address does. All zones are up when unset.
    std::function<bool(const std::string& zone)> zone_available;

    std::optional<TargetHealth> checked_health(const Scope& scope,
                                               const std::string& target_group_arn,
                                               const std::string& target_id,
                                               int port) const override;

  private:
    using Key = std::tuple<std::string, std::string, int>;  // group ARN, target id, port
    struct Tracked {
        CheckedTarget target;
        std::optional<TargetHealth> verdict;
        int passes = 0;                // consecutive
        int failures = 0;              // consecutive
        std::uint64_t generation = 0;  // a check's answer counts only in its own generation
        Scheduler::TimerId next_check = 0;
    };

    void check(const Key& key);
    // A check's outcome: nullopt when it passed, else why it failed.
    void record(const Key& key, std::uint64_t generation,
                const std::optional<TargetHealth>& failure);

    Scheduler& scheduler_;
    const Clock& clock_;
    HttpClient& http_;
    VerdictChanged on_change_;
    mutable std::mutex mutex_;
    std::map<Key, Tracked> tracked_;
    std::uint64_t next_generation_ = 1;
};

}  // namespace awsemu::elbv2
