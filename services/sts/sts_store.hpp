#pragma once

#include <optional>
#include <string_view>

#include "emulator/store/database.hpp"
#include "services/sts/sts_model.hpp"

namespace awsemu::sts {

class StsStore {
  public:
    explicit StsStore(Database& database);

    void insert_session(const RoleSession& session);
    // Access keys are unique across accounts: a request names its key before its account is known.
    std::optional<RoleSession> find_session(std::string_view access_key_id);

  private:
    Database& database_;
};

}  // namespace awsemu::sts
