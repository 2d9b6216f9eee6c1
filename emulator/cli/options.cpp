#include "emulator/cli/options.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>

#include <nlohmann/json.hpp>

#include "emulator/cli/default_stack.hpp"

namespace awsemu {
namespace {

constexpr const char* kGeneralHelp =
    R"(awsemu - AWS on your laptop: Secrets Manager, STS and more, for real clients

Usage: awsemu <command> [options]

Commands:
  up        Start awsemu in the foreground and bring up a stack (default: the demo web
            stack: ALB, two ECS services across two AZs, PostgreSQL, queues, topics)
  serve     Run the server in the foreground
  status    Show a running awsemu's services and load balancers (with their local URLs)
  chaos     Take an availability zone down in a running awsemu, or make its API fail
  reset     Empty a running awsemu: every resource of every service is gone
  down      Stop a running awsemu
  scenario  Run a chaos scenario: a stack, load against it, faults, and what must hold
  help      Show this text, or `awsemu help <command>`

Run `awsemu <command> --help` for a command's options.
Point clients at it:  aws --endpoint-url http://127.0.0.1:4566 secretsmanager list-secrets
                      export AWS_ENDPOINT_URL=http://127.0.0.1:4566
)";

constexpr const char* kServerOptionsHelp = R"(
Options:
  --host ADDRESS          Address to listen on (default 127.0.0.1; binding another address
                          is an explicit choice: awsemu has no authorization)
  --port PORT             Port to listen on (default 4566; 0 picks a free port)
  --port-file FILE        Write the bound port to FILE once listening (for scripts and tests)
  --state-dir DIR         Where state lives (default .awsemu); restarting on the same
                          directory brings every resource back
  --in-memory             Keep no state on disk
  --fsync                 Make the state database survive an operating-system crash or
                          power loss too, not only awsemu being killed (slower writes)
  --auth open|strict      open (default): any credentials are accepted;
                          strict: SigV4 signatures are verified against --credentials
  --credentials KEY:SECRET
                          An access key pair strict mode accepts; repeatable
                          (default test:test). A 12-digit KEY is that account's key.
  --account-id ID         The account of keys that are not 12 digits (default 000000000000)
  --time-scale X          Run AWS's intervals X times as long (0.1: ten times faster)
  --log-format text|json  One line per request: time, service, operation, status,
                          duration, request id (default text)
  --max-body-size BYTES   Largest request body accepted (default 67108864)
  --image-map FILE        ECS: which program each container image runs, a JSON object
                          from image reference (exact or with * wildcards) to
                          {"entryPoint": [...], "command": [...], "workingDirectory": "..."};
                          image awsemu/host runs a container's entryPoint and command as given
  -h, --help              Show this text

Endpoints of awsemu itself (no signature needed, even with --auth strict):
  GET  /_awsemu/health       services and their state (JSON)
  GET  /_awsemu/status       the same, with every ALB listener's local URL (JSON)
  POST /_awsemu/reset        empty all state
  POST /moto-api/reset       the same, answered as moto's server does
  POST /moto-api/reset-auth  moto's initial no-auth action count
  GET  /_awsemu/chaos        the availability zones that are down, the API faults (JSON)
  POST /_awsemu/chaos/zones/ZONE/lose|restore
                             take a zone down, bring it back (see `awsemu chaos --help`)
  POST /_awsemu/chaos/faults make API calls fail or answer late; DELETE removes them
  POST /_awsemu/shutdown     stop awsemu (what `awsemu down` asks)
)";

std::string_view require_value(const std::vector<std::string>& args, std::size_t& i) {
    if (i + 1 >= args.size()) {
        throw UsageError(args[i] + " needs a value; see --help");
    }
    return args[++i];
}

template <class Number>
Number parse_number(std::string_view flag, std::string_view text, Number low, Number high) {
    Number value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
        throw UsageError(std::string(flag) + " " + std::string(text) + ": expected a number from " +
                         std::to_string(low) + " to " + std::to_string(high));
    }
    return value;
}

double parse_time_scale(std::string_view text) {
    try {
        std::size_t used = 0;
        const double value = std::stod(std::string(text), &used);
        if (used == text.size() && value > 0 && value <= 1000) {
            return value;
        }
    } catch (const std::exception&) {
    }
    throw UsageError("--time-scale " + std::string(text) +
                     ": expected a positive number such as 0.1 (ten times faster)");
}

