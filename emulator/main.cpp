#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "emulator/cli/chaos_command.hpp"
#include "emulator/cli/lifecycle_commands.hpp"
#include "emulator/cli/options.hpp"
#include "emulator/cli/status_command.hpp"
#include "emulator/server_app.hpp"
#include "emulator/store/database.hpp"

int main(int argc, char** argv) {
    using namespace awsemu;
    try {
        const CommandLine line =
            parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
        switch (line.command) {
            case Command::Help:
                std::cout << help_text(line.help_topic);
                return 0;
            case Command::Version:
                std::cout << "awsemu " << AWSEMU_VERSION << "\n";
                return 0;
            case Command::Status:
                return print_status(line.endpoint, std::cout, std::cerr);
            case Command::Chaos:
                return run_chaos(line.endpoint, line.chaos_action, line.chaos_target,
                                 line.chaos_fault, std::cout, std::cerr);
            case Command::Down:
                return run_down(line.endpoint, std::cout, std::cerr);
            case Command::Reset:
                return run_reset(line.endpoint, std::cout, std::cerr);
            case Command::Serve:
            case Command::Up:
            case Command::Scenario:
                return run_server(line.server, register_services, line.command != Command::Serve);
        }
    } catch (const UsageError& error) {
        std::cerr << "awsemu: " << error.what() << "\n";
        return 2;
    } catch (const std::exception& error) {
        std::cerr << "awsemu: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
