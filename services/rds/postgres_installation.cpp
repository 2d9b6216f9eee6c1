#include "services/rds/postgres_installation.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <vector>

namespace awsemu::rds {
namespace {

namespace fs = std::filesystem;

// The first line a command prints; "" when it cannot run.
std::string first_line(const std::string& command) {
    FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
    if (pipe == nullptr) {
        return {};
    }
    std::array<char, 512> buffer{};
    std::string line;
    if (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
        line = buffer.data();
    }
    ::pclose(pipe);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
        line.pop_back();
    }
    return line;
}

bool has_server(const std::string& dir) {
    return !dir.empty() && ::access((dir + "/initdb").c_str(), X_OK) == 0 &&
           ::access((dir + "/postgres").c_str(), X_OK) == 0;
}

std::vector<std::string> candidates() {
    std::vector<std::string> dirs;
    dirs.push_back(first_line("pg_config --bindir"));
    std::vector<std::pair<int, std::string>> debian;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
        const auto name = entry.path().filename().string();
        if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) {
            debian.emplace_back(std::stoi(name), (entry.path() / "bin").string());
        }
    }
    std::sort(debian.rbegin(), debian.rend());
    for (const auto& [major, dir] : debian) {
        dirs.push_back(dir);
    }
    if (const char* path = ::getenv("PATH")) {
        std::string_view rest(path);
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            dirs.emplace_back(rest.substr(0, colon));
            rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        }
    }
    return dirs;
}

}  // namespace

std::optional<PostgresInstallation> find_postgres() {
    for (const auto& dir : candidates()) {
        if (!has_server(dir)) {
            continue;
        }
        // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
        const auto line = first_line("'" + dir + "/postgres' --version");
        const auto close = line.find(") ");
        if (close == std::string::npos) {
            continue;
        }
        std::string version = line.substr(close + 2);
        version = version.substr(0, version.find(' '));
        PostgresInstallation found{dir, version, std::nullopt, std::nullopt};
        if (::geteuid() == 0) {
            const passwd* user = ::getpwnam("postgres");
            if (user == nullptr) {
                user = ::getpwnam("nobody");
            }
            if (user == nullptr) {
                return std::nullopt;
            }
            found.uid = user->pw_uid;
            found.gid = user->pw_gid;
        }
        return found;
    }
    return std::nullopt;
}

}  // namespace awsemu::rds
