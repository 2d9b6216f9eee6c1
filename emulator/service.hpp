#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "emulator/auth/chunk_signing.hpp"
#include "emulator/http/http_message.hpp"
#include "emulator/params.hpp"
#include "emulator/protocol/query_shape.hpp"
#include "emulator/runtime/clock.hpp"

namespace awsemu {

enum class Protocol { AwsJson10, AwsJson11, Query, Ec2, RestXml };

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
    // The request's path, still percent-encoded: SQS takes a queue URL's path as the queue.
    std::string path = {};

    TimePoint now() const { return clock->now(); }
};

using OperationHandler = std::function<nlohmann::json(const RequestContext&, const Params&)>;

// How an operation that may answer later (an SQS long poll) hands over its result or error.
// Call it exactly once, from any thread; work done after the first call must open its own
// transaction, since the request's transaction ends when the handler returns.
using OperationOutcome = std::variant<nlohmann::json, AwsError>;
using OperationReply = std::function<void(OperationOutcome)>;
using DeferredOperationHandler =
    std::function<void(const RequestContext&, const Params&, OperationReply)>;

struct Operation {
    OperationHandler handler;
    // Only for the query protocol: how the form decodes and the result encodes.
    QueryShape input_shape = QueryShape::structure({});
    QueryShape output_shape = QueryShape::structure({});
    // Set instead of `handler` by operations that may answer later.
    DeferredOperationHandler deferred_handler = {};
    // AWS takes unsigned requests for it, even where it checks signatures (SNS's
    // ConfirmSubscription and Unsubscribe, reached through URLs inside messages).
    bool allows_unsigned = false;
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

template <class Service>
DeferredOperationHandler bind_operation(const std::shared_ptr<Service>& service,
                                        void (Service::*method)(const RequestContext&,
                                                                const Params&, OperationReply)) {
    return [service, method](const RequestContext& context, const Params& params,
                             OperationReply reply) {
        ((*service).*method)(context, params, std::move(reply));
    };
}

// A service that reads the HTTP request itself (S3: method, path, query, headers and a body that
// may have streamed to a sink), names the operation for the log and answers the response.
using RawOperationHandler = std::function<HttpResponse(const RequestContext&, const HttpRequest&,
                                                       std::string& operation_name)>;
// `signing` is set when the head's signature will be checked and its body may come in signed
// chunks, which the sink must then check against it.
using BodySinkFactory = std::function<std::shared_ptr<RequestBodySink>(
    const HttpRequest& head, const std::optional<auth::ChunkSigning>& signing)>;

// A service as the router and codecs see it. A service folder builds one of these and adds it to
// the registry; nothing in emulator/ knows any particular service.
struct ServiceDefinition {
    std::string name;          // as in /_awsemu/health and the request log: "secretsmanager"
    std::string signing_name;  // the SigV4 credential scope's service: "secretsmanager"
    // The protocol of requests routed by X-Amz-Target (JSON services) or the only one.
    Protocol protocol = Protocol::AwsJson11;
    std::string json_target_prefix;  // X-Amz-Target prefix, JSON protocols: "secretsmanager"
    // Set when the service (also) speaks the query protocol: "2011-06-15". A JSON service that
    // sets it (SQS) answers requests without X-Amz-Target in the query protocol.
    std::string query_version;
    std::string xml_namespace;  // query protocol: "https://sts.amazonaws.com/doc/2011-06-15/"
    // Sent with JSON errors as x-amzn-query-error, for query-compatible JSON services (SQS).
    bool query_compatible = false;
    ParamErrors param_errors;
    std::map<std::string, Operation, std::less<>> operations;
    // REST-XML services (S3) set these instead of operations.
    RawOperationHandler raw_handler;
    BodySinkFactory body_sink_factory;
    // The operation a request would call, without calling it (for the chaos API's faults).
    std::function<std::string(const HttpRequest&)> raw_operation_name = {};
    // Documents anyone may GET without a signature at /_awsemu/<name>/<path> (SNS's signing
    // certificate), by <path>; nullopt for none there.
    std::function<std::optional<HttpResponse>(std::string_view path)> public_documents = {};
    // Called when all state is emptied (/_awsemu/reset), before the tables are: forgets what
    // runs outside the database (ECS kills its tasks' processes).
    std::function<void()> before_reset = {};
    // What the service adds to GET /_awsemu/status (ELBv2: its listeners' local URLs): members
    // of one JSON object.
    std::function<nlohmann::json()> status = {};
};

}  // namespace awsemu
