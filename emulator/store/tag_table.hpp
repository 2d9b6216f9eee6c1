#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"

namespace awsemu {

// A table of resource tags by ARN, kept in the order they were first added: the SQL every
// service that tags its resources this way shares (ELBv2, RDS). Each service names its own table
// and creates it in its migrations: (seq INTEGER PRIMARY KEY, account_id, region, resource_arn,
// tag_key, tag_value) with a unique index on (account_id, region, resource_arn, tag_key).
class TagTable {
  public:
    TagTable(Database& database, std::string_view table);

    std::vector<std::pair<std::string, std::string>> tags(const Scope& scope,
                                                          const std::string& arn);
    // Adds the tag, or changes its value where it keeps its place.
    void set(const Scope& scope, const std::string& arn, const std::string& key,
             const std::string& value);
    void remove(const Scope& scope, const std::string& arn, const std::string& key);
    void remove_all(const Scope& scope, const std::string& arn);

  private:
    Database& db_;
    std::string select_;
    std::string upsert_;
    std::string delete_one_;
    std::string delete_all_;
};

}  // namespace awsemu
