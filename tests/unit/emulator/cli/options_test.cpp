#include "emulator/cli/options.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace awsemu;

namespace {

using Args = std::vector<std::string>;

// The UsageError message parse_command_line gives for `args`.
std::string usage_error(const Args& args) {
    try {
        parse_command_line(args);
    } catch (const UsageError& error) {
        return error.what();
    }
    FAIL("no UsageError was thrown");
    return {};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Every option serve and up take, as the help lists them.
const std::vector<std::string> kServerFlags = {
    "--host",       "--port",          "--port-file",   "--state-dir",  "--in-memory",
    "--fsync",      "--auth",          "--credentials", "--account-id", "--time-scale",
    "--log-format", "--max-body-size", "--help"};

}  // namespace

TEST_CASE("Options serve has the documented defaults", "[cli][unit]") {
    const auto line = parse_command_line({"serve"});
    CHECK(line.command == Command::Serve);
    const ServerOptions& o = line.server;
    CHECK(o.host == "127.0.0.1");
    CHECK(o.port == 4566);
    CHECK(o.port_file.empty());
    CHECK(o.state_dir == ".awsemu");
    CHECK_FALSE(o.in_memory);
    CHECK_FALSE(o.fsync);
    CHECK(o.auth == AuthMode::Open);
    REQUIRE(o.credentials.size() == 1);
    CHECK(o.credentials[0].access_key_id == "test");
    CHECK(o.credentials[0].secret_access_key == "test");
    CHECK(o.account_id == "000000000000");
    CHECK(o.time_scale == 1.0);
    CHECK(o.log_format == LogFormat::Text);
    CHECK(o.max_body_size == 67108864);
}

TEST_CASE("Options up is the up command with the same options", "[cli][unit]") {
    const auto line = parse_command_line({"up", "--port", "0"});
    CHECK(line.command == Command::Up);
    CHECK(line.server.port == 0);
}

TEST_CASE("Options up runs the demo stack unless told another or none", "[cli][unit]") {
    const auto defaults = parse_command_line({"up"});
    CHECK(defaults.server.stack_file.ends_with("/fixtures/web-demo/stack.json"));
    CHECK(std::filesystem::is_regular_file(defaults.server.stack_file));
    CHECK(parse_command_line({"up", "--stack", "my.json"}).server.stack_file == "my.json");
    CHECK(parse_command_line({"up", "--no-stack"}).server.stack_file.empty());
    CHECK(parse_command_line({"serve"}).server.stack_file.empty());
    CHECK(usage_error({"up", "--no-stack", "--stack", "x.json"}) ==
          "--stack and --no-stack exclude each other");
    CHECK(contains(usage_error({"serve", "--stack", "x.json"}), "unknown option --stack"));
    CHECK(contains(usage_error({"up", "--stack"}), "--stack needs a value"));
    CHECK(contains(help_text("up"), "--no-stack"));
}

TEST_CASE("Options parses every server flag", "[cli][unit]") {
    const auto line = parse_command_line({"serve",
                                          "--host",
                                          "0.0.0.0",
                                          "--port",
                                          "0",
                                          "--port-file",
                                          "/tmp/p",
                                          "--state-dir",
                                          "/var/awsemu",
                                          "--in-memory",
                                          "--auth",
                                          "strict",
                                          "--credentials",
                                          "AKIDSTRICT:good:secret",
                                          "--credentials",
                                          "123456789012:s2",
                                          "--account-id",
                                          "210987654321",
                                          "--time-scale",
                                          "0.1",
                                          "--log-format",
                                          "json",
                                          "--max-body-size",
                                          "2048"});
    const ServerOptions& o = line.server;
    CHECK(o.host == "0.0.0.0");
    CHECK(o.port == 0);
    CHECK(o.port_file == "/tmp/p");
    CHECK(o.state_dir == "/var/awsemu");
    CHECK(o.in_memory);
    CHECK(o.auth == AuthMode::Strict);
    REQUIRE(o.credentials.size() == 2);
    CHECK(o.credentials[0].access_key_id == "AKIDSTRICT");
    CHECK(o.credentials[0].secret_access_key == "good:secret");
    CHECK(o.credentials[1].access_key_id == "123456789012");
    CHECK(o.credentials[1].secret_access_key == "s2");
    CHECK(o.account_id == "210987654321");
    CHECK(o.time_scale == 0.1);
    CHECK(o.log_format == LogFormat::Json);
    CHECK(o.max_body_size == 2048);
}

TEST_CASE("Options: --fsync needs a state directory", "[cli][unit]") {
    CHECK(parse_command_line({"serve", "--fsync"}).server.fsync);
    CHECK(parse_command_line({"up", "--state-dir", "/tmp/x", "--fsync"}).server.fsync);
    CHECK(usage_error({"serve", "--in-memory", "--fsync"}) ==
          "--fsync and --in-memory exclude each other: nothing is on disk to sync");
    CHECK(contains(usage_error({"scenario", "s.json", "--fsync"}), "exclude each other"));
}

TEST_CASE("Options accept the limits of each number", "[cli][unit]") {
    CHECK(parse_command_line({"serve", "--port", "65535"}).server.port == 65535);
    CHECK(parse_command_line({"serve", "--max-body-size", "1024"}).server.max_body_size == 1024);
    CHECK(parse_command_line({"serve", "--time-scale", "1000"}).server.time_scale == 1000);
    CHECK(parse_command_line({"serve", "--auth", "open"}).server.auth == AuthMode::Open);
    CHECK(parse_command_line({"serve", "--log-format", "text"}).server.log_format ==
          LogFormat::Text);
}

TEST_CASE("Options a later flag wins over an earlier one", "[cli][unit]") {
    CHECK(parse_command_line({"serve", "--port", "1", "--port", "2"}).server.port == 2);
}

TEST_CASE("Options unknown flag names the flag and the help to read", "[cli][unit]") {
    const auto serve = usage_error({"serve", "--bogus"});
    CHECK(contains(serve, "unknown option --bogus"));
    CHECK(contains(serve, "awsemu serve --help"));
    CHECK(contains(usage_error({"up", "--port", "1", "-x"}), "awsemu up --help"));
    CHECK(contains(usage_error({"serve", "--port=4566"}), "--port=4566"));
}

TEST_CASE("Options flag without its value says it needs one", "[cli][unit]") {
    for (const std::string flag :
         {"--host", "--port", "--port-file", "--state-dir", "--auth", "--credentials",
          "--account-id", "--time-scale", "--log-format", "--max-body-size"}) {
        INFO(flag);
        CHECK(usage_error({"serve", flag}) == flag + " needs a value; see --help");
    }
}

TEST_CASE("Options bad numbers name the flag and the range", "[cli][unit]") {
    for (const std::string value : {"70000", "-1", "abc", "", "80x", "4566.0"}) {
        INFO(value);
        CHECK(usage_error({"serve", "--port", value}) ==
              "--port " + value + ": expected a number from 0 to 65535");
    }
    CHECK(contains(usage_error({"serve", "--threads", "2"}), "unknown option --threads"));
    CHECK(contains(usage_error({"serve", "--max-body-size", "1023"}),
                   "--max-body-size 1023: expected a number from 1024 to"));
}

TEST_CASE("Options bad choices name the flag and the choices", "[cli][unit]") {
    CHECK(usage_error({"serve", "--auth", "maybe"}) == "--auth maybe: expected open or strict");
    CHECK(usage_error({"serve", "--log-format", "xml"}) ==
          "--log-format xml: expected text or json");
    CHECK(usage_error({"serve", "--account-id", "12345"}) ==
          "--account-id 12345: expected 12 digits");
    CHECK(usage_error({"serve", "--account-id", "12345678901x"}) ==
          "--account-id 12345678901x: expected 12 digits");
}

TEST_CASE("Options credentials must be KEY:SECRET", "[cli][unit]") {
    for (const std::string pair : {"nocolon", ":secret", "key:", ":"}) {
        INFO(pair);
        CHECK(usage_error({"serve", "--credentials", pair}) ==
              "--credentials " + pair + ": expected KEY:SECRET");
    }
}

TEST_CASE("Options time scale must be a positive number up to 1000", "[cli][unit]") {
    for (const std::string value : {"0", "-1", "abc", "1001", "0.1x", ""}) {
        INFO(value);
        CHECK(usage_error({"serve", "--time-scale", value}) ==
              "--time-scale " + value +
                  ": expected a positive number such as 0.1 (ten times faster)");
    }
}

TEST_CASE("Options unknown command points to --help", "[cli][unit]") {
    CHECK(usage_error({"serv"}) == "unknown command 'serv'; run `awsemu --help` for the commands");
    CHECK(contains(usage_error({"--port", "1"}), "unknown command '--port'"));
}

TEST_CASE("Options no arguments, -h and --help ask for the general help", "[cli][unit]") {
    for (const Args& args : {Args{}, Args{"-h"}, Args{"--help"}}) {
        const auto line = parse_command_line(args);
        CHECK(line.command == Command::Help);
        CHECK(line.help_topic.empty());
    }
}

TEST_CASE("Options --help after a command asks for that command's help", "[cli][unit]") {
    for (const std::string command : {"serve", "up"}) {
        for (const std::string flag : {"--help", "-h"}) {
            INFO(command << " " << flag);
            const auto line = parse_command_line({command, flag});
            CHECK(line.command == Command::Help);
            CHECK(line.help_topic == command);
        }
    }
    const auto after_options = parse_command_line({"serve", "--port", "1", "--help", "--bogus"});
    CHECK(after_options.command == Command::Help);
    CHECK(after_options.help_topic == "serve");
}

TEST_CASE("Options help command takes a topic", "[cli][unit]") {
    const auto line = parse_command_line({"help", "serve"});
    CHECK(line.command == Command::Help);
    CHECK(line.help_topic == "serve");
    CHECK(parse_command_line({"help"}).help_topic.empty());
}

TEST_CASE("Options version asks for the version", "[cli][unit]") {
    CHECK(parse_command_line({"--version"}).command == Command::Version);
    CHECK(parse_command_line({"version"}).command == Command::Version);
}

TEST_CASE("Options general help names the commands and how to get more", "[cli][unit]") {
    const auto text = help_text("");
    CHECK(contains(text, "Usage: awsemu <command> [options]"));
    CHECK(contains(text, "serve"));
    CHECK(contains(text, "up"));
    CHECK(contains(text, "--help"));
    CHECK(contains(text, "--endpoint-url"));
}

TEST_CASE("Options command help documents every flag the command takes", "[cli][unit]") {
    for (const std::string command : {"serve", "up"}) {
        const auto text = help_text(command);
        INFO(command);
        CHECK(contains(text, "Usage: awsemu " + command +
                                 (command == "up" ? " [--stack FILE | --no-stack]" : "") +
                                 " [options]"));
        for (const auto& flag : kServerFlags) {
            INFO(flag);
            CHECK(contains(text, flag));
        }
        CHECK(contains(text, "/_awsemu/health"));
        CHECK(contains(text, "/moto-api/reset-auth"));
    }
}

TEST_CASE("Options help for an unknown topic is a usage error", "[cli][unit]") {
    try {
        help_text("frobnicate");
        FAIL("no UsageError was thrown");
    } catch (const UsageError& error) {
        CHECK(std::string(error.what()) ==
              "no help for 'frobnicate'; the commands are up, serve, scenario, status, chaos, "
              "reset and down");
    }
}

TEST_CASE("Options: status asks a running awsemu, at --endpoint", "[cli][unit]") {
    CHECK(parse_command_line({"status"}).command == Command::Status);
    CHECK(parse_command_line({"status"}).endpoint == "http://127.0.0.1:4566");
    const auto line = parse_command_line({"status", "--endpoint", "http://127.0.0.1:5000"});
    CHECK(line.endpoint == "http://127.0.0.1:5000");
    CHECK(parse_command_line({"status", "--help"}).help_topic == "status");
    CHECK_THROWS_AS(parse_command_line({"status", "--port", "1"}), UsageError);
    CHECK(help_text("status").find("GET /_awsemu/status") != std::string::npos);
}

TEST_CASE("Options: down and reset ask a running awsemu, at --endpoint", "[cli][unit]") {
    for (const auto& [name, command] : std::vector<std::pair<std::string, Command>>{
             {"down", Command::Down}, {"reset", Command::Reset}}) {
        CHECK(parse_command_line({name}).command == command);
        CHECK(parse_command_line({name}).endpoint == "http://127.0.0.1:4566");
        const auto line = parse_command_line({name, "--endpoint", "http://127.0.0.1:5000"});
        CHECK(line.command == command);
        CHECK(line.endpoint == "http://127.0.0.1:5000");
        CHECK(parse_command_line({name, "--help"}).help_topic == name);
        CHECK(usage_error({name, "--port", "1"}) ==
              "unknown option --port; see `awsemu " + name + " --help`");
        CHECK(contains(help_text(""), "  " + name + " "));
    }
    CHECK(contains(help_text("down"), "POST /_awsemu/shutdown"));
    CHECK(contains(help_text("reset"), "POST /_awsemu/reset"));
}

TEST_CASE("Options chaos add-fault turns its flags into the fault's JSON", "[cli][unit]") {
    const auto line =
        parse_command_line({"chaos",         "add-fault",   "--service",    "sqs",
                            "--operation",   "SendMessage", "--error",      "ThrottlingException",
                            "--probability", "0.5",         "--latency-ms", "200",
                            "--count",       "3",           "--status",     "429",
                            "--message",     "slow down",   "--endpoint",   "http://127.0.0.1:9"});
    CHECK(line.command == Command::Chaos);
    CHECK(line.chaos_action == "add-fault");
    CHECK(line.endpoint == "http://127.0.0.1:9");
    CHECK(nlohmann::json::parse(line.chaos_fault) ==
          nlohmann::json{{"service", "sqs"},
                         {"operation", "SendMessage"},
                         {"error", "ThrottlingException"},
                         {"probability", 0.5},
                         {"latency_ms", 200},
                         {"count", 3},
                         {"status", 429},
                         {"message", "slow down"}});
    CHECK(parse_command_line({"chaos", "add-fault"}).chaos_fault == "{}");  // the server says why
    CHECK(nlohmann::json::parse(
              parse_command_line({"chaos", "add-fault", "--probability", ".5"}).chaos_fault) ==
          nlohmann::json{{"probability", 0.5}});
    CHECK(usage_error({"chaos", "add-fault", "--count", "many"}) ==
          "--count many: expected a number");
    CHECK(usage_error({"chaos", "add-fault", "--zone", "a"}) ==
          "unexpected '--zone'; see `awsemu chaos --help`");
    CHECK(usage_error({"chaos", "--service", "sqs"}) ==
          "unexpected '--service'; see `awsemu chaos --help`");
    const auto remove = parse_command_line({"chaos", "remove-fault", "fault-2"});
    CHECK(remove.chaos_action == "remove-fault");
    CHECK(remove.chaos_target == "fault-2");
    CHECK(parse_command_line({"chaos", "clear-faults"}).chaos_action == "clear-faults");
    CHECK(usage_error({"chaos", "clear-faults", "fault-1"}) ==
          "unexpected 'fault-1'; see `awsemu chaos --help`");
}

TEST_CASE("Options chaos names an action and a zone, or none for the status", "[cli][unit]") {
    const auto status = parse_command_line({"chaos"});
    CHECK(status.command == Command::Chaos);
    CHECK(status.chaos_action.empty());
    const auto lose = parse_command_line(
        {"chaos", "lose-zone", "us-east-1a", "--endpoint", "http://127.0.0.1:9"});
    CHECK(lose.chaos_action == "lose-zone");
    CHECK(lose.chaos_target == "us-east-1a");
    CHECK(lose.endpoint == "http://127.0.0.1:9");
    CHECK(parse_command_line({"chaos", "restore-zone", "eu-west-1b"}).chaos_action ==
          "restore-zone");
    CHECK(contains(usage_error({"chaos", "lose-zone"}), "lose-zone needs a value"));
    CHECK(usage_error({"chaos", "explode"}) == "unexpected 'explode'; see `awsemu chaos --help`");
    CHECK(usage_error({"chaos", "lose-zone", "a", "restore-zone", "b"}) ==
          "unexpected 'restore-zone'; see `awsemu chaos --help`");
    CHECK(parse_command_line({"chaos", "--help"}).command == Command::Help);
    CHECK(contains(help_text("chaos"), "POST /_awsemu/chaos/zones/ZONE/lose"));
    CHECK(contains(help_text("chaos"), "POST /_awsemu/chaos/faults"));
    CHECK(contains(help_text(""), "chaos"));
}
