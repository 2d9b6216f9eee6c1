#pragma once

#include <memory>

#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"

// Tasks and services on top of the control plane: their operations, the process runtime, the
// service scheduler, the metadata and credentials endpoints, and what a restart means for
// them. Only where the server can run processes (not in unit tests of the control plane).
namespace awsemu::ecs {

struct EcsContext;

// Throws std::invalid_argument when the --image-map file cannot be used.
void add_workloads(ServiceDefinition& definition, const std::shared_ptr<EcsContext>& ecs,
                   ServiceEnvironment& environment);

}  // namespace awsemu::ecs
