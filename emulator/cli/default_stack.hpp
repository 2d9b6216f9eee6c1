#pragma once

#include <string>

namespace awsemu {

// The stack `awsemu up` runs when not told which: fixtures/web-demo/stack.json beside the
// binary's directory (build/awsemu in a checkout), under share/awsemu (an installation), or in
// the source tree it was built from. Throws UsageError saying where it looked.
std::string default_stack_file();

}  // namespace awsemu
