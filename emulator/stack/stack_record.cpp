#include "emulator/stack/stack_record.hpp"

namespace awsemu::stack {

StackRecord::StackRecord(Database& database) : database_(database) {
    database_.migrate("stacks", {"CREATE TABLE stacks (name TEXT PRIMARY KEY, digest TEXT NOT "
                                 "NULL, results TEXT NOT NULL)"});
}

std::optional<AppliedStack> StackRecord::find(const std::string& name) {
    auto row = database_.query("SELECT digest, results FROM stacks WHERE name = ?", name);
    if (!row.next()) {
        return std::nullopt;
    }
    return AppliedStack{row.text(0), nlohmann::json::parse(row.text(1))};
}

void StackRecord::save(const std::string& name, const AppliedStack& applied) {
    database_.execute(
        "INSERT INTO stacks (name, digest, results) VALUES (?, ?, ?) ON CONFLICT (name) DO "
        "UPDATE SET digest = excluded.digest, results = excluded.results",
        name, applied.digest, applied.results.dump());
}

}  // namespace awsemu::stack
