#include "emulator/dispatcher.hpp"

#include <atomic>
#include <chrono>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/common_errors.hpp"

namespace awsemu {
namespace {

std::string_view protocol_name(Protocol protocol) {
    switch (protocol) {
        case Protocol::AwsJson10:
        case Protocol::AwsJson11:
            return "json";
        case Protocol::Query:
            return "query";
        case Protocol::Ec2:
            return "ec2";
        case Protocol::RestXml:
            return "s3";
    }
    return "unknown";
}

}  // namespace

std::string new_request_id() {
    return auth::fast_uuid_v4();
}

// What the log line of one request needs, filled in as the request goes along.
struct Dispatcher::Call {
    std::string request_id = new_request_id();
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::string operation_name = "-";
    std::string_view service_name = "-";
    const DelayedCall* delayed = nullptr;  // set when it runs after an injected delay
};

// A call put off by an injected fault's delay: the fault, and when the call came.
struct Dispatcher::DelayedCall {
    ApiFaultRule fault;
    std::chrono::steady_clock::time_point started;
};

namespace {

// AWS's words for a failure that is ours, not the caller's.
AwsError internal_failure() {
    return AwsError(errors::InternalFailure,
                    "The request processing has failed because of an unknown error, exception "
                    "or failure.");
}

// The rest of a request whose operation answers later: encodes the outcome in the request's
// protocol and, once the writes it rests on are committed, logs the request and hands the
// response to the HTTP session.
class PendingReply : public std::enable_shared_from_this<PendingReply> {
  public:
    PendingReply(const OperationCodec& codec, const Operation& operation,
                 const ServiceDefinition& service, std::string operation_name,
                 std::string request_id, std::chrono::steady_clock::time_point started,
                 GroupCommit& commits, Logger& logger, ResponseDeferral::Responder respond)
        : codec_(codec),
          operation_(operation),
          service_(service),
          operation_name_(std::move(operation_name)),
          request_id_(std::move(request_id)),
          started_(started),
          commits_(commits),
          logger_(logger),
          respond_(std::move(respond)) {}

    void finish(OperationOutcome outcome) {
        if (finished_.exchange(true)) {
            return;
        }
        HttpResponse response =
            std::holds_alternative<AwsError>(outcome)
                ? codec_.encode_error(std::get<AwsError>(outcome), &service_, request_id_)
                : codec_.encode_result(std::get<nlohmann::json>(outcome), operation_name_,
                                       operation_, service_, request_id_);
        commits_.after_commit([self = shared_from_this(),
                               response = std::move(response)](const StoreError* failure) mutable {
            self->deliver(std::move(response), failure);
        });
    }

  private:
    void deliver(HttpResponse response, const StoreError* failure) {
        if (failure != nullptr) {
            logger_.error("request " + request_id_ + " failed: " + failure->what());
            response = codec_.encode_error(internal_failure(), &service_, request_id_);
        }
        logger_.request({service_.name, operation_name_, response.status,
                         std::chrono::steady_clock::now() - started_, request_id_});
        respond_(std::move(response));
    }

    const OperationCodec& codec_;
    const Operation& operation_;
    const ServiceDefinition& service_;
    std::string operation_name_;
    std::string request_id_;
    std::chrono::steady_clock::time_point started_;
    GroupCommit& commits_;
    Logger& logger_;
    ResponseDeferral::Responder respond_;
    std::atomic<bool> finished_{false};
};

// A deferral whose answer goes where an earlier one's does.
class ForwardingDeferral final : public ResponseDeferral {
  public:
    explicit ForwardingDeferral(Responder respond) : respond_(std::move(respond)) {}
    Responder defer() override { return respond_; }

