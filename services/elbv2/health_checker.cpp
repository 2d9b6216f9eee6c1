#include "services/elbv2/health_checker.hpp"
#include "emulator/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace awsemu::elbv2 {
namespace {

int parse_code(std::string_view text) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() ? value : -1;
}

TargetHealth failure_of(const OutgoingResult& result) {
    if (result.status == 0) {
        if (result.timed_out) {
            return {"unhealthy", "Target.Timeout", "Request timed out"};
        }
        return {"unhealthy", "Target.FailedHealthChecks", "Health checks failed"};
    }
    return {"unhealthy", "Target.ResponseCodeMismatch",
            "Health checks failed with these codes: [" + std::to_string(result.status) + "]"};
}

}  // namespace

HealthCheckSettings HealthCheckSettings::of_target_group(const Json& group) {
    HealthCheckSettings settings;
    settings.protocol = group.value("HealthCheckProtocol", settings.protocol);
    settings.port = group.value("HealthCheckPort", settings.port);
    settings.path = group.value("HealthCheckPath", settings.path);
    settings.interval_seconds =
        group.value("HealthCheckIntervalSeconds", settings.interval_seconds);
    settings.timeout_seconds = group.value("HealthCheckTimeoutSeconds", settings.timeout_seconds);
    settings.healthy_threshold = group.value("HealthyThresholdCount", settings.healthy_threshold);
    settings.unhealthy_threshold =
        group.value("UnhealthyThresholdCount", settings.unhealthy_threshold);
    if (const auto matcher = group.find("Matcher");
        matcher != group.end() && matcher->contains("HttpCode")) {
        settings.matcher = matcher->at("HttpCode").get<std::string>();
    }
    return settings;
}

bool http_code_matches(std::string_view http_code, int status) {
    while (!http_code.empty()) {
        const auto comma = http_code.find(',');
        const std::string_view item = http_code.substr(0, comma);
        const auto dash = item.find('-');
        if (dash == std::string_view::npos) {
            if (parse_code(item) == status) {
                return true;
            }
        } else if (status >= parse_code(item.substr(0, dash)) &&
                   status <= parse_code(item.substr(dash + 1))) {
            return true;
        }
        http_code = comma == std::string_view::npos ? "" : http_code.substr(comma + 1);
    }
    return false;
}

HealthChecker::HealthChecker(Scheduler& scheduler, const Clock& clock, HttpClient& http,
                             VerdictChanged on_change)
    : scheduler_(scheduler), clock_(clock), http_(http), on_change_(std::move(on_change)) {}

void HealthChecker::track(std::vector<CheckedTarget> targets) {
    std::vector<Key> started;
    bool verdicts_dropped = false;
    {
        std::lock_guard lock(mutex_);
        std::map<Key, Tracked> next;
        for (auto& target : targets) {
            Key key{target.target_group_arn, target.id, target.port};
            if (next.contains(key)) {
                continue;
            }
            const auto it = tracked_.find(key);
            if (it != tracked_.end() && it->second.target.settings == target.settings &&
                it->second.target.host == target.host) {
                next.emplace(key, std::move(it->second));
                tracked_.erase(it);
                continue;
            }
            Tracked fresh;
            fresh.target = std::move(target);
            fresh.generation = next_generation_++;
            next.emplace(key, std::move(fresh));
            started.push_back(key);
        }
        // What is left was dropped, or restarts with new settings.
        for (const auto& [key, old] : tracked_) {
            scheduler_.cancel(old.next_check);
            verdicts_dropped = verdicts_dropped || old.verdict.has_value();
        }
        tracked_ = std::move(next);
    }
    for (const auto& key : started) {
        check(key);
    }
    if (verdicts_dropped && on_change_) {
        on_change_();
    }
}

void HealthChecker::stop_all() {
    std::lock_guard lock(mutex_);
    for (const auto& [key, tracked] : tracked_) {
        scheduler_.cancel(tracked.next_check);
    }
    tracked_.clear();
}

