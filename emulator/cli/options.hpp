#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/auth/authenticator.hpp"
#include "emulator/auth/credentials.hpp"
#include "emulator/request_log.hpp"

namespace awsemu {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 4566;
    std::string state_dir = ".awsemu";
    bool in_memory = false;
    bool fsync = false;  // checkpoints fsync: the state directory survives an OS crash
    AuthMode auth = AuthMode::Open;
    std::vector<StaticCredential> credentials;  // default test:test when none given
    double time_scale = 1.0;
    LogFormat log_format = LogFormat::Text;
    std::string account_id = "000000000000";
    std::string port_file;
    std::size_t max_body_size = 64 * 1024 * 1024;
    std::string image_map;  // ECS: which program each container image runs
    // `up`: the stack file to run once listening (empty: none).
    std::string stack_file;
    // `scenario`: the scenario file to run (its stack, then its load and faults).
    std::string scenario_file;
};

enum class Command { Serve, Up, Scenario, Status, Chaos, Down, Reset, Help, Version };

struct CommandLine {
    Command command = Command::Help;
    std::string help_topic;  // the command whose --help was asked for
    ServerOptions server;
    std::string endpoint = "http://127.0.0.1:4566";  // `status`, `chaos`, ...: the server to ask
    // `chaos`: "lose-zone", "restore-zone", "add-fault", "remove-fault", "clear-faults", or ""
    // for what is down; the zone or the fault's id; add-fault's fault, as JSON.
    std::string chaos_action;
    std::string chaos_target;
    std::string chaos_fault;
};

// Thrown for a command line we cannot run; the message says what to do instead.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

CommandLine parse_command_line(const std::vector<std::string>& arguments);
std::string help_text(const std::string& topic);

}  // namespace awsemu
