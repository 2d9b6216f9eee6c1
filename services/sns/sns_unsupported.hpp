#pragma once

#include "emulator/service.hpp"

// Mobile push (platform applications and endpoints) and SMS, which awsemu does not emulate:
// they answer as AWS answers an account that has none of them (empty lists, NotFound for an
// application or endpoint, AWS's refusal of platform credentials it cannot check).
namespace awsemu::sns {

void add_unsupported_operations(ServiceDefinition& definition);

}  // namespace awsemu::sns
