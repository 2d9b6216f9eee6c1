#pragma once

#include "emulator/protocol/codec.hpp"

namespace awsemu {

// AWS JSON 1.0 / 1.1: X-Amz-Target names the operation, the body is the input structure, errors
// are {"__type", "message"}; query-compatible services add x-amzn-query-error.
class AwsJsonCodec final : public OperationCodec {
  public:
    explicit AwsJsonCodec(std::string content_type) : content_type_(std::move(content_type)) {}

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

  private:
    std::string content_type_;
};

}  // namespace awsemu
