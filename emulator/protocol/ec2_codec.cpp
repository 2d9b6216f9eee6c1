#include "emulator/protocol/ec2_codec.hpp"

#include <cctype>

#include "emulator/protocol/aws_query_codec.hpp"
#include "emulator/protocol/common_errors.hpp"
#include "emulator/protocol/xml_writer.hpp"

namespace awsemu {
namespace {

HttpResponse xml_response(int status, std::string body, std::string_view request_id) {
    HttpResponse response;
    response.status = status;
    response.headers.add("Content-Type", "text/xml;charset=UTF-8");
    response.headers.add("x-amzn-RequestId", std::string(request_id));
    response.body = std::move(body);
    return response;
}

void encode_members(XmlWriter& xml, const nlohmann::json& object, const QueryShape* shape) {
    for (const auto& [key, element] : object.items()) {
        const QueryShape::Member* member = shape != nullptr ? shape->find_member(key) : nullptr;
        const std::string wire = member != nullptr && !member->wire_name.empty()
                                     ? member->wire_name
                                     : ec2_output_name(key);
        encode_ec2_value(xml, wire, element, member != nullptr ? &member->shape : nullptr);
    }
}

}  // namespace

std::string ec2_output_name(std::string_view member_name) {
    std::string name(member_name);
    if (!name.empty()) {
        name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
    }
    return name;
}

void encode_ec2_value(XmlWriter& xml, std::string_view name, const nlohmann::json& value,
                      const QueryShape* shape) {
    if (value.is_null()) {
        return;
    }
    if (value.is_array()) {
        const QueryShape* item =
            shape != nullptr && shape->kind() == QueryShape::Kind::List ? &shape->item() : nullptr;
        xml.open(name);
        for (const auto& element : value) {
            encode_ec2_value(xml, "item", element, item);
        }
        xml.close(name);
        return;
    }
    if (value.is_object()) {
        xml.open(name);
        encode_members(xml, value, shape);
        xml.close(name);
        return;
    }
    xml.element(name, query_scalar_text(value));
}

std::string Ec2Codec::operation_name(const HttpRequest& request, const ServiceDefinition&) const {
    if (auto action = query_action(request)) {
        return std::move(*action);
    }
    throw AwsError(errors::MissingAction, "The request must contain the parameter Action");
}

nlohmann::json Ec2Codec::decode_input(const HttpRequest& request,
                                      const Operation& operation) const {
    return decode_query_form(query_form(request), operation.input_shape);
}

HttpResponse Ec2Codec::encode_result(const nlohmann::json& result, std::string_view operation_name,
                                     const Operation& operation, const ServiceDefinition& service,
                                     std::string_view request_id) const {
    XmlWriter xml;
    const std::string response_name = std::string(operation_name) + "Response";
    xml.open(response_name, service.xml_namespace);
    xml.element("requestId", request_id);
    if (result.is_object()) {
        encode_members(xml, result, &operation.output_shape);
    }
    xml.close(response_name);
    return xml_response(200, xml.release(), request_id);
}

HttpResponse Ec2Codec::encode_error(const AwsError& error, const ServiceDefinition*,
                                    std::string_view request_id) const {
    XmlWriter xml;
    xml.open("Response").open("Errors").open("Error");
    xml.element("Code", error.spec().wire_query_code()).element("Message", error.what());
    xml.close("Error").close("Errors");
    xml.element("RequestID", request_id).close("Response");
    return xml_response(error.spec().http_status, xml.release(), request_id);
}

const AuthErrors& Ec2Codec::auth_errors() const {
    // EC2 answers an unknown key and a bad signature alike, as AuthFailure.
    static const AuthErrors kErrors{errors::IncompleteSignature,
                                    errors::MissingAuthenticationToken,
                                    errors::AuthFailure,
                                    errors::AuthFailure,
                                    errors::ExpiredToken,
                                    errors::RequestExpired,
                                    "AWS was not able to validate the provided access credentials"};
    return kErrors;
}

}  // namespace awsemu
