#pragma once

#include <optional>
#include <string>

namespace awsemu {

// The whole content of a file the user named (a stack, a scenario, an image map); nullopt when
// it cannot be read.
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace awsemu
