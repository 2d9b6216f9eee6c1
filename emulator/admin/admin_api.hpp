#pragma once

#include <functional>
#include <optional>

#include "emulator/auth/authenticator.hpp"
#include "emulator/chaos/api_faults.hpp"
#include "emulator/chaos/zone_outages.hpp"
#include "emulator/http/http_message.hpp"
#include "emulator/service_registry.hpp"
#include "emulator/store/database.hpp"

namespace awsemu {

// awsemu's own endpoints, which need no signature even in strict mode:
//   GET  /_awsemu/health      the services and their state
//   GET  /_awsemu/status      the same, with what each service runs (load balancers' URLs)
//   POST /_awsemu/reset       empties all state
//   POST /moto-api/reset      the same, as moto's server answers it
//   POST /moto-api/reset-auth moto's "initial no-auth action count"
//   GET  /_awsemu/<service>/... documents a service publishes (SNS's signing certificate)
//   GET  /_awsemu/chaos                     the zones that are down
//   POST /_awsemu/chaos/zones/ZONE/lose     takes an availability zone down
//   POST /_awsemu/chaos/zones/ZONE/restore  brings it back
class AdminApi {
  public:
    AdminApi(const ServiceRegistry& registry, Database& database, Authenticator& authenticator,
             ZoneOutages& zones, ApiFaults& faults)
        : registry_(registry),
          database_(database),
          authenticator_(authenticator),
          zones_(zones),
          faults_(faults) {}

    // The response, and the name the request log gives the operation.
    HttpResponse handle(const HttpRequest& request, std::string& operation_name);
    // What GET /_awsemu/status answers.
    nlohmann::json status_document() const;

    // Called by POST /_awsemu/shutdown (`awsemu down`) before it answers 202, so it must stop
    // the server a moment later, once the answer is written. Unset, the endpoint answers 404.
    std::function<void()> on_shutdown;

  private:
    HttpResponse health() const;
    std::optional<HttpResponse> public_document(const HttpRequest& request) const;
    HttpResponse reset();
    HttpResponse reset_auth(const HttpRequest& request);
    std::optional<HttpResponse> chaos(const HttpRequest& request, std::string& operation_name);
    std::optional<HttpResponse> faults(const HttpRequest& request, std::string& operation_name);
    nlohmann::json chaos_document() const;

    const ServiceRegistry& registry_;
    Database& database_;
    Authenticator& authenticator_;
    ZoneOutages& zones_;
    ApiFaults& faults_;
};

}  // namespace awsemu
