#pragma once

#include <optional>
#include <string>

#include "emulator/protocol/codec.hpp"

namespace awsemu {

// The query protocol: a form (body or query string) with Action and Version in, XML out.
// Input and output follow the operation's QueryShape.
class AwsQueryCodec final : public OperationCodec {
  public:
    std::string operation_name(const HttpRequest& request,
                               const ServiceDefinition& service) const override;
    nlohmann::json decode_input(const HttpRequest& request,
                                const Operation& operation) const override;
    HttpResponse encode_result(const nlohmann::json& result, std::string_view operation_name,
                               const Operation& operation, const ServiceDefinition& service,
                               std::string_view request_id) const override;
    HttpResponse encode_error(const AwsError& error, const ServiceDefinition* service,
                              std::string_view request_id) const override;
    const AuthErrors& auth_errors() const override;
};

// The form of a query request, from its body (POST) or its query string, in order.
std::vector<std::pair<std::string, std::string>> query_form(const HttpRequest& request);

// The form's Action; nullopt without one. The EC2 codec reads it the same way.
std::optional<std::string> query_action(const HttpRequest& request);
// A scalar as XML text: strings as they are, booleans as true/false, numbers as JSON writes them.
std::string query_scalar_text(const nlohmann::json& value);

// Exposed for unit tests: the form -> JSON and JSON -> XML halves.
nlohmann::json decode_query_form(const std::vector<std::pair<std::string, std::string>>& form,
                                 const QueryShape& shape);
void encode_query_value(class XmlWriter& xml, std::string_view name, const nlohmann::json& value,
                        const QueryShape* shape);

}  // namespace awsemu
