#include "emulator/auth/authenticator.hpp"

#include "emulator/runtime/time_format.hpp"

#include <variant>

#include "emulator/auth/sigv4.hpp"

namespace awsemu {
namespace {

constexpr std::string_view kMismatchMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

Identity identity_of(ResolvedCredential credential, std::string access_key_id, std::string region) {
    return Identity{std::move(credential.account_id),
                    region.empty() ? std::string(kDefaultRegion) : std::move(region),
                    std::move(access_key_id), std::move(credential.principal_arn),
                    std::move(credential.user_id)};
}

}  // namespace

double Authenticator::set_initial_no_auth_action_count(double count) {
    std::lock_guard lock(mutex_);
    const double previous = initial_no_auth_action_count_;
    initial_no_auth_action_count_ = count;
    requests_seen_ = 0;
    return previous;
}

bool Authenticator::strict_now() {
    if (mode_ == AuthMode::Strict) {
        return true;
    }
    std::lock_guard lock(mutex_);
    if (initial_no_auth_action_count_ == std::numeric_limits<double>::infinity()) {
        return false;
    }
    return ++requests_seen_ > initial_no_auth_action_count_;
}

bool Authenticator::strict_next() {
    if (mode_ == AuthMode::Strict) {
        return true;
    }
    std::lock_guard lock(mutex_);
    return initial_no_auth_action_count_ != std::numeric_limits<double>::infinity() &&
           requests_seen_ + 1 > initial_no_auth_action_count_;
}

std::optional<auth::ChunkSigning> Authenticator::chunk_signing(const HttpRequest& head) {
    if (!strict_next()) {
        return std::nullopt;
    }
    const auto parsed = auth::parse_sigv4(head);
    const auto* signature = std::get_if<auth::SigV4Request>(&parsed);
    if (signature == nullptr || signature->presigned) {
        return std::nullopt;
    }
    const auto credential = credentials_.find(signature->scope.access_key_id);
    if (!credential) {
        return std::nullopt;
    }
    return auth::ChunkSigning{signature->signature,
                              auth::signing_key(credential->secret_access_key, signature->scope),
                              signature->amz_date, auth::scope_string(signature->scope)};
}

Identity Authenticator::authenticate(const HttpRequest& request, const AuthErrors& errors) {
    const auto malformed = [&] {
        return AwsError(errors.incomplete,
                        "Authorization header requires 'Credential', 'Signature' and "
                        "'SignedHeaders' parameters, in the form "
                        "'AWS4-HMAC-SHA256 Credential=.../date/region/service/aws4_request, "
                        "SignedHeaders=..., Signature=...'.");
    };
    const bool strict = strict_now();
    if (!strict) {
        // Open mode needs only the key and region, not the signature's parts.
        const auto caller = auth::parse_sigv4_caller(request);
        if (const auto* error = std::get_if<auth::SigV4ParseError>(&caller)) {
            if (*error == auth::SigV4ParseError::Malformed) {
                throw malformed();
            }
            return identity_of(credentials_.identify(""), "", "");
        }
        const auto& [key, region] = std::get<auth::SigV4Caller>(caller);
        return identity_of(credentials_.identify(key), key, region);
    }
    const auto parsed = auth::parse_sigv4(request);
    if (const auto* error = std::get_if<auth::SigV4ParseError>(&parsed)) {
        if (*error == auth::SigV4ParseError::Malformed) {
            throw malformed();
        }
        throw AwsError(errors.missing, "Request is missing Authentication Token");
    }
    const auto& signature = std::get<auth::SigV4Request>(parsed);
    const auto& key = signature.scope.access_key_id;
    auto credential = credentials_.find(key);
    if (!credential) {
        throw AwsError(errors.unknown_key, std::string(errors.unknown_key_message))
            .with("AWSAccessKeyId", key);
    }
    if (credential->expiration && *credential->expiration < clock_.now()) {
        throw AwsError(errors.expired_token,
                       "The security token included in the request is expired");
    }
    if (!credential->session_token.empty() &&
        credential->session_token != signature.session_token) {
        throw AwsError(errors.unknown_key,
                       "The security token included in the request is invalid.");
    }
    switch (
        auth::verify_sigv4(request, signature, credential->secret_access_key, wall_clock_.now())) {
        case auth::SigV4Check::Valid:
            return identity_of(std::move(*credential), key, signature.scope.region);
        case auth::SigV4Check::Expired:
            throw AwsError(errors.expired_request, "Request has expired")
                .with("X-Amz-Expires", std::to_string(signature.expires_seconds.value_or(0)))
                .with("ServerTime", format_iso8601(wall_clock_.now()));
        case auth::SigV4Check::NotYetValid:
            throw AwsError(errors.expired_request, "Request is not yet valid");
        case auth::SigV4Check::SignatureMismatch:
            break;
    }
    throw AwsError(errors.mismatch, std::string(kMismatchMessage));
}

}  // namespace awsemu
