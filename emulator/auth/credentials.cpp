#include "emulator/auth/credentials.hpp"

#include <algorithm>
#include <cctype>

namespace awsemu {

bool is_account_id(std::string_view text) {
    return text.size() == 12 && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isdigit(static_cast<unsigned char>(c)) != 0;
           });
}

CredentialRegistry::CredentialRegistry(std::vector<StaticCredential> static_credentials,
                                       std::string default_account_id)
    : default_account_id_(std::move(default_account_id)) {
    for (auto& credential : static_credentials) {
        static_secrets_.emplace(std::move(credential.access_key_id),
                                std::move(credential.secret_access_key));
    }
}

std::string CredentialRegistry::account_for_key(std::string_view access_key_id) const {
    return is_account_id(access_key_id) ? std::string(access_key_id) : default_account_id_;
}

std::optional<ResolvedCredential> CredentialRegistry::find(std::string_view access_key_id) const {
    if (const auto it = static_secrets_.find(access_key_id); it != static_secrets_.end()) {
        auto identity = identify(access_key_id);
        identity.secret_access_key = it->second;
        return identity;
    }
    for (const auto* source : sources_) {
        if (auto found = source->find(access_key_id)) {
            return found;
        }
    }
    return std::nullopt;
}

ResolvedCredential CredentialRegistry::identify(std::string_view access_key_id) const {
    if (!static_secrets_.contains(access_key_id)) {
        for (const auto* source : sources_) {
            if (auto found = source->find(access_key_id)) {
                return *found;
            }
        }
    }
    ResolvedCredential identity;
    identity.account_id = account_for_key(access_key_id);
    identity.principal_arn = "arn:aws:iam::" + identity.account_id + ":root";
    identity.user_id = identity.account_id;
    return identity;
}

}  // namespace awsemu
