#include "emulator/protocol/aws_query_codec.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "emulator/protocol/common_errors.hpp"
#include "emulator/protocol/url_encoding.hpp"
#include "emulator/protocol/xml_writer.hpp"

namespace awsemu {
namespace {

using Form = std::map<std::string, std::string, std::less<>>;

// Parameters that belong to the request, not to the operation's input.
bool is_envelope_parameter(std::string_view key) {
    return key == "Action" || key == "Version" || key.starts_with("X-Amz-") ||
           key == "AWSAccessKeyId" || key == "Signature" || key == "SignatureMethod" ||
           key == "SignatureVersion" || key == "Timestamp";
}

nlohmann::json decode_scalar(const std::string& key, const std::string& text,
                             const QueryShape& shape) {
    switch (shape.kind()) {
        case QueryShape::Kind::Integer: {
            long long value = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (ec != std::errc() || end != text.data() + text.size()) {
                throw AwsError(errors::InvalidParameterValue,
                               "Value (" + text + ") for parameter " + key +
                                   " is invalid. Must be an integer.");
            }
            return value;
        }
        case QueryShape::Kind::Double: {
            try {
                std::size_t used = 0;
                const double value = std::stod(text, &used);
                if (used == text.size()) {
                    return value;
                }
            } catch (const std::exception&) {
            }
            throw AwsError(
                errors::InvalidParameterValue,
                "Value (" + text + ") for parameter " + key + " is invalid. Must be a number.");
        }
        case QueryShape::Kind::Boolean:
            if (text == "true" || text == "false") {
                return text == "true";
            }
            throw AwsError(
                errors::InvalidParameterValue,
                "Value (" + text + ") for parameter " + key + " is invalid. Must be a boolean.");
        default:
            return text;
    }
}

// The indexes N present under "prefix.N...", in numeric order.
std::vector<std::string> indexes_under(const Form& form, const std::string& prefix) {
    std::vector<std::pair<long, std::string>> found;
    for (auto it = form.lower_bound(prefix); it != form.end() && it->first.starts_with(prefix);
         ++it) {
        const std::string_view rest = std::string_view(it->first).substr(prefix.size());
        const std::string_view index = rest.substr(0, rest.find('.'));
        long number = 0;
        const auto [end, ec] = std::from_chars(index.data(), index.data() + index.size(), number);
        if (ec == std::errc() && end == index.data() + index.size() && number > 0) {
            found.emplace_back(number, std::string(index));
        }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::vector<std::string> result;
    for (auto& entry : found) {
        result.push_back(std::move(entry.second));
    }
    return result;
}

bool has_key_under(const Form& form, const std::string& key) {
    if (form.contains(key)) {
        return true;
    }
    const std::string prefix = key + ".";
    const auto it = form.lower_bound(prefix);
    return it != form.end() && it->first.starts_with(prefix);
}

std::optional<nlohmann::json> decode_value(const Form& form, const std::string& key,
                                           const QueryShape& shape);

nlohmann::json decode_structure(const Form& form, const std::string& prefix,
                                const QueryShape& shape) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [key, value] : form) {
        if (!key.starts_with(prefix)) {
            continue;
        }
        // A member the shape does not declare is a plain string.
        const std::string_view rest = std::string_view(key).substr(prefix.size());
        if (rest.find('.') == std::string_view::npos && !is_envelope_parameter(key) &&
            !std::any_of(shape.members().begin(), shape.members().end(), [&](const auto& m) {
                return (m.wire_name.empty() ? m.name : m.wire_name) == rest;
            })) {
            object[std::string(rest)] = value;
        }
    }
    for (const auto& member : shape.members()) {
        const std::string& wire = member.wire_name.empty() ? member.name : member.wire_name;
        if (auto value = decode_value(form, prefix + wire, member.shape)) {
            object[member.name] = std::move(*value);
        }
    }
    return object;
}

std::optional<nlohmann::json> decode_value(const Form& form, const std::string& key,
                                           const QueryShape& shape) {
    switch (shape.kind()) {
        case QueryShape::Kind::Structure:
            if (!has_key_under(form, key)) {
                return std::nullopt;
            }
            return decode_structure(form, key + ".", shape);
        case QueryShape::Kind::List: {
            const std::string prefix =
                shape.flattened() ? key + "." : key + "." + shape.member_name() + ".";
            if (!has_key_under(form, key)) {
                return std::nullopt;
            }
            nlohmann::json list = nlohmann::json::array();
            for (const auto& index : indexes_under(form, prefix)) {
                if (auto item = decode_value(form, prefix + index, shape.item())) {
                    list.push_back(std::move(*item));
                }
            }
            return list;
        }
        case QueryShape::Kind::Map: {
            const std::string prefix = shape.flattened() ? key + "." : key + ".entry.";
            if (!has_key_under(form, key)) {
                return std::nullopt;
            }
            nlohmann::json map = nlohmann::json::object();
            for (const auto& index : indexes_under(form, prefix)) {
                const auto name = form.find(prefix + index + "." + shape.key_name());
                if (name == form.end()) {
                    throw AwsError(errors::MissingParameter,
                                   "The request must contain the parameter " + prefix + index +
                                       "." + shape.key_name() + ".");
                }
                if (auto item = decode_value(form, prefix + index + "." + shape.value_name(),
                                             shape.item())) {
                    map[name->second] = std::move(*item);
                }
            }
            return map;
        }
        default: {
            const auto it = form.find(key);
            if (it == form.end()) {
                return std::nullopt;
            }
            return decode_scalar(key, it->second, shape);
        }
    }
}

}  // namespace

