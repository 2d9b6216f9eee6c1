#include "services/sns/sns_unsupported.hpp"

#include "services/sns/sns_errors.hpp"
#include "services/sns/sns_spec.hpp"

namespace awsemu::sns {
namespace {

OperationHandler answer(nlohmann::json result) {
    return [result = std::move(result)](const RequestContext&, const Params&) { return result; };
}

OperationHandler refuse(const ErrorSpec& spec, std::string message) {
    return [&spec, message = std::move(message)](const RequestContext&,
                                                 const Params&) -> nlohmann::json {
        throw AwsError(spec, message);
    };
}

}  // namespace

void add_unsupported_operations(ServiceDefinition& definition) {
    const std::string no_application = "PlatformApplication does not exist";
    const std::string no_endpoint = "Endpoint does not exist";
    const std::pair<const char*, OperationHandler> operations[] = {
        {"CreatePlatformApplication",
         refuse(errors::InvalidParameter,
                "Invalid parameter: Attributes Reason: Platform credentials are invalid")},
        {"CreatePlatformEndpoint", refuse(errors::NotFound, no_application)},
        {"DeletePlatformApplication", answer(nlohmann::json::object())},
        {"DeleteEndpoint", answer(nlohmann::json::object())},
        {"GetPlatformApplicationAttributes", refuse(errors::NotFound, no_application)},
        {"SetPlatformApplicationAttributes", refuse(errors::NotFound, no_application)},
        {"ListEndpointsByPlatformApplication", refuse(errors::NotFound, no_application)},
        {"GetEndpointAttributes", refuse(errors::NotFound, no_endpoint)},
        {"SetEndpointAttributes", refuse(errors::NotFound, no_endpoint)},
        {"ListPlatformApplications", answer({{"PlatformApplications", nlohmann::json::array()}})},
        {"CheckIfPhoneNumberIsOptedOut", answer({{"isOptedOut", false}})},
        {"ListPhoneNumbersOptedOut", answer({{"phoneNumbers", nlohmann::json::array()}})},
        {"OptInPhoneNumber", answer(nlohmann::json::object())},
        {"GetSMSAttributes", answer(nlohmann::json::object())},
        {"SetSMSAttributes", answer(nlohmann::json::object())},
        {"GetSMSSandboxAccountStatus", answer({{"IsInSandbox", true}})},
        {"ListSMSSandboxPhoneNumbers", answer({{"PhoneNumbers", nlohmann::json::array()}})},
        {"ListOriginationNumbers", answer({{"PhoneNumbers", nlohmann::json::array()}})},
        {"CreateSMSSandboxPhoneNumber",
         refuse(errors::AuthorizationError, "awsemu does not send SMS messages")},
        {"VerifySMSSandboxPhoneNumber",
         refuse(errors::AuthorizationError, "awsemu does not send SMS messages")},
        {"DeleteSMSSandboxPhoneNumber",
         refuse(errors::AuthorizationError, "awsemu does not send SMS messages")},
    };
    for (const auto& [name, handler] : operations) {
        definition.operations.emplace(
            name, Operation{handler, query_input_shape(name), query_output_shape(name)});
    }
}

}  // namespace awsemu::sns
