#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/runtime/clock.hpp"

namespace awsemu {

// What an access key id stands for.
struct ResolvedCredential {
    std::string secret_access_key;
    std::string account_id;
    std::string principal_arn;  // arn:aws:iam::ACCOUNT:root, or an assumed role's session ARN
    std::string user_id;        // GetCallerIdentity's UserId
    std::string session_token;  // temporary credentials only
    std::optional<TimePoint> expiration;
};

// Something that issues credentials at run time (STS's AssumeRole).
class CredentialSource {
  public:
    virtual ~CredentialSource() = default;
    virtual std::optional<ResolvedCredential> find(std::string_view access_key_id) const = 0;
};

struct StaticCredential {
    std::string access_key_id;
    std::string secret_access_key;
};

// Every access key awsemu knows: the configured ones (--credentials) and those sources issue.
// A 12-digit access key id is the account it names; any other key maps to the default account.
class CredentialRegistry {
  public:
    CredentialRegistry(std::vector<StaticCredential> static_credentials,
                       std::string default_account_id);

    void add_source(const CredentialSource* source) { sources_.push_back(source); }
    // The key's secret and identity when awsemu knows the key.
    std::optional<ResolvedCredential> find(std::string_view access_key_id) const;
    // The identity of any key, known or not (open mode accepts every key).
    ResolvedCredential identify(std::string_view access_key_id) const;
    const std::string& default_account_id() const { return default_account_id_; }

  private:
    std::string account_for_key(std::string_view access_key_id) const;

    std::map<std::string, std::string, std::less<>> static_secrets_;
    std::string default_account_id_;
    std::vector<const CredentialSource*> sources_;
};

bool is_account_id(std::string_view text);

}  // namespace awsemu