std::optional<TargetHealth> HealthChecker::checked_health(const Scope&,
                                                          const std::string& target_group_arn,
                                                          const std::string& target_id,
                                                          int port) const {
    std::lock_guard lock(mutex_);
    const auto it = tracked_.find(Key{target_group_arn, target_id, port});
    return it == tracked_.end() ? std::nullopt : it->second.verdict;
}

void HealthChecker::check(const Key& key) {
    OutgoingRequest request;
    std::uint64_t generation = 0;
    std::string matcher;
    {
        std::lock_guard lock(mutex_);
        const auto it = tracked_.find(key);
        if (it == tracked_.end()) {
            return;
        }
        Tracked& tracked = it->second;
        const HealthCheckSettings& settings = tracked.target.settings;
        // Each check lasts its interval, however long the target takes to answer.
        tracked.next_check =
            scheduler_.at(clock_.now() + std::chrono::seconds(settings.interval_seconds),
                          [weak = weak_from_this(), key] {
                              if (const auto self = weak.lock()) {
                                  self->check(key);
                              }
                          });
        const int port =
            settings.port == "traffic-port" ? tracked.target.port : parse_code(settings.port);
        request.method = "GET";
        request.url = ascii_lower(settings.protocol) + "://" + tracked.target.host + ":" +
                      std::to_string(port) + settings.path;
        request.headers.add("User-Agent", "ELB-HealthChecker/2.0");
        request.headers.add("Connection", "close");
        request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            clock_.to_real(std::chrono::seconds(settings.timeout_seconds)));
        generation = tracked.generation;
        matcher = settings.matcher;
        if (!tracked.target.zone.empty() && zone_available &&
            !zone_available(tracked.target.zone)) {
            scheduler_.at(clock_.now() + std::chrono::seconds(settings.timeout_seconds),
                          [weak = weak_from_this(), key, generation] {
                              if (const auto self = weak.lock()) {
                                  self->record(key, generation,
                                               TargetHealth{"unhealthy", "Target.Timeout",
                                                            "Request timed out"});
                              }
                          });
            return;
        }
    }
    http_.send(std::move(request),
               [weak = weak_from_this(), key, generation, matcher](OutgoingResult result) {
                   if (const auto self = weak.lock()) {
                       if (result.status != 0 && http_code_matches(matcher, result.status)) {
                           self->record(key, generation, std::nullopt);
                       } else {
                           self->record(key, generation, failure_of(result));
                       }
                   }
               });
}

void HealthChecker::record(const Key& key, std::uint64_t generation,
                           const std::optional<TargetHealth>& failure) {
    bool changed = false;
    {
        std::lock_guard lock(mutex_);
        const auto it = tracked_.find(key);
        if (it == tracked_.end() || it->second.generation != generation) {
            return;  // no longer tracked, or tracked afresh since this check started
        }
        Tracked& tracked = it->second;
        const HealthCheckSettings& settings = tracked.target.settings;
        const std::string before = tracked.verdict ? tracked.verdict->state : "initial";
        if (!failure) {
            tracked.failures = 0;
            ++tracked.passes;
            // A new target needs one passing check; an unhealthy one its healthy threshold.
            const int needed = tracked.verdict ? settings.healthy_threshold : 1;
            if (tracked.passes >= needed) {
                tracked.verdict = TargetHealth{"healthy", "", ""};
            }
        } else {
            tracked.passes = 0;
            ++tracked.failures;
            if (tracked.failures >= settings.unhealthy_threshold) {
                tracked.verdict = *failure;
            } else if (tracked.verdict && tracked.verdict->state == "unhealthy") {
                tracked.verdict = *failure;  // still unhealthy, for the latest reason
            }
        }
        changed = before != (tracked.verdict ? tracked.verdict->state : "initial");
    }
    if (changed && on_change_) {
        on_change_();
    }
}

}  // namespace awsemu::elbv2
