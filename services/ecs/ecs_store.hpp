#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "services/ecs/ecs_model.hpp"
#include "services/ecs/task_definition.hpp"

namespace awsemu::ecs {

// A task definition in a listing: its family and revision, ordered by both.
struct TaskDefinitionKey {
    std::string family;
    std::int64_t revision = 0;
};

// All of the ECS control plane's SQL: task definitions, clusters, tags (of any ECS ARN) and
// account settings. Every key starts with (account_id, region). Tasks and services keep their
// own tables in their own store, beside this one. Callers run inside a transaction (the
// dispatcher's).
class EcsStore {
  public:
    explicit EcsStore(Database& database);

    // --- task definitions ------------------------------------------------------------------
    // The revision the next registration of `family` gets: one more than any it ever had.
    std::int64_t next_revision(const Scope& scope, std::string_view family);
    // Stores td (its json is the described task definition, status ACTIVE).
    void insert_task_definition(const Scope& scope, const TaskDefinition& td);
    std::optional<TaskDefinition> find_task_definition(const Scope& scope, std::string_view family,
                                                       std::int64_t revision);
    std::optional<TaskDefinition> latest_active_task_definition(const Scope& scope,
                                                                std::string_view family);
    // THE loader for RunTask, CreateService and DescribeTaskDefinition: FAMILY (its latest
    // ACTIVE revision), FAMILY:REVISION or a task definition ARN of this scope, in any status
    // (callers decide what INACTIVE or DELETE_IN_PROGRESS may do). nullopt when there is none.
    std::optional<TaskDefinition> find_task_definition(const Scope& scope,
                                                       std::string_view reference);
    // Sets status (INACTIVE: deregistered_ms; DELETE_IN_PROGRESS: delete_requested_ms).
    void set_task_definition_status(const Scope& scope, std::string_view family,
                                    std::int64_t revision, std::string_view status,
                                    std::int64_t at_ms);
    // Ordered by family, then revision (descending when !ascending), after `after` (a key of
    // the previous page), at most `limit`. `family` empty: every family.
    std::vector<TaskDefinitionKey> list_task_definitions(
        const Scope& scope, std::string_view family, std::string_view status, bool ascending,
        const std::optional<TaskDefinitionKey>& after, std::size_t limit);
    // Family names starting with `prefix`, by name, after `after`; status ACTIVE (a revision is
    // ACTIVE), INACTIVE (none is) or ALL.
    std::vector<std::string> list_families(const Scope& scope, std::string_view prefix,
                                           std::string_view status, std::string_view after,
                                           std::size_t limit);

    // --- clusters --------------------------------------------------------------------------
    std::optional<Cluster> find_cluster(const Scope& scope, std::string_view name);
    // Inserts or replaces the cluster named cluster.name.
    void put_cluster(const Scope& scope, const Cluster& cluster);
    // ACTIVE clusters by name after `after`, at most `limit`.
    std::vector<Cluster> list_active_clusters(const Scope& scope, std::string_view after,
                                              std::size_t limit);

    // --- tags of any ECS resource, by ARN ----------------------------------------------------
    std::vector<Tag> tags_of(const Scope& scope, std::string_view resource_arn);
    // Adds or overwrites these keys, keeping the others.
    void put_tags(const Scope& scope, std::string_view resource_arn, const std::vector<Tag>& tags);
    void remove_tags(const Scope& scope, std::string_view resource_arn,
                     const std::vector<std::string>& keys);
    void delete_tags_of(const Scope& scope, std::string_view resource_arn);

    // --- account settings ------------------------------------------------------------------
    // Settings someone set for `principal_arn` (the account default: the root ARN), by name.
    std::vector<AccountSetting> account_settings(const Scope& scope,
                                                 std::string_view principal_arn);
    std::optional<AccountSetting> find_account_setting(const Scope& scope,
                                                       std::string_view principal_arn,
                                                       std::string_view name);
    void put_account_setting(const Scope& scope, const AccountSetting& setting);
    void delete_account_setting(const Scope& scope, std::string_view principal_arn,
                                std::string_view name);

  private:
    Database& database_;
};

}  // namespace awsemu::ecs
