#pragma once

#include "emulator/protocol/codec.hpp"

namespace awsemu {

// EC2's own protocol ("ec2" in the service model): a query-style form in, but every list is
// flattened under its member's query name ("SubnetId.1", "Filter.1.Value.2"), and XML out
// without a Result wrapper: <XResponse><requestId/>members in lower camel case, lists as
// <name><item/></name>; errors as <Response><Errors><Error/></Errors><RequestID/></Response>.
// Input shapes declare lists flattened and spell wire names (QueryMember::wire_name); output
// shapes only name the members whose locationName is not the member name in lower camel case.
class Ec2Codec final : public OperationCodec {
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

// Exposed for unit tests: one value as EC2 writes it.
void encode_ec2_value(class XmlWriter& xml, std::string_view name, const nlohmann::json& value,
                      const QueryShape* shape);
// "VpcId" -> "vpcId": the XML name of an output member without a declared wire name.
std::string ec2_output_name(std::string_view member_name);

}  // namespace awsemu
