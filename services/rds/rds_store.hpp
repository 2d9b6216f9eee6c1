#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "emulator/store/tag_table.hpp"

namespace awsemu::rds {

using Json = nlohmann::json;

// What RDS keeps: instances, subnet groups and snapshots as the documents it describes them
// with (members named with a leading '_' are the emulator's own and never answered).
enum class Kind { Instance, SubnetGroup, Snapshot };

struct Event {
    std::string source_identifier;
    std::string source_type;  // db-instance, db-subnet-group, db-snapshot
    std::string source_arn;
    std::string message;
    std::vector<std::string> categories;
    std::int64_t date_ms = 0;
};

// All SQL of RDS. Every method takes the scope its rows belong to.
class RdsStore {
  public:
    explicit RdsStore(Database& database);

    void put(const Scope& scope, Kind kind, const std::string& id, const Json& document);
    std::optional<Json> find(const Scope& scope, Kind kind, const std::string& id);
    // By identifier (which RDS compares without case).
    std::vector<Json> list(const Scope& scope, Kind kind);
    void erase(const Scope& scope, Kind kind, const std::string& id);
    // Every instance of every scope: what the runtime brings back at start.
    std::vector<std::pair<Scope, Json>> all(Kind kind);

    std::vector<std::pair<std::string, std::string>> tags(const Scope& scope,
                                                          const std::string& arn);
    void set_tag(const Scope& scope, const std::string& arn, const std::string& key,
                 const std::string& value);
    void remove_tag(const Scope& scope, const std::string& arn, const std::string& key);
    void remove_tags(const Scope& scope, const std::string& arn);

    void add_event(const Scope& scope, const Event& event);
    // Events since `since_ms`, oldest first.
    std::vector<Event> events(const Scope& scope, std::int64_t since_ms);

  private:
    Database& db_;
    TagTable tags_;
};

}  // namespace awsemu::rds
