#pragma once

#include <ostream>
#include <string>

namespace awsemu {

// `awsemu status`: asks the server at `endpoint` for GET /_awsemu/status and prints it for
// people. Answers the exit code: 0, or 1 when nothing answered (the message says what to do).
int print_status(const std::string& endpoint, std::ostream& out, std::ostream& err);

}  // namespace awsemu
