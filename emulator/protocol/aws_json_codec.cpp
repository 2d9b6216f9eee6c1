#include "emulator/protocol/aws_json_codec.hpp"

#include "emulator/protocol/common_errors.hpp"
#include "emulator/protocol/json_input.hpp"
#include "emulator/protocol/json_output.hpp"

namespace awsemu {

std::string AwsJsonCodec::operation_name(const HttpRequest& request,
                                         const ServiceDefinition& service) const {
    const std::string_view target = request.headers.get("X-Amz-Target");
    const auto dot = target.find('.');
    if (dot == std::string_view::npos || target.substr(0, dot) != service.json_target_prefix) {
        throw AwsError(errors::UnknownOperationException, "");
    }
    return std::string(target.substr(dot + 1));
}

nlohmann::json AwsJsonCodec::decode_input(const HttpRequest& request, const Operation&) const {
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return nlohmann::json::object();
    }
    auto input = parse_json_input(request.body);
    if (input.is_discarded()) {
        throw AwsError(errors::SerializationException, "Unable to parse request body as JSON.");
    }
    if (!input.is_object()) {
        throw AwsError(errors::SerializationException,
                       "Start of structure or map found where not expected.");
    }
    return input;
}

HttpResponse AwsJsonCodec::encode_result(const nlohmann::json& result, std::string_view,
                                         const Operation&, const ServiceDefinition&,
                                         std::string_view request_id) const {
    HttpResponse response;
    response.headers.add("Content-Type", content_type_);
    response.headers.add("x-amzn-RequestId", std::string(request_id));
    response.body =
        result.is_null() ? "{}" : to_json_text(result, nlohmann::json::error_handler_t::replace);
    return response;
}

HttpResponse AwsJsonCodec::encode_error(const AwsError& error, const ServiceDefinition* service,
                                        std::string_view request_id) const {
    HttpResponse response;
    response.status = error.spec().http_status;
    response.headers.add("Content-Type", content_type_);
    response.headers.add("x-amzn-RequestId", std::string(request_id));
    if (service != nullptr && service->query_compatible) {
        response.headers.add("x-amzn-query-error",
                             std::string(error.spec().wire_query_code()) +
                                 (error.spec().fault == Fault::Sender ? ";Sender" : ";Receiver"));
    }
    const nlohmann::json body = {{"__type", error.spec().code}, {"message", error.what()}};
    response.body = to_json_text(body, nlohmann::json::error_handler_t::replace);
    return response;
}

const AuthErrors& AwsJsonCodec::auth_errors() const {
    static const AuthErrors kErrors{
        errors::IncompleteSignatureException, errors::MissingAuthenticationTokenException,
        errors::UnrecognizedClientException,  errors::InvalidSignatureException,
        errors::ExpiredTokenException,        errors::RequestExpired};
    return kErrors;
}

}  // namespace awsemu
