#include "services/sns/delivery_policy.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "services/sns/sns_errors.hpp"

namespace awsemu::sns {
namespace {

// The DeliveryPolicy document of the subscription, else the topic's "http" section.
nlohmann::json policy_section(const AttributeMap& topic_attributes,
                              const AttributeMap& subscription_attributes,
                              const char* subscription_key, const char* topic_key) {
    const auto read = [](const AttributeMap& attributes) {
        const auto it = attributes.find("DeliveryPolicy");
        return it == attributes.end() ? nlohmann::json()
                                      : nlohmann::json::parse(it->second, nullptr, false);
    };
    const nlohmann::json topic = read(topic_attributes);
    const bool overrides_allowed =
        !(topic.is_object() && topic.contains("http") && topic["http"].is_object() &&
          topic["http"].value("disableSubscriptionOverrides", false));
    const nlohmann::json own = read(subscription_attributes);
    if (overrides_allowed && own.is_object() && own.contains(subscription_key) &&
        own[subscription_key].is_object()) {
        return own[subscription_key];
    }
    if (topic.is_object() && topic.contains("http") && topic["http"].is_object() &&
        topic["http"].contains(topic_key) && topic["http"][topic_key].is_object()) {
        return topic["http"][topic_key];
    }
    return nlohmann::json::object();
}

int number(const nlohmann::json& section, const char* name, int fallback) {
    const auto it = section.find(name);
    return it != section.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

RetryPolicy read_retry_policy(const nlohmann::json& section) {
    RetryPolicy policy;
    policy.num_retries = number(section, "numRetries", policy.num_retries);
    policy.min_delay_target = number(section, "minDelayTarget", policy.min_delay_target);
    policy.max_delay_target = number(section, "maxDelayTarget", policy.max_delay_target);
    policy.num_no_delay_retries = number(section, "numNoDelayRetries", 0);
    policy.num_min_delay_retries = number(section, "numMinDelayRetries", 0);
    policy.num_max_delay_retries = number(section, "numMaxDelayRetries", 0);
    if (section.contains("backoffFunction") && section["backoffFunction"].is_string()) {
        policy.backoff_function = section["backoffFunction"].get<std::string>();
    }
    return policy;
}

// The delays of all the retries: AWS's "total policy retry time".
double total_retry_delay_seconds(const RetryPolicy& policy) {
    double total = 0;
    for (int retry = 1; retry <= policy.num_retries; ++retry) {
        total += *retry_delay_seconds(policy, retry);
    }
    return total;
}

[[noreturn]] void refuse_delivery_policy(const std::string& reason) {
    throw errors::invalid_parameter("DeliveryPolicy: " + reason);
}

void check_retry_policy(const nlohmann::json& section, const std::string& name) {
    if (!section.is_object()) {
        refuse_delivery_policy(name + " must be an object");
    }
    for (const auto& [key, value] : section.items()) {
        if (key == "backoffFunction") {
            continue;
        }
        if (!value.is_number_integer()) {
            refuse_delivery_policy(name + "." + key + " must be an integer");
        }
    }
    const RetryPolicy policy = read_retry_policy(section);
    if (policy.num_retries < 0 || policy.num_retries > 100) {
        refuse_delivery_policy(name + ".numRetries must be between 0 and 100");
    }
    if (policy.min_delay_target < 1 || policy.min_delay_target > policy.max_delay_target) {
        refuse_delivery_policy(name +
                               ".minDelayTarget must be at least 1 and at most maxDelayTarget");
    }
    if (policy.max_delay_target > 3600) {
        refuse_delivery_policy(name + ".maxDelayTarget must be at most 3600");
    }
    if (policy.num_no_delay_retries < 0 || policy.num_min_delay_retries < 0 ||
        policy.num_max_delay_retries < 0 ||
        policy.num_no_delay_retries + policy.num_min_delay_retries + policy.num_max_delay_retries >
            policy.num_retries) {
        refuse_delivery_policy(
            name +
            ": the retries of the no-delay, minimum-delay and maximum-delay phases "
            "must not be negative nor more than numRetries");
    }
    static const std::vector<std::string> kFunctions = {"linear", "arithmetic", "geometric",
                                                        "exponential"};
    if (std::find(kFunctions.begin(), kFunctions.end(), policy.backoff_function) ==
        kFunctions.end()) {
        refuse_delivery_policy(name +
                               ".backoffFunction must be one of linear, arithmetic, geometric, "
                               "exponential");
    }
    if (total_retry_delay_seconds(policy) > 3600) {
        refuse_delivery_policy("the retries of " + name + " take more than 3600 seconds in all");
    }
}

void check_throttle_policy(const nlohmann::json& section, const std::string& name) {
    const auto rate = section.find("maxReceivesPerSecond");
    if (!section.is_object() ||
        (rate != section.end() && (!rate->is_number_integer() || rate->get<int>() < 1))) {
        refuse_delivery_policy(name + ".maxReceivesPerSecond must be a positive integer");
    }
}

void check_request_policy(const nlohmann::json& section, const std::string& name) {
    const auto type = section.find("headerContentType");
    if (!section.is_object() || (type != section.end() && !type->is_string())) {
        refuse_delivery_policy(name + ".headerContentType must be a string");
    }
}

}  // namespace

RetryPolicy retry_policy(const AttributeMap& topic_attributes,
                         const AttributeMap& subscription_attributes) {
    return read_retry_policy(policy_section(topic_attributes, subscription_attributes,
                                            "healthyRetryPolicy", "defaultHealthyRetryPolicy"));
}

void validate_delivery_policy(const std::string& text, bool topic) {
    const auto document = nlohmann::json::parse(text, nullptr, false);
    if (!document.is_object()) {
        refuse_delivery_policy("failed to parse JSON.");
    }
    // A topic's policy has a section per protocol; only "http" may be customised.
    const nlohmann::json* sections = &document;
    if (topic) {
        const auto http = document.find("http");
        if (http == document.end()) {
            return;
        }
        if (!http->is_object()) {
            refuse_delivery_policy("http must be an object");
        }
        sections = &*http;
    }
    const std::string prefix = topic ? "http." : "";
    const std::string retry = topic ? "defaultHealthyRetryPolicy" : "healthyRetryPolicy";
    const std::string throttle = topic ? "defaultThrottlePolicy" : "throttlePolicy";
    const std::string request = topic ? "defaultRequestPolicy" : "requestPolicy";
    if (sections->contains(retry)) {
        check_retry_policy(sections->at(retry), prefix + retry);
    }
    if (sections->contains(throttle)) {
        check_throttle_policy(sections->at(throttle), prefix + throttle);
    }
    if (sections->contains(request)) {
        check_request_policy(sections->at(request), prefix + request);
    }
}

std::optional<double> retry_delay_seconds(const RetryPolicy& policy, int retry) {
    if (retry < 1 || retry > policy.num_retries) {
        return std::nullopt;
    }
    const double low = policy.min_delay_target;
    const double high = std::max(policy.max_delay_target, policy.min_delay_target);
    if (retry <= policy.num_no_delay_retries) {
        return 0.0;
    }
    retry -= policy.num_no_delay_retries;
    if (retry <= policy.num_min_delay_retries) {
        return low;
    }
    retry -= policy.num_min_delay_retries;
    const int backoff_retries = policy.num_retries - policy.num_no_delay_retries -
                                policy.num_min_delay_retries - policy.num_max_delay_retries;
    if (retry > backoff_retries) {
        return high;
    }
    // Retry i of n in the backoff phase: from the minimum (i = 1) to the maximum (i = n).
    const double n = backoff_retries;
    const double f = n <= 1 ? 1.0 : (retry - 1) / (n - 1);
    const std::string& shape = policy.backoff_function;
    if (shape == "arithmetic") {
        return low + (high - low) * f * f;
    }
    if (shape == "geometric") {
        return low * std::pow(high / std::max(low, 1.0), f);
    }
    if (shape == "exponential") {
        return low + (high - low) * (std::exp(3 * f) - 1) / (std::exp(3.0) - 1);
    }
    return low + (high - low) * f;
}

std::int64_t retry_window_ms(const RetryPolicy& policy) {
    const double timeouts = (policy.num_retries + 1.0) * kRequestTimeout.count();
    return static_cast<std::int64_t>(
        std::ceil((timeouts + total_retry_delay_seconds(policy)) * 1000));
}

std::string request_content_type(const AttributeMap& topic_attributes,
                                 const AttributeMap& subscription_attributes) {
    const nlohmann::json section = policy_section(topic_attributes, subscription_attributes,
                                                  "requestPolicy", "defaultRequestPolicy");
    if (section.contains("headerContentType") && section["headerContentType"].is_string()) {
        return section["headerContentType"].get<std::string>();
    }
    return "text/plain; charset=UTF-8";
}

}  // namespace awsemu::sns
