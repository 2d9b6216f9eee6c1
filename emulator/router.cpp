#include "emulator/router.hpp"

#include "emulator/protocol/aws_query_codec.hpp"

namespace awsemu {
namespace {

Route target_route(const ServiceDefinition* service) {
    return Route{RouteKind::Service, service, service->protocol};
}

// A request without X-Amz-Target: a JSON service that also speaks the query protocol reads it
// as one; every other service reads it in its own protocol (query, EC2, REST-XML).
Route untargeted_route(const ServiceDefinition* service) {
    const bool json =
        service->protocol == Protocol::AwsJson10 || service->protocol == Protocol::AwsJson11;
    return Route{RouteKind::Service, service,
                 json && !service->query_version.empty() ? Protocol::Query : service->protocol};
}

// "Credential=AKID/20150830/us-east-1/iam/aws4_request" -> "iam"
std::string service_in_credential(std::string_view credential) {
    std::size_t start = 0;
    for (int slash = 0; slash < 3; ++slash) {
        start = credential.find('/', start);
        if (start == std::string_view::npos) {
            return {};
        }
        ++start;
    }
    const auto end = credential.find('/', start);
    return std::string(credential.substr(start, end == std::string_view::npos ? end : end - start));
}

}  // namespace

std::string signing_service_of(const HttpRequest& request) {
    if (const auto authorization = request.headers.find("Authorization")) {
        const auto at = authorization->find("Credential=");
        if (at != std::string_view::npos) {
            const std::string_view rest = authorization->substr(at + 11);
            return service_in_credential(rest.substr(0, rest.find_first_of(", ")));
        }
        return {};
    }
    if (const auto credential = request.query_param("X-Amz-Credential")) {
        return service_in_credential(*credential);
    }
    return {};
}

Route Router::route(const HttpRequest& request, bool body_available) const {
    if (request.path.starts_with("/_awsemu/") || request.path.starts_with("/moto-api/")) {
        return Route{RouteKind::Admin, nullptr, Protocol::AwsJson11};
    }
    if (const auto target = request.headers.find("X-Amz-Target")) {
        const auto prefix = target->substr(0, target->find('.'));
        if (const auto* service = registry_.by_target_prefix(prefix)) {
            return target_route(service);
        }
        return Route{RouteKind::Unknown, nullptr, Protocol::AwsJson11};
    }
    const std::string signing_service = signing_service_of(request);
    if (!signing_service.empty()) {
        if (const auto* service = registry_.by_signing_name(signing_service)) {
            return untargeted_route(service);
        }
    }
    if (body_available) {
        const bool form =
            request.headers.get("Content-Type").starts_with("application/x-www-form-urlencoded");
        if (form || request.method == "GET") {
            for (const auto& [key, value] : query_form(request)) {
                if (key == "Version") {
                    if (const auto* service = registry_.by_query_version(value)) {
                        return untargeted_route(service);
                    }
                }
            }
        }
    }
    if (const auto* s3 = registry_.by_protocol(Protocol::RestXml)) {
        return untargeted_route(s3);
    }
    const bool looks_like_query = !signing_service.empty() && signing_service != "s3";
    return Route{RouteKind::Unknown, nullptr,
                 looks_like_query ? Protocol::Query : Protocol::RestXml};
}

}  // namespace awsemu
