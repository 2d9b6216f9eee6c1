#include "emulator/scenario/scenario_definition.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "emulator/chaos/api_faults.hpp"
#include "emulator/chaos/zone_outages.hpp"
#include "emulator/stack/stack_template.hpp"
#include "emulator/text_file.hpp"

namespace awsemu::scenario {
namespace {

using stack::StackError;

double number(const nlohmann::json& object, const char* name, double fallback, double low,
              double high, const std::string& where) {
    const auto it = object.find(name);
    if (it == object.end()) {
        return fallback;
    }
    if (!it->is_number() || it->get<double>() < low || it->get<double>() > high) {
        std::ostringstream range;
        range << low << " to " << high;
        throw StackError(where + ": \"" + name + "\" must be a number from " + range.str());
    }
    return it->get<double>();
}

std::chrono::milliseconds seconds(double value) {
    return std::chrono::milliseconds(static_cast<long long>(std::llround(value * 1000)));
}

Fault parse_fault(const nlohmann::json& json, const std::string& where, double duration) {
    if (!json.is_object()) {
        throw StackError(where + " must be an object");
    }
    Fault fault;
    if (!json.contains("at_seconds")) {
        throw StackError(where + ": \"at_seconds\" is missing");
    }
    const double at = number(json, "at_seconds", 0, 0, duration, where);
    if (at >= duration) {
        throw StackError(where + ": \"at_seconds\" must come before the load ends (" +
                         std::to_string(static_cast<int>(duration)) + " s)");
    }
    fault.at = seconds(at);
    for (const char* action : {"lose_zone", "restore_zone", "add_fault", "clear_faults"}) {
        const auto it = json.find(action);
        if (it == json.end()) {
            continue;
        }
        if (!fault.action.empty()) {
            throw StackError(where + ": one action per fault");
        }
        fault.action = action;
        if (fault.action == "add_fault") {
            try {
                fault.api_fault = ApiFaultRule::from_json(*it).to_json();
                fault.api_fault.erase("id");
            } catch (const std::invalid_argument& error) {
                throw StackError(where + ": \"add_fault\": " + error.what());
            }
        } else if (fault.action == "clear_faults") {
            if (*it != true) {
                throw StackError(where + ": \"clear_faults\" must be true");
            }
        } else if (!it->is_string() || !is_zone_name(it->get<std::string>())) {
            throw StackError(where + ": \"" + action +
                             "\" must name an availability zone such as us-east-1a");
        } else {
            fault.zone = it->get<std::string>();
        }
    }
    if (fault.action.empty()) {
        throw StackError(where +
                         ": needs \"lose_zone\", \"restore_zone\", \"add_fault\" or "
                         "\"clear_faults\"");
    }
    return fault;
}

}  // namespace

ScenarioDefinition parse_scenario(std::string_view text, const std::string& source,
                                  const std::string& directory) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& error) {
        throw StackError(source + " is not JSON: " + error.what());
    }
    if (!json.is_object()) {
        throw StackError(source + " must hold a JSON object");
    }
    ScenarioDefinition scenario;
    const auto text_of = [&](const char* name) {
        const auto it = json.find(name);
        if (it == json.end() || !it->is_string() || it->get<std::string>().empty()) {
            throw StackError(source + ": \"" + std::string(name) + "\" must be a non-empty string");
        }
        return it->get<std::string>();
    };
    scenario.name = text_of("name");
    if (json.contains("description")) {
        scenario.description = text_of("description");
    }
    const std::filesystem::path stack = text_of("stack");
    scenario.stack_file = (stack.is_absolute() ? stack : std::filesystem::path(directory) / stack)
                              .lexically_normal()
                              .string();
    const double duration = number(json, "duration_seconds", 30, 1, 3600, source);
    scenario.duration = seconds(duration);

    const auto load = json.find("load");
    if (load == json.end() || !load->is_object() || !load->contains("url")) {
        throw StackError(source + ": \"load\" must be an object with a \"url\"");
    }
    scenario.url = load->at("url");
    if (!scenario.url.is_string() || scenario.url.get<std::string>().empty()) {
        throw StackError(source + ": the load's \"url\" must be a non-empty string");
    }
    if (const auto method = load->find("method"); method != load->end()) {
        if (!method->is_string() || (*method != "GET" && *method != "POST" && *method != "HEAD")) {
            throw StackError(source + ": the load's \"method\" must be GET, POST or HEAD");
        }
        scenario.method = method->get<std::string>();
    }
    scenario.requests_per_second =
        number(*load, "requests_per_second", scenario.requests_per_second, 0.1, 1000, source);
    if (scenario.requests_per_second * duration < 1) {
        throw StackError(source +
                         ": the load sends no request (requests_per_second times "
                         "duration_seconds is under 1)");
    }

    if (const auto faults = json.find("faults"); faults != json.end()) {
        if (!faults->is_array()) {
            throw StackError(source + ": \"faults\" must be an array");
        }
        for (std::size_t i = 0; i < faults->size(); ++i) {
            scenario.faults.push_back(
                parse_fault((*faults)[i], source + ": fault " + std::to_string(i + 1), duration));
        }
        std::stable_sort(scenario.faults.begin(), scenario.faults.end(),
                         [](const Fault& a, const Fault& b) { return a.at < b.at; });
    }
    if (const auto expect = json.find("expect"); expect != json.end()) {
        if (!expect->is_object()) {
            throw StackError(source + ": \"expect\" must be an object");
        }
        const std::string where = source + ": expect";
        for (const auto& [key, value] : expect->items()) {
            if (key == "max_error_rate") {
                scenario.expect.max_error_rate = number(*expect, "max_error_rate", 0, 0, 1, where);
            } else if (key == "max_outage_seconds") {
                scenario.expect.max_outage_seconds =
                    number(*expect, "max_outage_seconds", 0, 0, 86400, where);
            } else {
                throw StackError(where + ": unknown \"" + key +
                                 "\" (expectations: max_error_rate, max_outage_seconds)");
            }
        }
    }
    return scenario;
}

ScenarioDefinition load_scenario(const std::string& path) {
    const auto text = read_text_file(path);
    if (!text) {
        throw StackError("cannot read the scenario file " + path);
    }
    return parse_scenario(*text, path, std::filesystem::absolute(path).parent_path().string());
}

std::size_t request_count(const ScenarioDefinition& scenario) {
    const double seconds = std::chrono::duration<double>(scenario.duration).count();
    return std::max<std::size_t>(
        1, static_cast<std::size_t>(std::llround(seconds * scenario.requests_per_second)));
}

}  // namespace awsemu::scenario