  private:
    Responder respond_;
};

}  // namespace

std::optional<HttpResponse> Dispatcher::handle(const HttpRequest& request,
                                               ResponseDeferral& deferral) {
    return dispatch(request, deferral, nullptr);
}

bool Dispatcher::meets_fault(const HttpRequest& request, const ServiceDefinition& service,
                             const Call& call, ResponseDeferral& deferral) {
    if (call.delayed != nullptr) {
        if (!call.delayed->fault.error_code.empty()) {
            throw call.delayed->fault.error();
        }
        return false;
    }
    if (!faults_.any()) {
        return false;
    }
    auto fault = faults_.draw(service.name, call.operation_name);
    if (!fault) {
        return false;
    }
    if (fault->latency.count() == 0) {
        throw fault->error();
    }
    const TimePoint due = clock_.now() + fault->latency;
    scheduler_.at(due, [this, request, delayed = DelayedCall{std::move(*fault), call.started},
                        respond = deferral.defer()] {
        ForwardingDeferral later(respond);
        if (auto response = dispatch(request, later, &delayed)) {
            respond(std::move(*response));
        }
    });
    return true;
}

std::optional<HttpResponse> Dispatcher::dispatch(const HttpRequest& request,
                                                 ResponseDeferral& deferral,
                                                 const DelayedCall* delayed) {
    Call call;
    if (delayed != nullptr) {
        call.started = delayed->started;
        call.delayed = delayed;
    }
    const Route route = router_.route(request);
    std::optional<HttpResponse> response;
    try {
        switch (route.kind) {
            case RouteKind::Admin:
                call.service_name = "awsemu";
                response = admin_.handle(request, call.operation_name);
                response->headers.set("x-amzn-RequestId", call.request_id);
                break;
            case RouteKind::Service:
                call.service_name = route.service->name;
                response = run_operation(request, route, call, deferral);
                if (!response) {
                    return std::nullopt;  // the operation logs and answers when it is done
                }
                break;
            case RouteKind::Unknown:
                call.service_name = protocol_name(route.protocol);
                throw AwsError(route.protocol == Protocol::AwsJson11
                                   ? errors::UnknownOperationException
                                   : errors::InvalidAction,
                               "awsemu does not emulate the service this request is for");
        }
    } catch (const AwsError& error) {
        response =
            error_encoder_for(route.protocol).encode_error(error, route.service, call.request_id);
    } catch (const std::exception& failure) {
        logger_.error("request " + call.request_id + " failed: " + failure.what());
        response = error_encoder_for(route.protocol)
                       .encode_error(internal_failure(), route.service, call.request_id);
    }
    return answer(std::move(*response), std::move(call), route, deferral);
}

std::optional<HttpResponse> Dispatcher::answer(HttpResponse response, Call call, const Route& route,
                                               ResponseDeferral& deferral) {
    if (!commits_.batch_open()) {
        logger_.request({call.service_name, call.operation_name, response.status,
                         std::chrono::steady_clock::now() - call.started, call.request_id});
        return response;
    }
    // Even an error may rest on the batch's writes (e.g. a name another request just took).
    commits_.after_commit([this, respond = deferral.defer(), response = std::move(response),
                           call = std::move(call), protocol = route.protocol,
                           service = route.service](const StoreError* failure) mutable {
        if (failure != nullptr) {
            logger_.error("request " + call.request_id + " failed: " + failure->what());
            response = error_encoder_for(protocol).encode_error(internal_failure(), service,
                                                                call.request_id);
        }
        logger_.request({call.service_name, call.operation_name, response.status,
                         std::chrono::steady_clock::now() - call.started, call.request_id});
        respond(std::move(response));
    });
    return std::nullopt;
}

std::optional<HttpResponse> Dispatcher::run_operation(const HttpRequest& request,
                                                      const Route& route, Call& call,
                                                      ResponseDeferral& deferral) {
    const ServiceDefinition& service = *route.service;
    const OperationCodec* codec = operation_codec_for(route.protocol);
    if (codec == nullptr) {
        return run_raw_operation(request, service, call, deferral);
    }
    const Identity identity = allows_unsigned(request, service, *codec)
                                  ? authenticator_.anonymous()
                                  : authenticator_.authenticate(request, codec->auth_errors());
    call.operation_name = codec->operation_name(request, service);
    const auto it = service.operations.find(call.operation_name);
    if (it == service.operations.end()) {
        const bool json = route.protocol != Protocol::Query && route.protocol != Protocol::Ec2;
        if (json) {
            throw AwsError(errors::UnknownOperationException, "");
        }
        throw AwsError(errors::InvalidAction,
                       "The action " + call.operation_name + " is not valid for this " +
                           (route.protocol == Protocol::Ec2 ? "web service." : "endpoint."));
    }
    if (meets_fault(request, service, call, deferral)) {
        return std::nullopt;  // answered once its delay is over
    }
    const Operation& operation = it->second;
    const Params params(codec->decode_input(request, operation), service.param_errors);
    const RequestContext context = context_for(request, identity, call);
    auto transaction = commits_.unit();
    if (operation.deferred_handler) {
        auto pending = std::make_shared<PendingReply>(
            *codec, operation, service, call.operation_name, call.request_id, call.started,
            commits_, logger_, deferral.defer());
        operation.deferred_handler(context, params, [pending](OperationOutcome outcome) {
            pending->finish(std::move(outcome));
        });
        transaction.commit();
        return std::nullopt;
    }
    const nlohmann::json result = operation.handler(context, params);
    transaction.commit();
    return codec->encode_result(result, call.operation_name, operation, service, call.request_id);
}

bool Dispatcher::allows_unsigned(const HttpRequest& request, const ServiceDefinition& service,
                                 const OperationCodec& codec) {
    if (request.headers.contains("Authorization") || request.has_query_param("X-Amz-Signature")) {
        return false;
    }
    try {
        const auto it = service.operations.find(codec.operation_name(request, service));
        return it != service.operations.end() && it->second.allows_unsigned;
    } catch (const AwsError&) {
        return false;  // no operation named: authentication speaks first
    }
}

RequestContext Dispatcher::context_for(const HttpRequest& request, const Identity& identity,
                                       const Call& call) const {
    const std::string_view host = request.headers.get("Host");
    return RequestContext{Scope{identity.account_id, identity.region},
                          call.request_id,
                          identity.access_key_id,
                          identity.caller_arn,
                          "http://" + std::string(host.empty() ? "localhost" : host),
                          &clock_,
                          request.path};
}

std::optional<HttpResponse> Dispatcher::run_raw_operation(const HttpRequest& request,
                                                          const ServiceDefinition& service,
                                                          Call& call, ResponseDeferral& deferral) {
    if (!service.raw_handler) {
        throw AwsError(errors::NotImplemented, "awsemu does not serve " + service.name + " yet");
    }
    // Browsers never sign CORS preflights; the service answers them from its CORS rules.
    const Identity identity = request.method == "OPTIONS"
                                  ? authenticator_.anonymous()
                                  : authenticator_.authenticate(
                                        request, error_encoder_for(service.protocol).auth_errors());
    // Only faults need the operation's name before it runs (its handler names it anyway):
    // naming it twice would route every request twice.
    if ((call.delayed != nullptr || faults_.any()) && service.raw_operation_name) {
        call.operation_name = service.raw_operation_name(request);
    }
    if (meets_fault(request, service, call, deferral)) {
        return std::nullopt;  // answered once its delay is over
    }
    const RequestContext context = context_for(request, identity, call);
    auto transaction = commits_.unit();
    HttpResponse response = service.raw_handler(context, request, call.operation_name);
    transaction.commit();
    response.headers.set("x-amz-request-id", call.request_id);
    response.headers.set("x-amz-id-2", call.request_id);
    return response;
}

std::shared_ptr<RequestBodySink> Dispatcher::body_sink_for(const HttpRequest& head) {
    // Payloads too large to hold arrive by PUT (S3 objects and parts); every other request's
    // body is small, and routing it twice would cost every request.
    if (head.method != "PUT") {
        return nullptr;
    }
    const Route route = router_.route(head, /*body_available=*/false);
    if (route.kind != RouteKind::Service || !route.service->body_sink_factory) {
        return nullptr;
    }
    return route.service->body_sink_factory(head, authenticator_.chunk_signing(head));
}

HttpResponse Dispatcher::reject_oversized(const HttpRequest& head, std::size_t limit) {
    const std::string request_id = new_request_id();
    const Route route = router_.route(head, /*body_available=*/false);
    AwsError error(errors::RequestEntityTooLarge,
                   "Request body is larger than the " + std::to_string(limit) +
                       " bytes this server accepts (--max-body-size).");
    if (route.protocol == Protocol::RestXml) {
        error = AwsError(errors::EntityTooLarge,
                         "Your proposed upload exceeds the maximum allowed size");
        error.with("ProposedSize", std::string(head.headers.get("Content-Length")))
            .with("MaxSizeAllowed", std::to_string(limit));
    }
    auto response =
        error_encoder_for(route.protocol).encode_error(error, route.service, request_id);
    logger_.request({route.service ? std::string_view(route.service->name) : "-", "-",
                     response.status, std::chrono::nanoseconds(0), request_id});
    return response;
}

HttpResponse Dispatcher::reject_malformed(std::string_view reason) {
    const std::string request_id = new_request_id();
    const AwsError error(errors::BadRequest,
                         "The HTTP request could not be read: " + std::string(reason));
    auto response = error_encoder_for(Protocol::RestXml).encode_error(error, nullptr, request_id);
    response.headers.set("x-amzn-RequestId", request_id);
    logger_.request({"-", "-", response.status, std::chrono::nanoseconds(0), request_id});
    return response;
}

}  // namespace awsemu
