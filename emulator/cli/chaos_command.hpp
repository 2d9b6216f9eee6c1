#pragma once

#include <ostream>
#include <string>

namespace awsemu {

// `awsemu chaos`: asks the awsemu at `endpoint` to take an availability zone down
// ("lose-zone"), bring it back ("restore-zone"), or says which zones are down (empty action).
// Answers the exit code: 0, 1 when nothing answered or it refused (the message says why).
int run_chaos(const std::string& endpoint, const std::string& action, const std::string& zone,
              std::ostream& out, std::ostream& err);

}  // namespace awsemu
