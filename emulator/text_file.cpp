#include "emulator/text_file.hpp"

#include <fstream>
#include <sstream>

namespace awsemu {

std::optional<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace awsemu
