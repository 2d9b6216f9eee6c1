#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "services/ecs/ecs_task.hpp"

namespace awsemu::ecs {

// What ListTasks narrows by. `desired_status` is RUNNING or STOPPED.
struct TaskFilter {
    std::string cluster_arn;
    std::optional<std::string> family;
    std::optional<std::string> service_name;
    std::optional<std::string> started_by;
    std::optional<std::string> launch_type;
    std::string desired_status = "RUNNING";
};

// The SQL of tasks. A task is stored whole (task_document) with the columns ListTasks and the
// schedulers search by. Callers run inside a transaction.
class TaskStore {
  public:
    explicit TaskStore(Database& database);

    // Inserts or replaces the task.
    void put(const Scope& scope, const Task& task);
    std::optional<Task> find(const Scope& scope, std::string_view task_id);
    // Task ARNs by task id after `after`, at most `limit`.
    std::vector<std::string> list_arns(const Scope& scope, const TaskFilter& filter,
                                       std::string_view after, std::size_t limit);
    // The tasks of a service that have not stopped.
    std::vector<Task> service_tasks(const Scope& scope, std::string_view cluster_arn,
                                    std::string_view service_name);
    // Tasks of the cluster not yet STOPPED, by lastStatus: (pending, running).
    std::pair<std::int64_t, std::int64_t> pending_and_running(const Scope& scope,
                                                              std::string_view cluster_arn);
    // Every task of every scope that has not stopped (after a restart: none really runs).
    std::vector<std::pair<Scope, Task>> all_unstopped();
    // Forgets tasks that stopped before `ms` (AWS keeps them describable for about an hour).
    int purge_stopped_before(std::int64_t ms);

  private:
    Database& database_;
};

}  // namespace awsemu::ecs
