#pragma once

#include <string>

#include "emulator/http/http_message.hpp"
#include "emulator/service_registry.hpp"

namespace awsemu {

enum class RouteKind { Admin, Service, Unknown };

struct Route {
    RouteKind kind = RouteKind::Unknown;
    const ServiceDefinition* service = nullptr;
    // The protocol to answer in, even when no service was found (from the request's look).
    Protocol protocol = Protocol::RestXml;
};

// Picks the service a request is for, in DESIGN.md's order: awsemu's own paths, X-Amz-Target,
// the SigV4 credential scope's service, the query form's Version, and finally S3.
// Reads only the request line and headers, so it can route a request whose body was refused.
class Router {
  public:
    explicit Router(const ServiceRegistry& registry) : registry_(registry) {}
    Route route(const HttpRequest& request, bool body_available = true) const;

  private:
    const ServiceRegistry& registry_;
};

// The service named in a request's SigV4 credential scope ("sqs", "s3", ...), or empty.
std::string signing_service_of(const HttpRequest& request);

}  // namespace awsemu
