#include "emulator/cli/status_command.hpp"

#include <nlohmann/json.hpp>

#include "emulator/http/http_fetch.hpp"

namespace awsemu {

int print_status(const std::string& endpoint, std::ostream& out, std::ostream& err) {
    const FetchedPage page = fetch_page(endpoint + "/_awsemu/status");
    if (page.status != 200) {
        err << "awsemu: no awsemu answered at " << endpoint << " ("
            << (page.status == 0 ? page.error : "HTTP " + std::to_string(page.status))
            << "); start one with `awsemu up`, or name it with --endpoint URL\n";
        return 1;
    }
    const auto status = nlohmann::json::parse(page.body, nullptr, false);
    if (status.is_discarded()) {
        err << "awsemu: " << endpoint << " answered something that is not awsemu's status\n";
        return 1;
    }
    out << "awsemu " << status.value("version", "?") << " at " << endpoint << "\n";
    std::string services;
    if (const auto it = status.find("services"); it != status.end() && it->is_object()) {
        for (const auto& [name, state] : it->items()) {
            services += (services.empty() ? "" : ", ") + name;
        }
    }
    out << "services: " << services << "\n";
    std::string lost;
    for (const auto& zone : status.value("lost_zones", nlohmann::json::array())) {
        lost += (lost.empty() ? "" : ", ") + zone.get<std::string>();
    }
    out << "zones down: " << (lost.empty() ? "none" : lost) << "\n";
    const auto load_balancers = status.find("load_balancers");
    if (load_balancers == status.end() || !load_balancers->is_array() || load_balancers->empty()) {
        out << "load balancers: none\n";
        return 0;
    }
    for (const auto& load_balancer : *load_balancers) {
        out << "load balancer " << load_balancer.value("name", "") << " ("
            << load_balancer.value("dns_name", "") << ")\n";
        const auto listeners = load_balancer.find("listeners");
        if (listeners == load_balancer.end() || !listeners->is_array()) {
            continue;
        }
        for (const auto& listener : *listeners) {
            out << "  " << listener.value("protocol", "") << " " << listener.value("port", 0)
                << " -> " << listener.value("url", "") << "\n";
        }
    }
    return 0;
}

}  // namespace awsemu
