#pragma once

#include <cstddef>

#include "emulator/admin/admin_api.hpp"
#include "emulator/auth/authenticator.hpp"
#include "emulator/chaos/api_faults.hpp"
#include "emulator/http/request_handler.hpp"
#include "emulator/request_log.hpp"
#include "emulator/router.hpp"
#include "emulator/runtime/scheduler.hpp"
#include "emulator/store/group_commit.hpp"

namespace awsemu {

// A request's way from bytes to an answer: route, authenticate, decode, run the operation in
// its own unit of the group commit, encode, answer once that is committed; any AwsError is
// encoded in the protocol of the service it was for.
class Dispatcher final : public RequestHandler {
  public:
    Dispatcher(const ServiceRegistry& registry, Authenticator& authenticator, GroupCommit& commits,
               const Clock& clock, Scheduler& scheduler, AdminApi& admin, ApiFaults& faults,
               Logger& logger)
        : router_(registry),
          authenticator_(authenticator),
          commits_(commits),
          clock_(clock),
          scheduler_(scheduler),
          admin_(admin),
          faults_(faults),
          logger_(logger) {}

    std::optional<HttpResponse> handle(const HttpRequest& request,
                                       ResponseDeferral& deferral) override;
    std::shared_ptr<RequestBodySink> body_sink_for(const HttpRequest& head) override;
    // A request whose body was longer than the server accepts (only its head was read).
    HttpResponse reject_oversized(const HttpRequest& head, std::size_t limit) override;
    // A request the HTTP layer could not parse.
    HttpResponse reject_malformed(std::string_view reason) override;

  private:
    struct Call;
    struct DelayedCall;
    // handle(), or the run of a call an injected fault's delay put off (`delayed`).
    std::optional<HttpResponse> dispatch(const HttpRequest& request, ResponseDeferral& deferral,
                                         const DelayedCall* delayed);
    // Once the caller is authenticated and the operation known: a call that meets an injected
    // fault (ApiFaults) throws its error, or is put off by its delay (true: it is dispatched
    // again and answered once the delay is over); false to run it now.
    bool meets_fault(const HttpRequest& request, const ServiceDefinition& service, const Call& call,
                     ResponseDeferral& deferral);
    std::optional<HttpResponse> run_operation(const HttpRequest& request, const Route& route,
                                              Call& call, ResponseDeferral& deferral);
    std::optional<HttpResponse> run_raw_operation(const HttpRequest& request,
                                                  const ServiceDefinition& service, Call& call,
                                                  ResponseDeferral& deferral);
    std::optional<HttpResponse> answer(HttpResponse response, Call call, const Route& route,
                                       ResponseDeferral& deferral);
    // An unsigned request for an operation AWS lets anyone call.
    static bool allows_unsigned(const HttpRequest& request, const ServiceDefinition& service,
                                const OperationCodec& codec);
    RequestContext context_for(const HttpRequest& request, const Identity& identity,
                               const Call& call) const;

    Router router_;
    Authenticator& authenticator_;
    GroupCommit& commits_;
    const Clock& clock_;
    Scheduler& scheduler_;
    AdminApi& admin_;
    ApiFaults& faults_;
    Logger& logger_;
};

std::string new_request_id();

}  // namespace awsemu
