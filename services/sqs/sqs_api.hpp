#pragma once

#include <memory>
#include <string>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/sqs/message_digest.hpp"

// The narrow interface other services use to deliver to SQS queues (S3 event notifications,
// SNS subscriptions). A delivery is an ordinary SendMessage, with its rules and errors, inside
// the caller's transaction, and it wakes the queue's long polls once that commits.
namespace awsemu::sqs {

struct Delivery {
    std::string queue_arn;
    std::string body;
    MessageAttributes attributes = {};
    std::optional<std::string> group_id = {};  // FIFO queues
    std::optional<std::string> deduplication_id = {};
};

class SqsApi {
  public:
    virtual ~SqsApi() = default;
    // Throws AwsError (QueueDoesNotExist, ...) as SendMessage would. `scope` is the sender's.
    virtual void deliver(const RequestContext& ctx, const Delivery& delivery) = 0;
    virtual bool queue_exists(const std::string& queue_arn) = 0;
};

// SQS's interface, once SQS has registered (services/all_services.cpp registers it first).
inline std::shared_ptr<SqsApi> sqs_api(const ServiceEnvironment& environment) {
    const auto it = environment.apis.find("sqs");
    return it == environment.apis.end() ? nullptr : std::static_pointer_cast<SqsApi>(it->second);
}

}  // namespace awsemu::sqs
