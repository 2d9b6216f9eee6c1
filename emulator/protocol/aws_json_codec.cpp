#include "emulator/protocol/aws_json_codec.hpp"

#include <algorithm>
#include <charconv>

#include "emulator/protocol/common_errors.hpp"
#include "emulator/protocol/json_input.hpp"

namespace awsemu {
namespace {

std::string dump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_string(std::string& out, const std::string& text) {
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x20 && byte < 0x80 && c != '"' && c != '\\';
    });
    if (!plain) {
        out += dump(text);  // escapes, UTF-8 checks and replacements
        return;
    }
    out += '"';
    out += text;
    out += '"';
}

template <class Integer>
void append_integer(std::string& out, Integer number) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
    out.append(digits, end);
}

// Writes what dump() writes, several times faster: strings that need no escaping, the common
// case, are copied whole instead of character by character; anything else (escapes, non-ASCII,
// floating point numbers) is left to dump().
void append_json(std::string& out, const nlohmann::json& value) {
    using json = nlohmann::json;
    switch (value.type()) {
        case json::value_t::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
                if (!first) {
                    out += ',';
                }
                first = false;
                append_string(out, key);
                out += ':';
                append_json(out, member);
            }
            out += '}';
            return;
        }
        case json::value_t::array: {
            out += '[';
            bool first = true;
            for (const auto& element : value.get_ref<const json::array_t&>()) {
                if (!first) {
                    out += ',';
                }
                first = false;
                append_json(out, element);
            }
            out += ']';
            return;
        }
        case json::value_t::string:
            append_string(out, value.get_ref<const std::string&>());
            return;
        case json::value_t::boolean:
            out += value.get<bool>() ? "true" : "false";
            return;
        case json::value_t::null:
            out += "null";
            return;
        case json::value_t::number_integer:
            append_integer(out, value.get<std::int64_t>());
            return;
        case json::value_t::number_unsigned:
            append_integer(out, value.get<std::uint64_t>());
            return;
        default:
            out += dump(value);
            return;
    }
}

std::string to_json_text(const nlohmann::json& value) {
    std::string out;
    out.reserve(256);
    append_json(out, value);
    return out;
}

}  // namespace

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
    response.body = result.is_null() ? "{}" : to_json_text(result);
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
    response.body = to_json_text(body);
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
