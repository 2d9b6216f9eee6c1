#include "emulator/cli/chaos_command.hpp"

#include <nlohmann/json.hpp>

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

}  // namespace

int run_chaos(const std::string& endpoint, const std::string& action, const std::string& zone,
              std::ostream& out, std::ostream& err) {
    const bool status = action.empty();
    const std::string verb = action == "lose-zone" ? "lose" : "restore";
    const FetchedPage page =
        status ? fetch_page(endpoint + "/_awsemu/chaos")
               : fetch_page(endpoint + "/_awsemu/chaos/zones/" + zone + "/" + verb, true);
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
    if (!status) {
        out << zone << (verb == "lose" ? " is down" : " is back")
            << (answer.value("changed", false) ? "" : " (it already was)") << "\n";
    }
    out << "zones down: " << zone_list(answer) << "\n";
    return 0;
}

}  // namespace awsemu
