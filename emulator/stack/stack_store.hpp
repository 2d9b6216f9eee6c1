#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"

// What a state directory remembers of a stack `awsemu up` ran, per account and region: the
// digest of its file and the result of every call that succeeded (and of every wait marked
// "once" that held), saved as each one does. `up` on the same directory thus resumes where it
// stopped instead of creating everything again.
namespace awsemu::stack {

struct AppliedStack {
    std::string digest;
    nlohmann::json results;  // step id -> what it answered
};

class StackStore {
  public:
    explicit StackStore(Database& database);

    // Both run inside the caller's transaction.
    std::optional<AppliedStack> find(const Scope& scope, const std::string& name);
    void save(const Scope& scope, const std::string& name, const AppliedStack& applied);

  private:
    Database& database_;
};

}  // namespace awsemu::stack