void parse_server_option(const std::vector<std::string>& args, std::size_t& i, ServerOptions& out) {
    const std::string& flag = args[i];
    if (flag == "--host") {
        out.host = require_value(args, i);
    } else if (flag == "--port") {
        out.port = parse_number<std::uint16_t>(flag, require_value(args, i), 0, 65535);
    } else if (flag == "--port-file") {
        out.port_file = require_value(args, i);
    } else if (flag == "--state-dir") {
        out.state_dir = require_value(args, i);
    } else if (flag == "--in-memory") {
        out.in_memory = true;
    } else if (flag == "--fsync") {
        out.fsync = true;
    } else if (flag == "--auth") {
        const auto mode = require_value(args, i);
        if (mode != "open" && mode != "strict") {
            throw UsageError("--auth " + std::string(mode) + ": expected open or strict");
        }
        out.auth = mode == "strict" ? AuthMode::Strict : AuthMode::Open;
    } else if (flag == "--credentials") {
        const auto pair = require_value(args, i);
        const auto colon = pair.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == pair.size()) {
            throw UsageError("--credentials " + std::string(pair) + ": expected KEY:SECRET");
        }
        out.credentials.push_back(
            {std::string(pair.substr(0, colon)), std::string(pair.substr(colon + 1))});
    } else if (flag == "--account-id") {
        out.account_id = require_value(args, i);
        if (!is_account_id(out.account_id)) {
            throw UsageError("--account-id " + out.account_id + ": expected 12 digits");
        }
    } else if (flag == "--time-scale") {
        out.time_scale = parse_time_scale(require_value(args, i));
    } else if (flag == "--log-format") {
        const auto format = require_value(args, i);
        if (format != "text" && format != "json") {
            throw UsageError("--log-format " + std::string(format) + ": expected text or json");
        }
        out.log_format = format == "json" ? LogFormat::Json : LogFormat::Text;
    } else if (flag == "--max-body-size") {
        out.max_body_size =
            parse_number<std::size_t>(flag, require_value(args, i), 1024, std::size_t{1} << 40);
    } else if (flag == "--image-map") {
        out.image_map = require_value(args, i);
    } else {
        throw UsageError("unknown option " + flag + "; see `awsemu " + args[0] + " --help`");
    }
}

// add-fault's flags, each a member of the fault's JSON (numbers as numbers).
void parse_fault_flag(const std::vector<std::string>& args, std::size_t& i, nlohmann::json& fault) {
    static const std::map<std::string, std::pair<std::string, bool>, std::less<>> kFlags = {
        {"--service", {"service", false}}, {"--operation", {"operation", false}},
        {"--error", {"error", false}},     {"--message", {"message", false}},
        {"--status", {"status", true}},    {"--latency-ms", {"latency_ms", true}},
        {"--count", {"count", true}},      {"--probability", {"probability", true}}};
    const auto flag = kFlags.find(args[i]);
    if (flag == kFlags.end()) {
        throw UsageError("unexpected '" + args[i] + "'; see `awsemu chaos --help`");
    }
    const std::string value(require_value(args, i));
    const auto& [member, numeric] = flag->second;
    if (!numeric) {
        fault[member] = value;
        return;
    }
    // The server checks the range; integers stay integers, as it wants them.
    char* end = nullptr;
    errno = 0;
    const double number = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || errno != 0) {
        throw UsageError(flag->first + " " + value + ": expected a number");
    }
    if (number == std::floor(number) && std::abs(number) < 1e15) {
        fault[member] = static_cast<std::int64_t>(number);
    } else {
        fault[member] = number;
    }
}

void parse_chaos(const std::vector<std::string>& args, CommandLine& line) {
    nlohmann::json fault = nlohmann::json::object();
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--endpoint") {
            line.endpoint = require_value(args, i);
        } else if (!line.chaos_action.empty() && line.chaos_action != "add-fault") {
            throw UsageError("unexpected '" + arg + "'; see `awsemu chaos --help`");
        } else if (line.chaos_action.empty() &&
                   (arg == "lose-zone" || arg == "restore-zone" || arg == "remove-fault")) {
            line.chaos_action = arg;
            line.chaos_target = require_value(args, i);
        } else if (line.chaos_action.empty() && (arg == "add-fault" || arg == "clear-faults")) {
            line.chaos_action = arg;
        } else if (line.chaos_action == "add-fault") {
            parse_fault_flag(args, i, fault);
        } else {
            throw UsageError("unexpected '" + arg + "'; see `awsemu chaos --help`");
        }
    }
    if (line.chaos_action == "add-fault") {
        line.chaos_fault = fault.dump();
    }
}

}  // namespace

