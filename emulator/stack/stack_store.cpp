#include "emulator/stack/stack_store.hpp"

namespace awsemu::stack {

StackStore::StackStore(Database& database) : database_(database) {
    database_.migrate("stacks", {"CREATE TABLE stacks (account_id TEXT NOT NULL, region TEXT NOT "
                                 "NULL, name TEXT NOT NULL, digest TEXT NOT NULL, results TEXT "
                                 "NOT NULL, PRIMARY KEY (account_id, region, name))"});
}

std::optional<AppliedStack> StackStore::find(const Scope& scope, const std::string& name) {
    auto row = database_.query(
        "SELECT digest, results FROM stacks WHERE account_id = ? AND region = ? AND name = ?",
        scope.account_id, scope.region, name);
    if (!row.next()) {
        return std::nullopt;
    }
    return AppliedStack{row.text(0), nlohmann::json::parse(row.text(1))};
}

void StackStore::save(const Scope& scope, const std::string& name, const AppliedStack& applied) {
    database_.execute(
        "INSERT INTO stacks (account_id, region, name, digest, results) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (account_id, region, name) DO UPDATE SET digest = excluded.digest, "
        "results = excluded.results",
        scope.account_id, scope.region, name, applied.digest, applied.results.dump());
}

}  // namespace awsemu::stack
