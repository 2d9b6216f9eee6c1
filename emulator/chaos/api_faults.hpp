#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/protocol/aws_error.hpp"

// Faults injected into AWS API calls, the chaos of a flaky dependency: a rule makes the calls
// it matches fail with an AWS error (ThrottlingException, ServiceUnavailable, ...) and/or answer
// late, each with a probability, for a number of calls or until it is removed. A failed call
// runs nothing; a late one runs when its delay is over. Rules live as long as the server runs.
namespace awsemu {

struct ApiFaultRule {
    std::string id;  // "fault-1", given when the rule is added
    // Which calls: a service as the request log names it (sqs, s3, secretsmanager, ...) and one
    // of its operations (SendMessage, PutObject); "*" for any.
    std::string service = "*";
    std::string operation = "*";
    // The error the calls meet; empty for none (a delay alone). The status, when not given,
    // follows the code: 500 for internal errors, 503 for ServiceUnavailable, SlowDown and
    // RequestLimitExceeded (EC2's throttling), else 400 (as AWS answers ThrottlingException).
    std::string error_code;
    int http_status = 0;
    std::string message;
    std::chrono::milliseconds latency{0};
    double probability = 1.0;               // of each matching call
    std::optional<std::int64_t> remaining;  // calls still to affect; nullopt: until removed

    // The rule as the admin API reads and writes it; from_json throws std::invalid_argument
    // with the reason for anything that does not make a rule.
    nlohmann::json to_json() const;
    static ApiFaultRule from_json(const nlohmann::json& in);
    AwsError error() const;  // only for a rule with an error_code
};

class ApiFaults {
  public:
    // Adds a rule (its id given here) and answers it.
    ApiFaultRule add(ApiFaultRule rule);
    bool remove(std::string_view id);
    void clear();
    std::vector<ApiFaultRule> rules() const;

    // The rule a call meets now, if any: the first that matches and fires (its probability
    // drawn), counted against its remaining calls (a rule with none left is gone).
    std::optional<ApiFaultRule> draw(std::string_view service, std::string_view operation);
    bool any() const { return count_.load(std::memory_order_relaxed) > 0; }

  private:
    mutable std::mutex mutex_;
    std::vector<ApiFaultRule> rules_;
    std::atomic<std::size_t> count_{0};
    std::uint64_t next_id_ = 1;
};

// A fault as its JSON (ApiFaultRule::to_json) in one line, for people:
// "fault-1: sqs SendMessage -> ThrottlingException (400), probability 0.5, 3 calls left".
std::string describe_fault(const nlohmann::json& fault);

}  // namespace awsemu