CommandLine parse_command_line(const std::vector<std::string>& args) {
    CommandLine line;
    if (args.empty() || args[0] == "-h" || args[0] == "--help") {
        return line;
    }
    if (args[0] == "--version" || args[0] == "version") {
        line.command = Command::Version;
        return line;
    }
    if (args[0] == "help") {
        line.help_topic = args.size() > 1 ? args[1] : "";
        return line;
    }
    const bool known = args[0] == "serve" || args[0] == "up" || args[0] == "scenario" ||
                       args[0] == "status" || args[0] == "chaos" || args[0] == "down" ||
                       args[0] == "reset";
    if (known && std::any_of(args.begin() + 1, args.end(), [](const std::string& arg) {
            return arg == "-h" || arg == "--help";
        })) {
        line.help_topic = args[0];  // `awsemu COMMAND ... --help`: the command's help
        return line;
    }
    if (args[0] == "status" || args[0] == "down" || args[0] == "reset") {
        line.command = args[0] == "status" ? Command::Status
                       : args[0] == "down" ? Command::Down
                                           : Command::Reset;
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (args[i] != "--endpoint") {
                throw UsageError("unknown option " + args[i] + "; see `awsemu " + args[0] +
                                 " --help`");
            }
            line.endpoint = require_value(args, i);
        }
        return line;
    }
    if (args[0] == "chaos") {
        line.command = Command::Chaos;
        parse_chaos(args, line);
        return line;
    }
    if (args[0] != "serve" && args[0] != "up" && args[0] != "scenario") {
        throw UsageError("unknown command '" + args[0] + "'; run `awsemu --help` for the commands");
    }
    line.command = args[0] == "up" ? Command::Up : Command::Serve;
    std::size_t first_option = 1;
    if (args[0] == "scenario") {
        line.command = Command::Scenario;
        if (args.size() < 2 || args[1].starts_with("-")) {
            throw UsageError(
                "awsemu scenario needs a scenario file, e.g. "
                "scenarios/zone-loss.json; see `awsemu scenario --help`");
        }
        line.server.scenario_file = args[1];
        line.server.in_memory = true;  // a scenario starts from nothing and leaves nothing
        first_option = 2;
    }
    bool no_stack = false;
    for (std::size_t i = first_option; i < args.size(); ++i) {
        if (line.command == Command::Up && args[i] == "--stack") {
            line.server.stack_file = require_value(args, i);
        } else if (line.command == Command::Up && args[i] == "--no-stack") {
            no_stack = true;
        } else {
            parse_server_option(args, i, line.server);
        }
    }
    if (line.server.fsync && line.server.in_memory) {
        throw UsageError("--fsync and --in-memory exclude each other: nothing is on disk to sync");
    }
    if (no_stack && !line.server.stack_file.empty()) {
        throw UsageError("--stack and --no-stack exclude each other");
    }
    if (line.command == Command::Up && !no_stack && line.server.stack_file.empty()) {
        line.server.stack_file = default_stack_file();
    }
    if (line.server.credentials.empty()) {
        line.server.credentials.push_back({"test", "test"});
    }
    return line;
}

