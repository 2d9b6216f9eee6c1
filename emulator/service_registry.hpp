#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/service.hpp"

namespace awsemu {

class Database;
class CredentialRegistry;
class HttpClient;
class ProcessSupervisor;
class ReverseProxies;
class Scheduler;
class LocalPorts;
class ZoneOutages;

// What a service may use when it is set up.
struct ServiceEnvironment {
    Database& database;
    const Clock& clock;
    Scheduler& scheduler;             // timers and deferred work on the server's event loop
    CredentialRegistry& credentials;  // STS adds the keys it issues
    std::string default_account_id;
    // Where services keep large payloads as files (S3 objects): under the state directory, or a
    // temporary directory removed at exit with --in-memory.
    std::string data_dir = {};
    // The narrow interfaces services offer each other (<svc>_api.hpp), by service name: a
    // service adds its own when it registers and reads another's through that header.
    std::map<std::string, std::shared_ptr<void>, std::less<>> apis = {};
    // Sends HTTP requests from the event loop (SNS delivering to HTTP subscribers).
    HttpClient* http_client = nullptr;
    // Runs child processes (ECS tasks' containers and their health checks).
    ProcessSupervisor* processes = nullptr;
    // Reserves local ports for servers awsemu runs (RDS instance endpoints).
    LocalPorts* local_ports = nullptr;
    // The URL a process on this machine reaches awsemu at ("http://127.0.0.1:4566"): what ECS
    // tasks get as AWS_ENDPOINT_URL. Known once the server listens, so call it from work that
    // runs on the event loop, not while registering.
    std::function<std::string()> local_endpoint = {};
    // Starts reverse proxies on the event loop (ALB listeners).
    ReverseProxies* proxies = nullptr;
    // The availability zones chaos has taken down; services listen for changes while they
    // register (null in tests that need none).
    ZoneOutages* zones = nullptr;
    // --image-map: the file saying which program each container image runs (empty: none).
    std::string image_map_path = {};
};

// Every service the server runs. Services add themselves (services/all_services.cpp); the
// router finds them by X-Amz-Target prefix, signing name or query version.
class ServiceRegistry {
  public:
    void add(ServiceDefinition definition);

    const ServiceDefinition* by_target_prefix(std::string_view prefix) const;
    const ServiceDefinition* by_signing_name(std::string_view name) const;
    const ServiceDefinition* by_query_version(std::string_view version) const;
    const ServiceDefinition* by_protocol(Protocol protocol) const;
    const std::vector<std::unique_ptr<ServiceDefinition>>& all() const { return services_; }

  private:
    std::vector<std::unique_ptr<ServiceDefinition>> services_;
};

// Defined in services/all_services.cpp: one line per service.
void register_services(ServiceRegistry& registry, ServiceEnvironment& environment);

}  // namespace awsemu
