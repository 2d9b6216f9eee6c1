#include "emulator/stack/operation_caller.hpp"

#include "emulator/dispatcher.hpp"
#include "emulator/stack/stack_template.hpp"

namespace awsemu::stack {

const ServiceDefinition& OperationCaller::find(const std::string& service) const {
    for (const auto& definition : registry_.all()) {
        if (definition->name == service) {
            return *definition;
        }
    }
    throw StackError("awsemu has no service named '" + service +
                     "' (GET /_awsemu/health lists them)");
}

RequestContext OperationCaller::context() const {
    return RequestContext{scope_,      new_request_id(),
                          "",          "arn:aws:iam::" + scope_.account_id + ":root",
                          endpoint_(), &clock_};
}

nlohmann::json OperationCaller::call(const std::string& service, const std::string& operation,
                                     const nlohmann::json& input) {
    const ServiceDefinition& definition = find(service);
    const auto it = definition.operations.find(operation);
    if (it == definition.operations.end() || !it->second.handler) {
        throw StackError(service + " has no operation " + operation +
                         (it == definition.operations.end() ? "" : " that answers at once"));
    }
    const Params params(input, definition.param_errors);
    auto transaction = commits_.unit();
    nlohmann::json result = it->second.handler(context(), params);
    transaction.commit();
    return result;
}

nlohmann::json OperationCaller::request(const std::string& service, const std::string& method,
                                        const std::string& target, const nlohmann::json& input) {
    const ServiceDefinition& definition = find(service);
    if (!definition.raw_handler) {
        throw StackError(service + " takes operations (\"call\"), not HTTP requests");
    }
    HttpRequest request;
    request.method = method;
    request.target = target;
    split_target(request);
    request.headers.set("Host", endpoint_().substr(endpoint_().find("//") + 2));
    if (const auto headers = input.find("headers"); headers != input.end()) {
        for (const auto& [name, value] : headers->items()) {
            request.headers.set(name, value.is_string() ? value.get<std::string>() : value.dump());
        }
    }
    request.body = input.value("body", "");
    request.headers.set("Content-Length", std::to_string(request.body.size()));
    std::string operation_name;
    auto transaction = commits_.unit();
    const HttpResponse response = definition.raw_handler(context(), request, operation_name);
    transaction.commit();
    if (response.status >= 300) {
        throw StackError(service + " " + method + " " + target + " answered " +
                         std::to_string(response.status) + ": " + response.body);
    }
    nlohmann::json headers = nlohmann::json::object();
    for (const auto& [name, value] : response.headers.entries()) {
        headers[name] = value;
    }
    return {{"status", response.status}, {"headers", headers}};
}

std::string describe(const AwsError& error) {
    return std::string(error.spec().code) + ": " + error.what();
}

}  // namespace awsemu::stack