std::string help_text(const std::string& topic) {
    std::string text;
    if (topic == "serve") {
        text =
            "Usage: awsemu serve [options]\n\nRuns the awsemu server in the foreground until "
            "Ctrl-C (SIGINT) or SIGTERM.\n";
    } else if (topic == "up") {
        text =
            "Usage: awsemu up [--stack FILE | --no-stack] [options]\n\n"
            "Starts awsemu in the foreground, then brings up a stack: the AWS calls of an\n"
            "architecture, run in order, waiting for what takes time (a database to be available,\n"
            "services to be stable behind their load balancer). It reports each step, what is\n"
            "ready and how long it took, then the stack's outputs (its URLs). Run again on the\n"
            "same --state-dir, it makes no call twice and waits until everything is back.\n"
            "If a step fails, awsemu says which and why, and stops (exit status 1).\n\n"
            "  --stack FILE            The stack file to run (default: "
            "fixtures/web-demo/stack.json,\n"
            "                          found beside the awsemu binary or in its source tree)\n"
            "  --no-stack              Only the server, as `awsemu serve` with progress output\n";
    } else if (topic == "scenario") {
        text =
            "Usage: awsemu scenario FILE [options]\n\n"
            "Runs a chaos scenario (scenarios/*.json) on a fresh awsemu (in memory): brings up\n"
            "its stack, drives its load (HTTP requests at a rate, e.g. through the stack's load\n"
            "balancer), injects its faults at their moments (an availability zone lost,\n"
            "restored), then reports the requests, failures, latency and the longest outage\n"
            "and checks the scenario's expectations. Exit status 0 when they held, 1 when not.\n";
    }
    if (!text.empty()) {
        text.append(kServerOptionsHelp);
        return text;
    }
    if (topic == "status") {
        return "Usage: awsemu status [--endpoint URL]\n\nAsks a running awsemu (default "
               "http://127.0.0.1:4566) what it serves: its services, and each load balancer's\n"
               "listeners with the local URL that reaches them. The same as JSON: "
               "GET /_awsemu/status.\n";
    }
    if (topic == "chaos") {
        return "Usage: awsemu chaos [lose-zone ZONE | restore-zone ZONE] [--endpoint URL]\n"
               "       awsemu chaos add-fault [--service S] [--operation O] [--error CODE]\n"
               "                    [--status N] [--message TEXT] [--latency-ms N]\n"
               "                    [--probability P] [--count N] [--endpoint URL]\n"
               "       awsemu chaos remove-fault ID | clear-faults [--endpoint URL]\n\n"
               "Takes an availability zone (us-east-1a) down in a running awsemu (default\n"
               "http://127.0.0.1:4566), or brings it back; alone, says which zones are down\n"
               "and which faults are in place.\n"
               "While a zone is down: ECS stops its tasks and places none there (services\n"
               "replace them in the other zones); load balancers send it no traffic and its\n"
               "targets' health checks time out; a Multi-AZ database whose primary is there\n"
               "fails over, a single-AZ one goes down until the zone is back.\n\n"
               "add-fault makes AWS API calls fail or answer late: those of service S (sqs,\n"
               "s3, ...; default any) and operation O (SendMessage; default any) meet the AWS\n"
               "error CODE (ThrottlingException, ServiceUnavailable, InternalError, ...; status\n"
               "500 for internal errors, 503 for ServiceUnavailable and SlowDown, else 400,\n"
               "unless --status says) and/or a delay of N ms, with probability P (default 1),\n"
               "for N calls (default: until removed). A failed call runs nothing.\n\n"
               "The same over HTTP: POST /_awsemu/chaos/zones/ZONE/lose|restore,\n"
               "POST /_awsemu/chaos/faults (the fault as JSON: service, operation, error,\n"
               "status, message, latency_ms, probability, count), DELETE\n"
               "/_awsemu/chaos/faults[/ID], GET /_awsemu/chaos.\n";
    }
    if (topic == "down") {
        return "Usage: awsemu down [--endpoint URL]\n\nStops a running awsemu (default "
               "http://127.0.0.1:4566) as Ctrl-C would, and waits\nuntil it has stopped. Its "
               "state directory keeps everything for the next start.\nNothing to stop is not "
               "an error. The same over HTTP: POST /_awsemu/shutdown.\n";
    }
    if (topic == "reset") {
        return "Usage: awsemu reset [--endpoint URL]\n\nEmpties a running awsemu (default "
               "http://127.0.0.1:4566): every resource of every\nservice is gone (tasks and "
               "databases stopped), as on a fresh start. For test suites\nthat share one "
               "awsemu. The same over HTTP: POST /_awsemu/reset.\n";
    }
    if (!topic.empty()) {
        throw UsageError("no help for '" + topic +
                         "'; the commands are up, serve, scenario, status, chaos, reset and down");
    }
    return kGeneralHelp;
}

}  // namespace awsemu
