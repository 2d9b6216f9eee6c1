#include "emulator/cli/lifecycle_commands.hpp"

#include <chrono>
#include <thread>

#include "emulator/http/http_fetch.hpp"

namespace awsemu {

int run_down(const std::string& endpoint, std::ostream& out, std::ostream& err) {
    const FetchedPage asked = fetch_page(endpoint + "/_awsemu/shutdown", "POST");
    if (asked.status == 0) {
        out << "no awsemu answers at " << endpoint << ": nothing to stop\n";
        return 0;
    }
    if (asked.status != 202) {
        err << "awsemu: " << endpoint << " did not agree to stop (HTTP " << asked.status
            << "); is it awsemu?\n";
        return 1;
    }
    // A command-line tool waiting for a server to go away: a poll is all there is to do.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (fetch_page(endpoint + "/_awsemu/health").status != 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            err << "awsemu: " << endpoint
                << " is still answering 30 s after it was asked to stop\n";
            return 1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    out << "awsemu at " << endpoint << " stopped\n";
    return 0;
}

int run_reset(const std::string& endpoint, std::ostream& out, std::ostream& err) {
    const FetchedPage page = fetch_page(endpoint + "/_awsemu/reset", "POST");
    if (page.status == 0) {
        err << "awsemu: no awsemu answered at " << endpoint << " (" << page.error
            << "); start one with `awsemu up`, or name it with --endpoint URL\n";
        return 1;
    }
    if (page.status != 200) {
        err << "awsemu: " << endpoint << " refused to reset (HTTP " << page.status << ")\n";
        return 1;
    }
    out << "awsemu at " << endpoint << " is empty\n";
    return 0;
}

}  // namespace awsemu
