#pragma once

#include <memory>
#include <optional>
#include <string>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"

// The narrow interface other services use to publish to SNS topics (S3 event notifications).
// A publication is an ordinary Publish, with its rules and errors, inside the caller's
// transaction.
namespace awsemu::sns {

class SnsApi {
  public:
    virtual ~SnsApi() = default;
    // Throws AwsError (NotFound, ...) as Publish would.
    virtual void publish(const RequestContext& ctx, const std::string& topic_arn,
                         const std::optional<std::string>& subject, const std::string& message) = 0;
    virtual bool topic_exists(const std::string& topic_arn) = 0;
};

// SNS's interface, once SNS has registered (services/all_services.cpp registers it before S3).
inline std::shared_ptr<SnsApi> sns_api(const ServiceEnvironment& environment) {
    const auto it = environment.apis.find("sns");
    return it == environment.apis.end() ? nullptr : std::static_pointer_cast<SnsApi>(it->second);
}

}  // namespace awsemu::sns
