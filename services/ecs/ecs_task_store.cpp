#include "services/ecs/ecs_task_store.hpp"

#include "services/ecs/ecs_arns.hpp"

namespace awsemu::ecs {
namespace {

const std::vector<std::string> kTaskMigrations = {
    R"(
    CREATE TABLE ecs_tasks (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        task_id TEXT NOT NULL,
        cluster_arn TEXT NOT NULL,
        family TEXT NOT NULL,
        service_name TEXT NOT NULL,
        started_by TEXT,
        launch_type TEXT NOT NULL,
        desired_status TEXT NOT NULL,
        last_status TEXT NOT NULL,
        stopped_ms INTEGER,
        document TEXT NOT NULL,
        PRIMARY KEY (account_id, region, task_id)
    ) WITHOUT ROWID;
    CREATE INDEX ecs_tasks_by_cluster ON ecs_tasks (account_id, region, cluster_arn, service_name);
    CREATE INDEX ecs_tasks_by_stop ON ecs_tasks (stopped_ms) WHERE stopped_ms IS NOT NULL;
    )"};

}  // namespace

TaskStore::TaskStore(Database& database) : database_(database) {
    database_.migrate("ecs_tasks", kTaskMigrations);
}

void TaskStore::put(const Scope& scope, const Task& task) {
    database_.execute(
        "INSERT OR REPLACE INTO ecs_tasks (account_id, region, task_id, cluster_arn, family, "
        "service_name, started_by, launch_type, desired_status, last_status, stopped_ms, document) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        scope.account_id, scope.region, task.task_id, task.cluster_arn, task.family,
        task.service_name, task.started_by, task.launch_type, task.desired_status, task.last_status,
        task.stopped_ms, task_document(task).dump());
}

std::optional<Task> TaskStore::find(const Scope& scope, std::string_view task_id) {
    auto q = database_.query(
        "SELECT document FROM ecs_tasks WHERE account_id = ? AND region = ? AND task_id = ?",
        scope.account_id, scope.region, task_id);
    if (!q.next()) {
        return std::nullopt;
    }
    return task_from_document(nlohmann::json::parse(q.text(0)));
}

std::vector<std::string> TaskStore::list_arns(const Scope& scope, const TaskFilter& filter,
                                              std::string_view after, std::size_t limit) {
    auto q = database_.query(
        "SELECT task_id FROM ecs_tasks WHERE account_id = ? AND region = ? AND cluster_arn = ? "
        "AND desired_status = ? AND (?5 IS NULL OR family = ?5) AND (?6 IS NULL OR service_name = "
        "?6) AND (?7 IS NULL OR started_by = ?7) AND (?8 IS NULL OR launch_type = ?8) AND task_id "
        "> ?9 ORDER BY task_id LIMIT ?10",
        scope.account_id, scope.region, filter.cluster_arn, filter.desired_status, filter.family,
        filter.service_name, filter.started_by, filter.launch_type, after,
        static_cast<std::int64_t>(limit));
    std::vector<std::string> ids;
    while (q.next()) {
        ids.push_back(q.text(0));
    }
    const std::string cluster_name = cluster_name_of(filter.cluster_arn).value_or("");
    std::vector<std::string> arns;
    for (const auto& id : ids) {
        arns.push_back(task_arn(scope, cluster_name, id));
    }
    return arns;
}

std::vector<Task> TaskStore::service_tasks(const Scope& scope, std::string_view cluster_arn,
                                           std::string_view service_name) {
    auto q = database_.query(
        "SELECT document FROM ecs_tasks WHERE account_id = ? AND region = ? AND cluster_arn = ? "
        "AND service_name = ? AND last_status != 'STOPPED' ORDER BY task_id",
        scope.account_id, scope.region, cluster_arn, service_name);
    std::vector<Task> tasks;
    while (q.next()) {
        tasks.push_back(task_from_document(nlohmann::json::parse(q.text(0))));
    }
    return tasks;
}

std::pair<std::int64_t, std::int64_t> TaskStore::pending_and_running(const Scope& scope,
                                                                     std::string_view cluster_arn) {
    auto q = database_.query(
        "SELECT COALESCE(SUM(last_status IN ('PROVISIONING', 'PENDING')), 0), "
        "COALESCE(SUM(last_status = 'RUNNING'), 0) FROM ecs_tasks WHERE account_id = ? AND "
        "region = ? AND cluster_arn = ?",
        scope.account_id, scope.region, cluster_arn);
    q.next();
    return {q.integer(0), q.integer(1)};
}

std::vector<std::pair<Scope, Task>> TaskStore::all_unstopped() {
    auto q = database_.query(
        "SELECT account_id, region, document FROM ecs_tasks WHERE last_status != 'STOPPED'");
    std::vector<std::pair<Scope, Task>> tasks;
    while (q.next()) {
        tasks.emplace_back(Scope{q.text(0), q.text(1)},
                           task_from_document(nlohmann::json::parse(q.text(2))));
    }
    return tasks;
}

int TaskStore::purge_stopped_before(std::int64_t ms) {
    return database_.execute(
        "DELETE FROM ecs_tasks WHERE stopped_ms IS NOT NULL AND stopped_ms < ?", ms);
}

}  // namespace awsemu::ecs
