#pragma once

#include <nlohmann/json.hpp>

#include "emulator/auth/credentials.hpp"
#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/sts/sts_store.hpp"

namespace awsemu::sts {

// STS: who am I (GetCallerIdentity), and temporary credentials that act in a role's account
// (AssumeRole). The keys it issues are known to the authenticator through CredentialSource.
class StsService final : public CredentialSource {
  public:
    explicit StsService(Database& database) : store_(database) {}

    nlohmann::json get_caller_identity(const RequestContext& context, const Params& params);
    nlohmann::json assume_role(const RequestContext& context, const Params& params);

    std::optional<ResolvedCredential> find(std::string_view access_key_id) const override;

  private:
    mutable StsStore store_;
};

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment);

}  // namespace awsemu::sts
