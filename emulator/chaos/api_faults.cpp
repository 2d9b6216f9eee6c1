#include "emulator/chaos/api_faults.hpp"

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>

namespace awsemu {
namespace {

// An error code's text for as long as the server runs: ErrorSpec holds a view of it, and the
// error outlives the rule that made it (the rule may be removed meanwhile).
std::string_view interned(const std::string& code) {
    static std::mutex mutex;
    static std::set<std::string, std::less<>> codes;
    std::lock_guard lock(mutex);
    return *codes.insert(code).first;
}

int status_for(std::string_view code) {
    if (code.find("Internal") != std::string_view::npos) {
        return 500;
    }
    if (code == "ServiceUnavailable" || code == "ServiceUnavailableException" ||
        code == "SlowDown" || code == "RequestLimitExceeded") {
        return 503;
    }
    return 400;
}

bool matches(std::string_view pattern, std::string_view value) {
    return pattern == "*" || pattern == value;
}

double random_fraction() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

nlohmann::json ApiFaultRule::to_json() const {
    nlohmann::json out = {{"id", id},
                          {"service", service},
                          {"operation", operation},
                          {"probability", probability},
                          {"latency_ms", latency.count()}};
    if (!error_code.empty()) {
        out["error"] = error_code;
        out["status"] = http_status != 0 ? http_status : status_for(error_code);
        out["message"] = message;
    }
    if (remaining) {
        out["remaining"] = *remaining;
    }
    return out;
}

ApiFaultRule ApiFaultRule::from_json(const nlohmann::json& in) {
    if (!in.is_object()) {
        throw std::invalid_argument("a fault is a JSON object");
    }
    static const std::set<std::string> kKnown = {"service", "operation",  "error",       "status",
                                                 "message", "latency_ms", "probability", "count"};
    for (const auto& [name, value] : in.items()) {
        if (!kKnown.contains(name)) {
            throw std::invalid_argument("unknown member '" + name +
                                        "'; a fault has service, operation, error, status, "
                                        "message, latency_ms, probability and count");
        }
    }
    const auto text = [&](const char* name, const std::string& fallback) {
        if (!in.contains(name)) {
            return fallback;
        }
        if (!in[name].is_string() || in[name].get<std::string>().empty()) {
            throw std::invalid_argument(std::string(name) + " must be a non-empty string");
        }
        return in[name].get<std::string>();
    };
    const auto integer = [&](const char* name, std::int64_t low, std::int64_t high) {
        const auto& value = in[name];
        if (!value.is_number_integer() || value.get<std::int64_t>() < low ||
            value.get<std::int64_t>() > high) {
            throw std::invalid_argument(std::string(name) + " must be a whole number from " +
                                        std::to_string(low) + " to " + std::to_string(high));
        }
        return value.get<std::int64_t>();
    };
    ApiFaultRule rule;
    rule.service = text("service", "*");
    rule.operation = text("operation", "*");
    rule.error_code = text("error", "");
    if (in.contains("status")) {
        rule.http_status = static_cast<int>(integer("status", 400, 599));
    }
    rule.message = text("message", rule.error_code.empty() ? "" : "Injected by awsemu's chaos API");
    if (in.contains("latency_ms")) {
        rule.latency = std::chrono::milliseconds(integer("latency_ms", 0, 600'000));
    }
    if (in.contains("probability")) {
        const auto& value = in["probability"];
        if (!value.is_number() || value.get<double>() <= 0 || value.get<double>() > 1) {
            throw std::invalid_argument("probability must be a number above 0, at most 1");
        }
        rule.probability = value.get<double>();
    }
    if (in.contains("count")) {
        rule.remaining = integer("count", 1, 1'000'000'000);
    }
    if (rule.error_code.empty() && rule.latency.count() == 0) {
        throw std::invalid_argument("a fault needs an error, a latency_ms, or both");
    }
    if (rule.error_code.empty() && (in.contains("status") || in.contains("message"))) {
        throw std::invalid_argument("status and message go with an error");
    }
    return rule;
}

AwsError ApiFaultRule::error() const {
    const int status = http_status != 0 ? http_status : status_for(error_code);
    return AwsError(
        ErrorSpec{interned(error_code), status, status >= 500 ? Fault::Receiver : Fault::Sender},
        message);
}

// "fault-1: sqs SendMessage -> ThrottlingException (400), probability 0.5, 3 calls left"
std::string describe_fault(const nlohmann::json& fault) {
    std::string line = fault.value("id", "") + ": " + fault.value("service", "*") + " " +
                       fault.value("operation", "*") + " ->";
    if (fault.contains("error")) {
        line +=
            " " + fault.value("error", "") + " (" + std::to_string(fault.value("status", 0)) + ")";
    }
    if (fault.value("latency_ms", 0) > 0) {
        line += std::string(fault.contains("error") ? " after" : " delayed") + " " +
                std::to_string(fault.value("latency_ms", 0)) + " ms";
    }
    if (fault.value("probability", 1.0) < 1.0) {
        line += ", probability " + nlohmann::json(fault.value("probability", 1.0)).dump();
    }
    if (fault.contains("remaining")) {
        line += ", " + std::to_string(fault.value("remaining", 0)) + " calls left";
    }
    return line;
}

ApiFaultRule ApiFaults::add(ApiFaultRule rule) {
    std::lock_guard lock(mutex_);
    rule.id = "fault-" + std::to_string(next_id_++);
    rules_.push_back(rule);
    count_ = rules_.size();
    return rule;
}

bool ApiFaults::remove(std::string_view id) {
    std::lock_guard lock(mutex_);
    const auto removed =
        std::erase_if(rules_, [&](const ApiFaultRule& rule) { return rule.id == id; });
    count_ = rules_.size();
    return removed > 0;
}

void ApiFaults::clear() {
    std::lock_guard lock(mutex_);
    rules_.clear();
    count_ = 0;
}

std::vector<ApiFaultRule> ApiFaults::rules() const {
    std::lock_guard lock(mutex_);
    return rules_;
}

std::optional<ApiFaultRule> ApiFaults::draw(std::string_view service, std::string_view operation) {
    std::lock_guard lock(mutex_);
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
        if (!matches(it->service, service) || !matches(it->operation, operation) ||
            (it->probability < 1.0 && random_fraction() >= it->probability)) {
            continue;
        }
        if (it->remaining) {
            --*it->remaining;
        }
        ApiFaultRule fired = *it;
        if (it->remaining == 0) {
            rules_.erase(it);
            count_ = rules_.size();
        }
        return fired;
    }
    return std::nullopt;
}

}  // namespace awsemu
