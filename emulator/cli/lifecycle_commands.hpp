#pragma once

#include <ostream>
#include <string>

namespace awsemu {

// `awsemu down`: asks the awsemu at `endpoint` to stop, then waits until it no longer answers.
// Answers the exit code: 0 once it has stopped, or when nothing answered (nothing to stop);
// 1 when it answered but would not stop, or is still answering after 30 s.
int run_down(const std::string& endpoint, std::ostream& out, std::ostream& err);

// `awsemu reset`: asks the awsemu at `endpoint` to empty its state. Answers 0, or 1 when
// nothing answered or it refused (the message says why).
int run_reset(const std::string& endpoint, std::ostream& out, std::ostream& err);

}  // namespace awsemu
