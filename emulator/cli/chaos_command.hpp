#pragma once

#include <ostream>
#include <string>

namespace awsemu {

// `awsemu chaos`: asks the awsemu at `endpoint` to take an availability zone down
// ("lose-zone" `target`), bring it back ("restore-zone"), add a fault to its API ("add-fault",
// `fault` as JSON), remove one ("remove-fault" `target`: its id) or all ("clear-faults"), or
// says which zones are down and which faults are in place (empty action). Answers the exit
// code: 0, 1 when nothing answered or it refused (the message says why).
int run_chaos(const std::string& endpoint, const std::string& action, const std::string& target,
              const std::string& fault, std::ostream& out, std::ostream& err);

}  // namespace awsemu
