#include "services/sns/delivery_policy.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

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
    const nlohmann::json own = read(subscription_attributes);
    if (own.is_object() && own.contains(subscription_key) && own[subscription_key].is_object()) {
        return own[subscription_key];
    }
    const nlohmann::json topic = read(topic_attributes);
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

}  // namespace

RetryPolicy retry_policy(const AttributeMap& topic_attributes,
                         const AttributeMap& subscription_attributes) {
    const nlohmann::json section =
        policy_section(topic_attributes, subscription_attributes, "healthyRetryPolicy",
                       "defaultHealthyRetryPolicy");
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
