#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "emulator/auth/credentials.hpp"
#include "emulator/runtime/process_supervisor.hpp"
#include "emulator/runtime/scheduler.hpp"
#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "services/ecs/ecs_task.hpp"
#include "services/ecs/ecs_task_store.hpp"
#include "services/ecs/image_map.hpp"
#include "services/ecs/task_definition.hpp"

// The process runtime: a task's containers as child processes of awsemu. It takes a task stored
// PROVISIONING through PENDING (image, secrets, log streams), RUNNING (containers started in
// dependsOn order, health checks on their interval), and STOPPING -> DEPROVISIONING -> STOPPED
// (SIGTERM, SIGKILL after stopTimeout), writing each step to the task store in a transaction of
// its own. Everything runs on the event loop; nothing blocks.
namespace awsemu::ecs {

struct LiveTask;

class TaskRuntime {
  public:
    struct Dependencies {
        Database& database;
        const Clock& clock;
        Scheduler& scheduler;
        ProcessSupervisor& processes;
        ImageMap image_map;
        // awsemu's URL for processes on this machine (AWS_ENDPOINT_URL, metadata URIs).
        std::function<std::string()> local_endpoint;
    };

    explicit TaskRuntime(Dependencies dependencies);
    ~TaskRuntime();
    TaskRuntime(const TaskRuntime&) = delete;
    TaskRuntime& operator=(const TaskRuntime&) = delete;

    // Brings up a task just stored PROVISIONING (by RunTask or a service), after the current
    // request. `definition` is the task definition it runs.
    void launch(const Scope& scope, const std::string& task_id, TaskDefinition definition);
    // Stops a task: desiredStatus STOPPED now, its containers signalled. Harmless for a task
    // that is not running here.
    void stop(const Scope& scope, const std::string& task_id, std::string stop_code,
              std::string reason);
    // All state is being emptied: kills every task's processes and forgets the tasks, whose
    // callbacks then do nothing.
    void forget_all();
    // Whether the task runs here (false after a restart for tasks stored as running).
    bool is_live(std::string_view task_id) const;
    std::size_t live_count() const;

    // Told, on the event loop, whenever a task reaches RUNNING, stops, or changes health.
    std::function<void(const Scope&, const Task&)> on_task_changed;

    // The task metadata endpoint (v4): the container's document, or the task's with
    // `task_level`. nullopt when the task is not live.
    std::optional<nlohmann::json> metadata(const Scope& scope, std::string_view task_id,
                                           std::string_view container_name, bool task_level) const;
    // Credentials for the task's role, as the container credentials endpoint answers them.
    std::optional<nlohmann::json> role_credentials(const Scope& scope,
                                                   std::string_view task_id) const;
    // What a key this runtime handed to a task stands for (strict mode checks signatures made
    // with it): the task role's session in the task's account, until it expires.
    std::optional<ResolvedCredential> credential(std::string_view access_key_id) const;

  private:
    void bring_up(const std::shared_ptr<LiveTask>& live);
    bool prepare_containers(LiveTask& live, std::string& failure);
    void start_ready_containers(const std::shared_ptr<LiveTask>& live);
    void start_container(const std::shared_ptr<LiveTask>& live, std::size_t index);
    void container_exited(const std::shared_ptr<LiveTask>& live, std::size_t index,
                          const ProcessExit& exit);
    void begin_stop(const std::shared_ptr<LiveTask>& live, std::string stop_code,
                    std::string reason);
    void finish_if_all_exited(const std::shared_ptr<LiveTask>& live);
    void schedule_health_check(const std::shared_ptr<LiveTask>& live, std::size_t index,
                               Duration after);
    void run_health_check(const std::shared_ptr<LiveTask>& live, std::size_t index);
    void health_result(const std::shared_ptr<LiveTask>& live, std::size_t index, bool healthy);
    void ship_line(const std::shared_ptr<LiveTask>& live, std::size_t index, std::string line);
    void flush_logs(const std::shared_ptr<LiveTask>& live);
    void update_task_status(const std::shared_ptr<LiveTask>& live);
    void save(const std::shared_ptr<LiveTask>& live);
    void notify(const std::shared_ptr<LiveTask>& live);

    // What readers outside the task's own steps (the metadata and credentials endpoints,
    // request handlers) may see of a live task: copied on every change, under its own lock, which
    // is never held while the database is.
    struct Snapshot {
        Scope scope;
        Task task;
        std::string task_role_arn;
        std::map<std::string, nlohmann::json, std::less<>> log_options;  // by container
        std::string access_key_id;
        std::string secret_access_key;
        std::string session_token;
        TimePoint credentials_expire;
    };
    void publish(const LiveTask& live);
    void unpublish(const LiveTask& live);

    Dependencies deps_;
    TaskStore store_;
    // Only touched on the event loop.
    std::map<std::string, std::shared_ptr<LiveTask>, std::less<>> tasks_;
    mutable std::mutex snapshots_mutex_;
    std::map<std::string, Snapshot, std::less<>> snapshots_;  // by task id
};

}  // namespace awsemu::ecs
