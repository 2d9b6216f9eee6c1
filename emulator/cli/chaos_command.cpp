#include "emulator/cli/chaos_command.hpp"

#include <nlohmann/json.hpp>

#include "emulator/chaos/api_faults.hpp"
#include "emulator/http/http_fetch.hpp"

namespace awsemu {
namespace {

std::string zone_list(const nlohmann::json& answer) {
    std::string out;
    for (const auto& zone : answer.value("lost_zones", nlohmann::json::array())) {
        out += (out.empty() ? "" : ", ") + zone.get<std::string>();
    }
    return out.empty() ? "none" : out;
}

FetchedPage ask(const std::string& endpoint, const std::string& action, const std::string& target,
                const std::string& fault) {
    const std::string chaos = endpoint + "/_awsemu/chaos";
    if (action == "lose-zone" || action == "restore-zone") {
        return fetch_page(
            chaos + "/zones/" + target + (action == "lose-zone" ? "/lose" : "/restore"), "POST");
    }
    if (action == "add-fault") {
        return fetch_page(chaos + "/faults", "POST", fault);
    }
    if (action == "remove-fault") {
        return fetch_page(chaos + "/faults/" + target, "DELETE");
    }
    if (action == "clear-faults") {
        return fetch_page(chaos + "/faults", "DELETE");
    }
    return fetch_page(chaos);
}

}  // namespace

int run_chaos(const std::string& endpoint, const std::string& action, const std::string& target,
              const std::string& fault, std::ostream& out, std::ostream& err) {
    const FetchedPage page = ask(endpoint, action, target, fault);
    if (page.status == 0) {
        err << "awsemu: no awsemu answered at " << endpoint << " (" << page.error
            << "); start one with `awsemu up`, or name it with --endpoint URL\n";
        return 1;
    }
    const auto answer = nlohmann::json::parse(page.body, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) {
        err << "awsemu: " << endpoint << " answered something that is not awsemu's (HTTP "
            << page.status << ")\n";
        return 1;
    }
    if (page.status != 200) {
        err << "awsemu: " << answer.value("message", "HTTP " + std::to_string(page.status)) << "\n";
        return 1;
    }
    if (action == "lose-zone" || action == "restore-zone") {
        out << target << (action == "lose-zone" ? " is down" : " is back")
            << (answer.value("changed", false) ? "" : " (it already was)") << "\n"
            << "zones down: " << zone_list(answer) << "\n";
        return 0;
    }
    if (action == "add-fault") {
        out << "added " << describe_fault(answer) << "\n";
        return 0;
    }
    if (action == "remove-fault") {
        out << "removed " << target << "\n";
    }
    if (action.empty()) {
        out << "zones down: " << zone_list(answer) << "\n";
    }
    const auto faults = answer.value("faults", nlohmann::json::array());
    out << "faults:" << (faults.empty() ? " none" : "") << "\n";
    for (const auto& rule : faults) {
        out << "  " << describe_fault(rule) << "\n";
    }
    return 0;
}

}  // namespace awsemu
