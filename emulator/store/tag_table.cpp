#include "emulator/store/tag_table.hpp"

namespace awsemu {

TagTable::TagTable(Database& database, std::string_view table) : db_(database) {
    const std::string name(table);
    const std::string resource = " WHERE account_id = ? AND region = ? AND resource_arn = ?";
    select_ = "SELECT tag_key, tag_value FROM " + name + resource + " ORDER BY seq";
    upsert_ = "INSERT INTO " + name +
              " (account_id, region, resource_arn, tag_key, tag_value) VALUES (?, ?, ?, ?, ?) "
              "ON CONFLICT (account_id, region, resource_arn, tag_key) DO UPDATE SET "
              "tag_value = excluded.tag_value";
    delete_one_ = "DELETE FROM " + name + resource + " AND tag_key = ?";
    delete_all_ = "DELETE FROM " + name + resource;
}

std::vector<std::pair<std::string, std::string>> TagTable::tags(const Scope& scope,
                                                                const std::string& arn) {
    std::vector<std::pair<std::string, std::string>> result;
    auto q = db_.query(select_, scope.account_id, scope.region, arn);
    while (q.next()) {
        result.emplace_back(q.text(0), q.text(1));
    }
    return result;
}

void TagTable::set(const Scope& scope, const std::string& arn, const std::string& key,
                   const std::string& value) {
    db_.execute(upsert_, scope.account_id, scope.region, arn, key, value);
}

void TagTable::remove(const Scope& scope, const std::string& arn, const std::string& key) {
    db_.execute(delete_one_, scope.account_id, scope.region, arn, key);
}

void TagTable::remove_all(const Scope& scope, const std::string& arn) {
    db_.execute(delete_all_, scope.account_id, scope.region, arn);
}

}  // namespace awsemu
