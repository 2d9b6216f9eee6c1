#include "emulator/cli/default_stack.hpp"

#include <filesystem>
#include <vector>

#include "emulator/cli/options.hpp"

namespace awsemu {

std::string default_stack_file() {
    namespace fs = std::filesystem;
    const fs::path relative = fs::path("fixtures") / "web-demo" / "stack.json";
    std::vector<fs::path> candidates;
    std::error_code error;
    const fs::path binary = fs::read_symlink("/proc/self/exe", error);
    if (!error) {
        candidates.push_back(binary.parent_path().parent_path() / relative);
        candidates.push_back(binary.parent_path().parent_path() / "share" / "awsemu" / relative);
    }
    candidates.push_back(fs::path(AWSEMU_SOURCE_DIR) / relative);
    std::string looked;
    for (const auto& candidate : candidates) {
        if (fs::is_regular_file(candidate, error)) {
            return candidate.lexically_normal().string();
        }
        looked += (looked.empty() ? "" : ", ") + candidate.lexically_normal().string();
    }
    throw UsageError("no default stack found (looked for " + looked +
                     "); pass --stack FILE, or --no-stack for the server alone");
}

}  // namespace awsemu
