#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "emulator/store/group_commit.hpp"

// Runs AWS operations inside awsemu, as a request would run them but without the wire: the
// input is the operation's input as the service model names it, the result is what the codec
// would encode. Each call is one unit of the group commit, like a request. Call only from the
// event loop's thread.
namespace awsemu::stack {

class OperationCaller {
  public:
    OperationCaller(const ServiceRegistry& registry, GroupCommit& commits, const Clock& clock,
                    Scope scope, std::function<std::string()> endpoint)
        : registry_(registry),
          commits_(commits),
          clock_(clock),
          scope_(std::move(scope)),
          endpoint_(std::move(endpoint)) {}

    // Throws the operation's AwsError, or StackError for a service or operation awsemu lacks.
    nlohmann::json call(const std::string& service, const std::string& operation,
                        const nlohmann::json& input);

    // A request to a service whose operations are HTTP requests (S3); `input` may hold
    // "headers" (an object) and "body" (a string). Answers {"status", "headers"}; throws
    // StackError with the answer when it is not a success.
    nlohmann::json request(const std::string& service, const std::string& method,
                           const std::string& target, const nlohmann::json& input);

  private:
    const ServiceDefinition& find(const std::string& service) const;
    RequestContext context() const;

    const ServiceRegistry& registry_;
    GroupCommit& commits_;
    const Clock& clock_;
    Scope scope_;
    std::function<std::string()> endpoint_;
};

// "Code: message" of an operation's error, for people.
std::string describe(const AwsError& error);

}  // namespace awsemu::stack
