#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "emulator/params.hpp"
#include "emulator/protocol/query_shape.hpp"
#include "emulator/runtime/clock.hpp"

namespace awsemu {

enum class Protocol { AwsJson10, AwsJson11, Query, RestXml };

// Every resource belongs to one account in one region.
struct Scope {
    std::string account_id;
    std::string region;
};

// What an operation knows of the request besides its parameters.
struct RequestContext {
    Scope scope;
    std::string request_id;
    std::string access_key_id;  // empty for anonymous requests
    std::string caller_arn;     // the principal: root, or an assumed role
    std::string endpoint;       // scheme://host[:port] the client used, for URLs we hand out
    const Clock* clock = nullptr;

    TimePoint now() const { return clock->now(); }
};

using OperationHandler = std::function<nlohmann::json(const RequestContext&, const Params&)>;

struct Operation {
    OperationHandler handler;
    // Only for the query protocol: how the form decodes and the result encodes.
    QueryShape input_shape = QueryShape::structure({});
    QueryShape output_shape = QueryShape::structure({});
};

// Binds a service object's member function as an operation; the handler shares ownership of the
// object, so the service lives as long as the registry holds its definition.
template <class Service>
OperationHandler bind_operation(const std::shared_ptr<Service>& service,
                                nlohmann::json (Service::*method)(const RequestContext&,
                                                                  const Params&)) {
    return [service, method](const RequestContext& context, const Params& params) {
        return ((*service).*method)(context, params);
    };
}

// A service as the router and codecs see it. A service folder builds one of these and adds it to
// the registry; nothing in emulator/ knows any particular service.
struct ServiceDefinition {
    std::string name;          // as in /_awsemu/health and the request log: "secretsmanager"
    std::string signing_name;  // the SigV4 credential scope's service: "secretsmanager"
    Protocol protocol = Protocol::AwsJson11;
    std::string json_target_prefix;  // X-Amz-Target prefix, JSON protocols: "secretsmanager"
    std::string query_version;       // query protocol: "2011-06-15"
    std::string xml_namespace;       // query protocol: "https://sts.amazonaws.com/doc/2011-06-15/"
    // Sent with JSON errors as x-amzn-query-error, for query-compatible JSON services (SQS).
    bool query_compatible = false;
    ParamErrors param_errors;
    std::map<std::string, Operation, std::less<>> operations;
};

}  // namespace awsemu
