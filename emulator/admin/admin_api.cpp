#include "emulator/admin/admin_api.hpp"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

namespace awsemu {
namespace {

HttpResponse json_response(int status, const nlohmann::json& body) {
    HttpResponse response;
    response.status = status;
    response.headers.add("Content-Type", "application/json");
    // Paths come from clients and need not be UTF-8.
    response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return response;
}

// Python's str(float): "inf", "5.0", "2.5" (moto answers with it).
std::string python_float_text(double value) {
    if (std::isinf(value)) {
        return value > 0 ? "inf" : "-inf";
    }
    if (value == std::floor(value) && std::abs(value) < 1e16) {
        return std::to_string(static_cast<long long>(value)) + ".0";
    }
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, ec == std::errc() ? end : buffer);
}

}  // namespace

HttpResponse AdminApi::handle(const HttpRequest& request, std::string& operation_name) {
    const auto route = [&](std::string_view method, std::string_view path) {
        return request.method == method && request.path == path;
    };
    if (route("GET", "/_awsemu/health") || route("HEAD", "/_awsemu/health")) {
        operation_name = "Health";
        return health();
    }
    if (route("GET", "/_awsemu/status")) {
        operation_name = "Status";
        return json_response(200, status_document());
    }
    if (route("POST", "/_awsemu/reset") || route("POST", "/moto-api/reset")) {
        operation_name = "Reset";
        return reset();
    }
    if (route("POST", "/_awsemu/shutdown") && on_shutdown) {
        operation_name = "Shutdown";
        on_shutdown();
        return json_response(202, {{"status", "stopping"}});
    }
    if (route("POST", "/moto-api/reset-auth")) {
        operation_name = "ResetAuth";
        return reset_auth(request);
    }
    if (auto answer = chaos(request, operation_name)) {
        return std::move(*answer);
    }
    if (auto answer = faults(request, operation_name)) {
        return std::move(*answer);
    }
    if (auto document = public_document(request)) {
        operation_name = "GetDocument";
        return std::move(*document);
    }
    operation_name = "NotFound";
    return json_response(404, {{"error", "NotFound"},
                               {"message", "No awsemu endpoint " + request.method + " " +
                                               request.path + "; see GET /_awsemu/health"}});
}

std::optional<HttpResponse> AdminApi::public_document(const HttpRequest& request) const {
    constexpr std::string_view kPrefix = "/_awsemu/";
    if (request.method != "GET" || !request.path.starts_with(kPrefix)) {
        return std::nullopt;
    }
    const std::string_view rest = std::string_view(request.path).substr(kPrefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) {
        return std::nullopt;
    }
    for (const auto& service : registry_.all()) {
        if (service->name == rest.substr(0, slash) && service->public_documents) {
            return service->public_documents(rest.substr(slash + 1));
        }
    }
    return std::nullopt;
}

std::optional<HttpResponse> AdminApi::chaos(const HttpRequest& request,
                                            std::string& operation_name) {
    constexpr std::string_view kZones = "/_awsemu/chaos/zones/";
    if (request.method == "GET" && request.path == "/_awsemu/chaos") {
        operation_name = "Chaos";
        return json_response(200, chaos_document());
    }
    if (request.method != "POST" || !request.path.starts_with(kZones)) {
        return std::nullopt;
    }
    const std::string_view rest = std::string_view(request.path).substr(kZones.size());
    const auto slash = rest.find('/');
    const std::string zone(rest.substr(0, slash));
    const std::string_view action =
        slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (action != "lose" && action != "restore") {
        return std::nullopt;
    }
    operation_name = action == "lose" ? "LoseZone" : "RestoreZone";
    if (!is_zone_name(zone)) {
        return json_response(400, {{"error", "InvalidZone"},
                                   {"message", "'" + zone +
                                                   "' is not an availability zone name such as "
                                                   "us-east-1a"}});
    }
    const bool changed = action == "lose" ? zones_.lose(zone) : zones_.restore(zone);
    return json_response(200, {{"zone", zone},
                               {"available", action == "restore"},
                               {"changed", changed},
                               {"lost_zones", zones_.lost()}});
}

nlohmann::json AdminApi::chaos_document() const {
    nlohmann::json faults = nlohmann::json::array();
    for (const auto& rule : faults_.rules()) {
        faults.push_back(rule.to_json());
    }
    return {{"lost_zones", zones_.lost()}, {"faults", std::move(faults)}};
}

std::optional<HttpResponse> AdminApi::faults(const HttpRequest& request,
                                             std::string& operation_name) {
    constexpr std::string_view kFaults = "/_awsemu/chaos/faults";
    if (!request.path.starts_with(kFaults)) {
        return std::nullopt;
    }
    const std::string_view rest = std::string_view(request.path).substr(kFaults.size());
    if (rest.empty() && request.method == "POST") {
        operation_name = "AddFault";
        const auto body = nlohmann::json::parse(request.body, nullptr, false);
        try {
            if (body.is_discarded()) {
                throw std::invalid_argument("the body is not JSON");
            }
            return json_response(200, faults_.add(ApiFaultRule::from_json(body)).to_json());
        } catch (const std::invalid_argument& error) {
            return json_response(400, {{"error", "InvalidFault"}, {"message", error.what()}});
        }
    }
    if (rest.empty() && request.method == "DELETE") {
        operation_name = "ClearFaults";
        faults_.clear();
        return json_response(200, chaos_document());
    }
    if (rest.starts_with("/") && rest.size() > 1 && request.method == "DELETE") {
        operation_name = "RemoveFault";
        const std::string id(rest.substr(1));
        if (!faults_.remove(id)) {
            return json_response(404, {{"error", "NoSuchFault"}, {"message", "No fault " + id}});
        }
        return json_response(200, chaos_document());
    }
    return std::nullopt;
}

HttpResponse AdminApi::health() const {
    nlohmann::json services = nlohmann::json::object();
    for (const auto& service : registry_.all()) {
        services[service->name] = "running";
    }
    return json_response(
        200, {{"status", "running"}, {"version", AWSEMU_VERSION}, {"services", services}});
}

nlohmann::json AdminApi::status_document() const {
    nlohmann::json document = {{"status", "running"}, {"version", AWSEMU_VERSION}};
    nlohmann::json services = nlohmann::json::object();
    for (const auto& service : registry_.all()) {
        services[service->name] = "running";
        if (service->status) {
            document.update(service->status());
        }
    }
    document["services"] = services;
    document["lost_zones"] = zones_.lost();
    return document;
}

HttpResponse AdminApi::reset() {
    for (const auto& service : registry_.all()) {
        if (service->before_reset) {
            service->before_reset();
        }
    }
    database_.reset();
    return json_response(200, {{"status", "ok"}});
}

HttpResponse AdminApi::reset_auth(const HttpRequest& request) {
    const std::string text = request.body.empty() ? "inf" : request.body;
    double count = 0;
    try {
        std::size_t used = 0;
        count = std::stod(text, &used);
        if (text.find_first_not_of(" \t\r\n", used) != std::string::npos) {
            throw std::invalid_argument(text);
        }
    } catch (const std::exception&) {
        return json_response(400,
                             {{"error", "InvalidParameterValue"},
                              {"message", "the body must be a number of actions, e.g. 4, or inf"}});
    }
    const double previous = authenticator_.set_initial_no_auth_action_count(count);
    return json_response(
        200,
        {{"status", "ok"}, {"PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT", python_float_text(previous)}});
}

}  // namespace awsemu
