#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "emulator/http/http_message.hpp"
#include "emulator/protocol/aws_error.hpp"
#include "emulator/service.hpp"

namespace awsemu {

// The errors a protocol family gives for authentication failures; AWS spells them differently
// in JSON services (InvalidSignatureException), query services (SignatureDoesNotMatch) and S3.
struct AuthErrors {
    ErrorSpec incomplete;       // an Authorization header that cannot be read
    ErrorSpec missing;          // strict mode, no signature at all
    ErrorSpec unknown_key;      // an access key id nobody issued
    ErrorSpec mismatch;         // the signature does not match
    ErrorSpec expired_token;    // temporary credentials past their expiration
    ErrorSpec expired_request;  // a presigned URL past its expiry
    std::string_view unknown_key_message = "The security token included in the request is invalid.";
};

// How a protocol writes errors. Every protocol has one.
class ErrorEncoder {
  public:
    virtual ~ErrorEncoder() = default;
    // `service` is null when no service could be told from the request.
    virtual HttpResponse encode_error(const AwsError& error, const ServiceDefinition* service,
                                      std::string_view request_id) const = 0;
    virtual const AuthErrors& auth_errors() const = 0;
};

// How a protocol whose input is a structure (JSON or form) reads operations and writes results.
class OperationCodec : public ErrorEncoder {
  public:
    // The operation the request names; throws AwsError when it names none.
    virtual std::string operation_name(const HttpRequest& request,
                                       const ServiceDefinition& service) const = 0;
    virtual nlohmann::json decode_input(const HttpRequest& request,
                                        const Operation& operation) const = 0;
    virtual HttpResponse encode_result(const nlohmann::json& result,
                                       std::string_view operation_name, const Operation& operation,
                                       const ServiceDefinition& service,
                                       std::string_view request_id) const = 0;
};

const ErrorEncoder& error_encoder_for(Protocol protocol);
// Null for protocols whose services read the request themselves (REST-XML).
const OperationCodec* operation_codec_for(Protocol protocol);

}  // namespace awsemu
