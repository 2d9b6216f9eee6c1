#pragma once

#include <functional>

#include "emulator/cli/options.hpp"
#include "emulator/service_registry.hpp"

namespace awsemu {

using ServiceRegistration = std::function<void(ServiceRegistry&, ServiceEnvironment&)>;

// Wires the server together (state, clock, credentials, services, HTTP) and runs it until
// SIGINT or SIGTERM. Answers the process exit code.
int run_server(const ServerOptions& options, const ServiceRegistration& register_all,
               bool announce_progress);

}  // namespace awsemu
