#pragma once

#include <limits>
#include <mutex>
#include <optional>
#include <string>

#include "emulator/auth/chunk_signing.hpp"
#include "emulator/auth/credentials.hpp"
#include "emulator/http/http_message.hpp"
#include "emulator/protocol/codec.hpp"

namespace awsemu {

enum class AuthMode { Open, Strict };

struct Identity {
    std::string account_id;
    std::string region;
    std::string access_key_id;
    std::string caller_arn;
    std::string user_id;
};

inline constexpr std::string_view kDefaultRegion = "us-east-1";

// Tells who sent a request and, in strict mode, checks that they signed it with their secret.
class Authenticator {
  public:
    // `wall_clock` judges signature dates and presigned URL expiry: clients sign with real time,
    // whatever the emulated time scale. `clock` judges temporary credentials, whose lifetime
    // is an AWS interval like any other.
    Authenticator(AuthMode mode, const CredentialRegistry& credentials, const Clock& clock,
                  const Clock& wall_clock)
        : mode_(mode), credentials_(credentials), clock_(clock), wall_clock_(wall_clock) {}

    // Throws the protocol's AwsError when the request may not pass.
    Identity authenticate(const HttpRequest& request, const AuthErrors& errors);

    // For a request whose body has yet to arrive: the key its signed chunks must chain from,
    // when signatures are checked and the head is signed in the Authorization header by a known
    // key. authenticate() still judges the head itself once the body is in.
    std::optional<auth::ChunkSigning> chunk_signing(const HttpRequest& head);

    // moto's /moto-api/reset-auth: the next `count` requests pass unchecked, later ones are
    // checked as in strict mode; infinity (the default) never checks. Answers the old count.
    double set_initial_no_auth_action_count(double count);

    // Who an unsigned request that needs no signature (a CORS preflight) acts as.
    Identity anonymous() const {
        return Identity{credentials_.default_account_id(), std::string(kDefaultRegion), "", "", ""};
    }

  private:
    bool strict_now();
    // strict_now() for the request about to be counted, without counting it.
    bool strict_next();

    AuthMode mode_;
    std::mutex mutex_;
    double initial_no_auth_action_count_ = std::numeric_limits<double>::infinity();
    double requests_seen_ = 0;
    const CredentialRegistry& credentials_;
    const Clock& clock_;
    const Clock& wall_clock_;
};

}  // namespace awsemu