std::string query_scalar_text(const nlohmann::json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_boolean()) {
        return value.get<bool>() ? "true" : "false";
    }
    return value.dump();
}

std::optional<std::string> query_action(const HttpRequest& request) {
    for (const auto& [key, value] : query_form(request)) {
        if (key == "Action") {
            return value;
        }
    }
    return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> query_form(const HttpRequest& request) {
    if (request.method == "POST" && !request.body.empty()) {
        return parse_form(request.body);
    }
    return request.query;
}

nlohmann::json decode_query_form(const std::vector<std::pair<std::string, std::string>>& pairs,
                                 const QueryShape& shape) {
    Form form;
    for (const auto& [key, value] : pairs) {
        form.emplace(key, value);
    }
    return decode_structure(form, "", shape);
}

void encode_query_value(XmlWriter& xml, std::string_view name, const nlohmann::json& value,
                        const QueryShape* shape) {
    if (value.is_null()) {
        return;
    }
    if (value.is_array()) {
        const bool flattened = shape != nullptr && shape->flattened();
        const std::string member_name = shape != nullptr && shape->kind() == QueryShape::Kind::List
                                            ? shape->member_name()
                                            : "member";
        const QueryShape* item =
            shape != nullptr && shape->kind() == QueryShape::Kind::List ? &shape->item() : nullptr;
        if (!flattened) {
            xml.open(name);
        }
        for (const auto& element : value) {
            encode_query_value(xml, flattened ? name : std::string_view(member_name), element,
                               item);
        }
        if (!flattened) {
            xml.close(name);
        }
        return;
    }
    if (value.is_object() && shape != nullptr && shape->kind() == QueryShape::Kind::Map) {
        if (!shape->flattened()) {
            xml.open(name);
        }
        for (const auto& [key, element] : value.items()) {
            xml.open(shape->flattened() ? name : "entry");
            xml.element(shape->key_name(), key);
            encode_query_value(xml, shape->value_name(), element, &shape->item());
            xml.close(shape->flattened() ? name : "entry");
        }
        if (!shape->flattened()) {
            xml.close(name);
        }
        return;
    }
    if (value.is_object()) {
        xml.open(name);
        for (const auto& [key, element] : value.items()) {
            const QueryShape::Member* member = shape != nullptr ? shape->find_member(key) : nullptr;
            const std::string& wire =
                member != nullptr && !member->wire_name.empty() ? member->wire_name : key;
            encode_query_value(xml, wire, element, member != nullptr ? &member->shape : nullptr);
        }
        xml.close(name);
        return;
    }
    xml.element(name, query_scalar_text(value));
}

std::string AwsQueryCodec::operation_name(const HttpRequest& request,
                                          const ServiceDefinition&) const {
    if (auto action = query_action(request)) {
        return std::move(*action);
    }
    throw AwsError(errors::MissingAction, "Missing Action");
}

nlohmann::json AwsQueryCodec::decode_input(const HttpRequest& request,
                                           const Operation& operation) const {
    return decode_query_form(query_form(request), operation.input_shape);
}

HttpResponse AwsQueryCodec::encode_result(const nlohmann::json& result,
                                          std::string_view operation_name,
                                          const Operation& operation,
                                          const ServiceDefinition& service,
                                          std::string_view request_id) const {
    XmlWriter xml;
    const std::string response_name = std::string(operation_name) + "Response";
    xml.open(response_name, service.xml_namespace);
    if (result.is_object()) {
        const std::string result_name = std::string(operation_name) + "Result";
        encode_query_value(xml, result_name, result, &operation.output_shape);
    }
    xml.open("ResponseMetadata").element("RequestId", request_id).close("ResponseMetadata");
    xml.close(response_name);
    HttpResponse response;
    response.headers.add("Content-Type", "text/xml");
    response.headers.add("x-amzn-RequestId", std::string(request_id));
    response.body = xml.release();
    return response;
}

HttpResponse AwsQueryCodec::encode_error(const AwsError& error, const ServiceDefinition* service,
                                         std::string_view request_id) const {
    XmlWriter xml;
    xml.open("ErrorResponse", service != nullptr ? service->xml_namespace : "");
    xml.open("Error")
        .element("Type", error.spec().fault == Fault::Sender ? "Sender" : "Receiver")
        .element("Code", error.spec().wire_query_code())
        .element("Message", error.what())
        .close("Error");
    xml.element("RequestId", request_id).close("ErrorResponse");
    HttpResponse response;
    response.status = error.spec().http_status;
    response.headers.add("Content-Type", "text/xml");
    response.headers.add("x-amzn-RequestId", std::string(request_id));
    response.body = xml.release();
    return response;
}

const AuthErrors& AwsQueryCodec::auth_errors() const {
    static const AuthErrors kErrors{
        errors::IncompleteSignature,  errors::MissingAuthenticationToken,
        errors::InvalidClientTokenId, errors::SignatureDoesNotMatch,
        errors::ExpiredToken,         errors::RequestExpired};
    return kErrors;
}

}  // namespace awsemu
