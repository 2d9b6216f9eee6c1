#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator/runtime/clock.hpp"
#include "services/sqs/message_digest.hpp"

// A message as Publish accepted it, before it goes to each subscriber.
namespace awsemu::sns {

// Name -> {DataType, value (bytes for Binary)}, sorted by name; the same shape SQS keeps.
using MessageAttributes = sqs::MessageAttributes;

struct PublishedMessage {
    std::string message_id;
    std::string topic_arn;
    std::optional<std::string> subject;
    std::string message;  // MessageStructure=json: its "default"
    // MessageStructure=json: the per-protocol messages ({"default": ..., "sqs": ...}).
    nlohmann::json per_protocol = nullptr;
    MessageAttributes attributes;
    std::optional<std::string> group_id;  // FIFO topics
    std::optional<std::string> deduplication_id;
    std::optional<std::string> sequence_number;
    TimePoint timestamp;
    // Signatures made so far, by message text: what is signed names no subscriber, so one
    // signature serves every subscriber sent the same text (RSA signing costs ~0.25 ms).
    std::map<std::string, std::string> signatures = {};

    // What a subscriber of `protocol` is sent: its own message, else the default.
    const std::string& message_for(const std::string& protocol) const;
};

}  // namespace awsemu::sns
