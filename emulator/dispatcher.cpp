#include "emulator/dispatcher.hpp"

#include <chrono>
#include <cstring>
#include <random>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/common_errors.hpp"

namespace awsemu {
namespace {

std::string_view protocol_name(Protocol protocol) {
    switch (protocol) {
        case Protocol::AwsJson10:
        case Protocol::AwsJson11:
            return "json";
        case Protocol::Query:
            return "query";
        case Protocol::RestXml:
            return "s3";
    }
    return "unknown";
}

}  // namespace

std::string new_request_id() {
    // Request ids need to be unique, not unpredictable: a fast generator, no system call.
    thread_local std::mt19937_64 random{std::random_device{}()};
    const std::uint64_t words[2] = {random(), random()};
    char bytes[16];
    std::memcpy(bytes, words, sizeof bytes);
    return auth::uuid_v4(std::string_view(bytes, sizeof bytes));
}

HttpResponse Dispatcher::handle(const HttpRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    const std::string request_id = new_request_id();
    const Route route = router_.route(request);
    std::string operation_name = "-";
    std::string_view service_name = "-";
    HttpResponse response;
    const ServiceDefinition* service = route.service;
    try {
        switch (route.kind) {
            case RouteKind::Admin:
                service_name = "awsemu";
                response = admin_.handle(request, operation_name);
                response.headers.set("x-amzn-RequestId", request_id);
                break;
            case RouteKind::Service:
                service_name = service->name;
                response = run_operation(request, *service, request_id, operation_name);
                break;
            case RouteKind::Unknown:
                service_name = protocol_name(route.protocol);
                throw AwsError(route.protocol == Protocol::AwsJson11
                                   ? errors::UnknownOperationException
                                   : errors::InvalidAction,
                               "awsemu does not emulate the service this request is for");
        }
    } catch (const AwsError& error) {
        response = error_encoder_for(route.protocol).encode_error(error, service, request_id);
    } catch (const std::exception& failure) {
        logger_.error("request " + request_id + " failed: " + failure.what());
        response = error_encoder_for(route.protocol)
                       .encode_error(AwsError(errors::InternalFailure,
                                              "The request processing has failed because of an "
                                              "unknown error, exception or failure."),
                                     service, request_id);
    }
    logger_.request({service_name, operation_name, response.status,
                     std::chrono::steady_clock::now() - started, request_id});
    return response;
}

HttpResponse Dispatcher::run_operation(const HttpRequest& request, const ServiceDefinition& service,
                                       const std::string& request_id, std::string& operation_name) {
    const OperationCodec* codec = operation_codec_for(service.protocol);
    if (codec == nullptr) {
        // REST-XML services (S3) read method, path, headers and a streamed body themselves;
        // that interface arrives with the first of them.
        throw AwsError(errors::NotImplemented, "awsemu does not serve " + service.name + " yet");
    }
    const Identity identity = authenticator_.authenticate(request, codec->auth_errors());
    operation_name = codec->operation_name(request, service);
    const auto it = service.operations.find(operation_name);
    if (it == service.operations.end()) {
        const bool json = service.protocol != Protocol::Query;
        throw AwsError(
            json ? errors::UnknownOperationException : errors::InvalidAction,
            json ? "" : "The action " + operation_name + " is not valid for this endpoint.");
    }
    const Operation& operation = it->second;
    const Params params(codec->decode_input(request, operation), service.param_errors);
    const std::string_view host = request.headers.get("Host");
    const RequestContext context{Scope{identity.account_id, identity.region},
                                 request_id,
                                 identity.access_key_id,
                                 identity.caller_arn,
                                 "http://" + std::string(host.empty() ? "localhost" : host),
                                 &clock_};
    auto transaction = database_.transaction();
    const nlohmann::json result = operation.handler(context, params);
    transaction.commit();
    return codec->encode_result(result, operation_name, operation, service, request_id);
}

HttpResponse Dispatcher::reject_oversized(const HttpRequest& head, std::size_t limit) {
    const std::string request_id = new_request_id();
    const Route route = router_.route(head, /*body_available=*/false);
    const AwsError error(errors::RequestEntityTooLarge,
                         "Request body is larger than the " + std::to_string(limit) +
                             " bytes this server accepts (--max-body-size).");
    auto response =
        error_encoder_for(route.protocol).encode_error(error, route.service, request_id);
    logger_.request({route.service ? std::string_view(route.service->name) : "-", "-",
                     response.status, std::chrono::nanoseconds(0), request_id});
    return response;
}

HttpResponse Dispatcher::reject_malformed(std::string_view reason) {
    const std::string request_id = new_request_id();
    const AwsError error(errors::BadRequest,
                         "The HTTP request could not be read: " + std::string(reason));
    auto response = error_encoder_for(Protocol::RestXml).encode_error(error, nullptr, request_id);
    response.headers.set("x-amzn-RequestId", request_id);
    logger_.request({"-", "-", response.status, std::chrono::nanoseconds(0), request_id});
    return response;
}

}  // namespace awsemu
