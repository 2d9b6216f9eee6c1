#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator/store/database.hpp"

// What a state directory remembers of a stack `awsemu up` ran: the digest of its file and the
// result of every call that succeeded, saved as each one does. `up` on the same directory
// thus resumes where it stopped instead of creating everything again.
namespace awsemu::stack {

struct AppliedStack {
    std::string digest;
    nlohmann::json results;  // step id -> what it answered
};

class StackRecord {
  public:
    explicit StackRecord(Database& database);

    // Both run inside the caller's transaction.
    std::optional<AppliedStack> find(const std::string& name);
    void save(const std::string& name, const AppliedStack& applied);

  private:
    Database& database_;
};

}  // namespace awsemu::stack
