#include "services/ecs/task_runtime.hpp"

#include <csignal>

#include "emulator/protocol/aws_error.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/ecs/task_environment.hpp"
#include "services/logs/logs_api.hpp"
#include "services/secretsmanager/secretsmanager_api.hpp"

namespace awsemu::ecs {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// ECS's default, and Fargate's limit, for the time between SIGTERM and SIGKILL.
constexpr int kDefaultStopTimeoutSeconds = 30;
constexpr int kMaxStopTimeoutSeconds = 120;
// Task role credentials last this long, as ECS's do (the SDK refreshes before).
constexpr auto kCredentialLifetime = std::chrono::hours(6);

std::int64_t epoch_ms(TimePoint time) {
    return to_epoch_ms(time);
}

struct LogTarget {
    Scope scope;
    std::string group;
    std::string stream;
};

}  // namespace

struct LiveContainer {
    std::vector<std::string> argv;
    std::vector<std::string> environment;
    std::string working_directory;
    std::optional<LogTarget> log;
    std::vector<logs::LogLine> pending_lines;
    ProcessSupervisor::ProcessId process = 0;
    bool started = false;
    bool exited = false;
    TimePoint started_at{};
    Scheduler::TimerId kill_timer = 0;
    // Health checks.
    Scheduler::TimerId health_timer = 0;
    Scheduler::TimerId health_timeout = 0;
    ProcessSupervisor::ProcessId health_process = 0;
    int consecutive_failures = 0;
};

struct LiveTask {
    Scope scope;
    Task task;
    TaskDefinition definition;
    std::vector<LiveContainer> containers;
    bool stopping = false;
    bool finished = false;
    bool forgotten = false;  // all state was reset: nothing more is written
    bool flush_posted = false;
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;
    TimePoint credentials_expire{};
};

namespace {

// A secret's value for a container, or why the task cannot start (in AWS's words).
std::optional<std::string> resolve_secrets(Database& database, const Clock& clock,
                                           const Scope& scope, const ContainerDefinition& container,
                                           std::vector<std::pair<std::string, std::string>>& out) {
    for (const auto& secret : container.secrets) {
        const std::string prefix =
            "ResourceInitializationError: unable to pull secrets or registry auth: execution "
            "resource retrieval failed: unable to retrieve secret from asm: ";
        if (secret.value_from.rfind("arn:aws:ssm:", 0) == 0 ||
            secret.value_from.rfind("arn:", 0) != 0) {
            return "ResourceInitializationError: unable to pull secrets or registry auth: "
                   "execution resource retrieval failed: unable to retrieve secrets from ssm: "
                   "awsemu does not emulate SSM Parameter Store (parameter " +
                   secret.value_from + ")";
        }
        try {
            out.emplace_back(secret.name, secretsmanager::resolve_value_from(database, clock, scope,
                                                                             secret.value_from));
        } catch (const AwsError& error) {
            return prefix + "service call has been retried 1 time(s): failed to fetch secret " +
                   secret.value_from + " from secrets manager: " + std::string(error.spec().code) +
                   ": " + error.what();
        }
    }
    return std::nullopt;
}

// The awslogs target of a container, creating its group (awslogs-create-group) and stream;
// or why the task cannot start.
std::optional<std::string> prepare_log_target(Database& database, const Clock& clock,
                                              const LiveTask& live,
                                              const ContainerDefinition& container,
                                              std::optional<LogTarget>& out) {
    if (!container.log_configuration || container.log_configuration->log_driver != "awslogs") {
        return std::nullopt;
    }
    const auto& options = container.log_configuration->options;
    const auto option = [&](const char* name) -> std::string {
        const auto it = options.find(name);
        return it == options.end() ? std::string() : it->second;
    };
    LogTarget target;
    target.scope = live.scope;
    if (!option("awslogs-region").empty()) {
        target.scope.region = option("awslogs-region");
    }
    target.group = option("awslogs-group");
    const std::string prefix = option("awslogs-stream-prefix");
    target.stream = (prefix.empty() ? "" : prefix + "/") + container.name + "/" + live.task.task_id;
    if (target.group.empty()) {
        return "ResourceInitializationError: failed to validate logger args: awslogs-group is "
               "required";
    }
    try {
        if (option("awslogs-create-group") == "true") {
            logs::create_log_group_if_missing(database, clock, target.scope, target.group);
        }
        logs::create_log_stream_if_missing(database, clock, target.scope, target.group,
                                           target.stream);
    } catch (const AwsError& error) {
        return "ResourceInitializationError: failed to validate logger args: create stream has "
               "been retried 1 times: failed to create Cloudwatch log stream: " +
               std::string(error.spec().code) + ": " + error.what() + " : exit status 1";
    }
    out = std::move(target);
    return std::nullopt;
}

std::vector<std::string> health_check_argv(const HealthCheck& check) {
    if (check.command.empty()) {
        return {};
    }
    if (check.command.front() == "CMD-SHELL") {
        std::string script;
        for (std::size_t i = 1; i < check.command.size(); ++i) {
            script += (i > 1 ? " " : "") + check.command[i];
        }
        return {"/bin/sh", "-c", script};
    }
    if (check.command.front() == "CMD") {
        return {check.command.begin() + 1, check.command.end()};
    }
    return check.command;
}

std::string random_token(std::size_t length) {
    std::string token;
    while (token.size() < length) {
        token += new_task_id();
    }
    token.resize(length);
    return token;
}

}  // namespace

TaskRuntime::TaskRuntime(Dependencies dependencies)
    : deps_(std::move(dependencies)), store_(deps_.database) {}

TaskRuntime::~TaskRuntime() {
    // The supervisor kills the processes; timers and callbacks may still hold the tasks.
    for (auto& [id, live] : tasks_) {
        live->finished = true;
    }
}

void TaskRuntime::launch(const Scope& scope, const std::string& task_id,
                         TaskDefinition definition) {
    auto live = std::make_shared<LiveTask>();
    live->scope = scope;
    live->task.task_id = task_id;
    live->definition = std::move(definition);
    // Once the task's row is committed: no container starts for a request that is undone.
    deps_.database.once_committed(
        [this, live] { deps_.scheduler.post([this, live] { bring_up(live); }); });
}

void TaskRuntime::stop(const Scope& scope, const std::string& task_id, std::string stop_code,
                       std::string reason) {
    deps_.scheduler.post([this, scope, task_id, stop_code = std::move(stop_code),
                          reason = std::move(reason)]() mutable {
        const auto it = tasks_.find(task_id);
        if (it != tasks_.end() && it->second->scope.account_id == scope.account_id &&
            it->second->scope.region == scope.region) {
            begin_stop(it->second, std::move(stop_code), std::move(reason));
        }
    });
}

void TaskRuntime::forget_all() {
    for (auto& [id, live] : tasks_) {
        live->finished = true;
        live->forgotten = true;
        for (auto& runtime : live->containers) {
            if (runtime.started && !runtime.exited) {
                deps_.processes.signal(runtime.process, SIGKILL);
            }
            if (runtime.health_process != 0) {
                deps_.processes.signal(runtime.health_process, SIGKILL);
            }
            deps_.scheduler.cancel(runtime.kill_timer);
            deps_.scheduler.cancel(runtime.health_timer);
            deps_.scheduler.cancel(runtime.health_timeout);
        }
    }
    tasks_.clear();
    std::lock_guard lock(snapshots_mutex_);
    snapshots_.clear();
}

bool TaskRuntime::is_live(std::string_view task_id) const {
    std::lock_guard lock(snapshots_mutex_);
    return snapshots_.find(task_id) != snapshots_.end();
}

std::size_t TaskRuntime::live_count() const {
    std::lock_guard lock(snapshots_mutex_);
    return snapshots_.size();
}

void TaskRuntime::bring_up(const std::shared_ptr<LiveTask>& live) {
    auto transaction = deps_.database.transaction();
    auto stored = store_.find(live->scope, live->task.task_id);
    if (!stored || stored->last_status != kProvisioning) {
        return;  // stopped before it started, or the request that made it was undone
    }
    live->task = std::move(*stored);
    const auto now = epoch_ms(deps_.clock.now());
    live->task.last_status = std::string(kPending);
    live->task.pull_started_ms = now;
    live->containers.resize(live->definition.containers.size());
    std::string failure;
    if (!prepare_containers(*live, failure)) {
        live->task.desired_status = std::string(kStopped);
        live->task.last_status = std::string(kStopped);
        live->task.stop_code = std::string(kTaskFailedToStart);
        live->task.stopped_reason = failure;
        live->task.stopping_ms = now;
        live->task.execution_stopped_ms = now;
        live->task.stopped_ms = now;
        live->task.pull_stopped_ms = now;
        for (auto& container : live->task.containers) {
            container.last_status = std::string(kStopped);
        }
        live->finished = true;
        store_.put(live->scope, live->task);
        transaction.commit();
        notify(live);
        return;
    }
    live->task.pull_stopped_ms = epoch_ms(deps_.clock.now());
    live->credentials_expire = deps_.clock.now() + kCredentialLifetime;
    if (live->definition.task_role_arn) {
        live->access_key_id = "ASIA" + random_token(16);
        for (auto& c : live->access_key_id) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        live->secret_access_key = random_token(40);
        live->session_token = random_token(64);
    }
    store_.put(live->scope, live->task);
    transaction.commit();
    tasks_[live->task.task_id] = live;
    publish(*live);
    start_ready_containers(live);
}

bool TaskRuntime::prepare_containers(LiveTask& live, std::string& failure) {
    const std::string endpoint = deps_.local_endpoint ? deps_.local_endpoint() : std::string();
    for (std::size_t i = 0; i < live.definition.containers.size(); ++i) {
        const ContainerDefinition& container = live.definition.containers[i];
        LiveContainer& runtime = live.containers[i];
        const auto program = deps_.image_map.find(container.image);
        if (!program) {
            failure =
                "CannotPullContainerError: pull image manifest has been retried 1 time(s): "
                "failed to resolve ref " +
                container.image + ": " + container.image +
                ": not found (awsemu: the --image-map has no entry for this image, and it "
                "is not awsemu/host)";
            if (auto* reported = live.task.container(container.name)) {
                reported->reason = failure;
            }
            return false;
        }
        const json* override_entry = container_override(live.task.overrides, container.name);
        runtime.argv = container_argv(*program, container.entry_point,
                                      container_command(container, override_entry));
        if (runtime.argv.empty()) {
            failure =
                "CannotStartContainerError: Error response from daemon: no command "
                "specified for container " +
                container.name;
            return false;
        }
        runtime.working_directory =
            container.working_directory.value_or(program->working_directory);
        std::vector<std::pair<std::string, std::string>> secrets;
        if (auto problem =
                resolve_secrets(deps_.database, deps_.clock, live.scope, container, secrets)) {
            failure = std::move(*problem);
            return false;
        }
        if (auto problem =
                prepare_log_target(deps_.database, deps_.clock, live, container, runtime.log)) {
            failure = std::move(*problem);
            return false;
        }
        runtime.environment =
            container_environment({live.scope, live.task, live.definition, container,
                                   override_entry, endpoint, std::move(secrets)});
    }
    return true;
}

void TaskRuntime::start_ready_containers(const std::shared_ptr<LiveTask>& live) {
    if (live->stopping) {
        return;
    }
    for (std::size_t i = 0; i < live->containers.size(); ++i) {
        LiveContainer& runtime = live->containers[i];
        if (runtime.started || runtime.exited) {
            continue;
        }
        const ContainerDefinition& container = live->definition.containers[i];
        bool ready = true;
        std::optional<std::string> impossible;
        for (const auto& dependency : container.depends_on) {
            std::size_t j = 0;
            while (j < live->definition.containers.size() &&
                   live->definition.containers[j].name != dependency.container_name) {
                ++j;
            }
            if (j == live->definition.containers.size()) {
                continue;  // registration refuses unknown names
            }
            const LiveContainer& other = live->containers[j];
            const TaskContainer* reported = live->task.container(dependency.container_name);
            switch (dependency.condition) {
                case DependencyCondition::Start:
                    ready = ready && (other.started || other.exited);
                    break;
                case DependencyCondition::Complete:
                    ready = ready && other.exited;
                    break;
                case DependencyCondition::Success:
                    ready = ready && other.exited;
                    if (other.exited && reported != nullptr && reported->exit_code != 0) {
                        impossible = "dependency container " + dependency.container_name +
                                     " exited with code " +
                                     std::to_string(reported->exit_code.value_or(-1)) +
                                     " (condition SUCCESS)";
                    }
                    break;
                case DependencyCondition::Healthy:
                    ready = ready && reported != nullptr && reported->health_status == "HEALTHY";
                    if (other.exited) {
                        impossible = "dependency container " + dependency.container_name +
                                     " exited before it was healthy (condition HEALTHY)";
                    }
                    break;
            }
        }
        if (impossible) {
            begin_stop(live, std::string(kTaskFailedToStart),
                       "CannotStartContainerError: " + *impossible);
            return;
        }
        if (ready) {
            start_container(live, i);
            if (live->stopping) {
                return;
            }
            // One listed before it may wait (START) on this one: look at them all again (the
            // unsigned index wraps to 0).
            i = static_cast<std::size_t>(-1);
        }
    }
    update_task_status(live);
}

void TaskRuntime::start_container(const std::shared_ptr<LiveTask>& live, std::size_t index) {
    LiveContainer& runtime = live->containers[index];
    const ContainerDefinition& container = live->definition.containers[index];
    ProcessSpec spec{runtime.argv, runtime.environment, runtime.working_directory};
    boost::system::error_code error;
    runtime.process = deps_.processes.start(
        spec,
        {[this, live, index](OutputStream, std::string line) {
             ship_line(live, index, std::move(line));
         },
         [this, live, index](const ProcessExit& exit) { container_exited(live, index, exit); }},
        error);
    if (error) {
        const std::string reason =
            "CannotStartContainerError: Error response from daemon: failed to create shim task: "
            "OCI runtime create failed: runc create failed: unable to start container process: "
            "exec: \"" +
            runtime.argv.front() + "\": " + error.message() + ": unknown";
        if (auto* reported = live->task.container(container.name)) {
            reported->reason = reason;
        }
        runtime.exited = true;
        begin_stop(live, std::string(kTaskFailedToStart), reason);
        return;
    }
    runtime.started = true;
    runtime.started_at = deps_.clock.now();
    if (auto* reported = live->task.container(container.name)) {
        reported->last_status = std::string(kRunning);
    }
    if (container.health_check && !container.health_check->command.empty()) {
        schedule_health_check(live, index, std::chrono::seconds(container.health_check->interval));
    }
}

void TaskRuntime::container_exited(const std::shared_ptr<LiveTask>& live, std::size_t index,
                                   const ProcessExit& exit) {
    if (live->forgotten) {
        return;
    }
    LiveContainer& runtime = live->containers[index];
    const ContainerDefinition& container = live->definition.containers[index];
    runtime.exited = true;
    runtime.process = 0;
    deps_.scheduler.cancel(runtime.kill_timer);
    deps_.scheduler.cancel(runtime.health_timer);
    deps_.scheduler.cancel(runtime.health_timeout);
    flush_logs(live);
    if (auto* reported = live->task.container(container.name)) {
        reported->last_status = std::string(kStopped);
        reported->exit_code =
            exit.exit_code ? *exit.exit_code : exit_code_for_signal(exit.signal.value_or(SIGKILL));
    }
    if (live->stopping) {
        save(live);
        finish_if_all_exited(live);
        return;
    }
    if (container.essential) {
        begin_stop(live, std::string(kEssentialContainerExited),
                   "Essential container in task exited");
        return;
    }
    save(live);
    start_ready_containers(live);
    finish_if_all_exited(live);
}

void TaskRuntime::begin_stop(const std::shared_ptr<LiveTask>& live, std::string stop_code,
                             std::string reason) {
    if (live->stopping || live->finished) {
        return;
    }
    live->stopping = true;
    Task& task = live->task;
    task.desired_status = std::string(kStopped);
    task.stopping_ms = epoch_ms(deps_.clock.now());
    task.stop_code = std::move(stop_code);
    task.stopped_reason = std::move(reason);
    task.last_status = std::string(kStopping);
    for (std::size_t i = 0; i < live->containers.size(); ++i) {
        LiveContainer& runtime = live->containers[i];
        deps_.scheduler.cancel(runtime.health_timer);
        if (runtime.health_process != 0) {
            deps_.processes.signal(runtime.health_process, SIGKILL);
        }
        if (!runtime.started || runtime.exited) {
            if (auto* reported = task.container(live->definition.containers[i].name);
                reported != nullptr && !runtime.started) {
                reported->last_status = std::string(kStopped);
            }
            continue;
        }
        deps_.processes.signal(runtime.process, SIGTERM);
        const int timeout = std::min(
            live->definition.containers[i].stop_timeout.value_or(kDefaultStopTimeoutSeconds),
            kMaxStopTimeoutSeconds);
        runtime.kill_timer =
            deps_.scheduler.at(deps_.clock.now() + std::chrono::seconds(timeout), [this, live, i] {
                if (!live->containers[i].exited) {
                    deps_.processes.signal(live->containers[i].process, SIGKILL);
                }
            });
    }
    save(live);
    notify(live);
    finish_if_all_exited(live);
}

void TaskRuntime::finish_if_all_exited(const std::shared_ptr<LiveTask>& live) {
    if (live->finished) {
        return;
    }
    for (const auto& runtime : live->containers) {
        if (runtime.started && !runtime.exited) {
            return;
        }
    }
    if (!live->stopping) {
        // Every container has run to its end (none essential is left): the task is done.
        begin_stop(live, std::string(kEssentialContainerExited),
                   "Essential container in task exited");
        return;
    }
    live->finished = true;
    live->task.last_status = std::string(kDeprovisioning);
    live->task.execution_stopped_ms = epoch_ms(deps_.clock.now());
    save(live);
    // The network interface is released after the containers: a moment later, as on AWS.
    deps_.scheduler.post([this, live] {
        if (live->forgotten) {
            return;
        }
        flush_logs(live);
        live->task.last_status = std::string(kStopped);
        live->task.stopped_ms = epoch_ms(deps_.clock.now());
        save(live);
        tasks_.erase(live->task.task_id);
        unpublish(*live);
        notify(live);
    });
}

void TaskRuntime::schedule_health_check(const std::shared_ptr<LiveTask>& live, std::size_t index,
                                        Duration after) {
    live->containers[index].health_timer =
        deps_.scheduler.at(deps_.clock.now() + after, [this, live, index] {
            if (!live->stopping && !live->containers[index].exited) {
                run_health_check(live, index);
            }
        });
}

void TaskRuntime::run_health_check(const std::shared_ptr<LiveTask>& live, std::size_t index) {
    LiveContainer& runtime = live->containers[index];
    const HealthCheck& check = *live->definition.containers[index].health_check;
    ProcessSpec spec{health_check_argv(check), runtime.environment, runtime.working_directory};
    boost::system::error_code error;
    runtime.health_process =
        deps_.processes.start(spec,
                              {{},
                               [this, live, index](const ProcessExit& exit) {
                                   live->containers[index].health_process = 0;
                                   deps_.scheduler.cancel(live->containers[index].health_timeout);
                                   health_result(live, index, exit.exit_code == 0);
                               }},
                              error);
    if (error) {
        runtime.health_process = 0;
        health_result(live, index, false);
        return;
    }
    const auto id = runtime.health_process;
    runtime.health_timeout = deps_.scheduler.at(
        deps_.clock.now() + std::chrono::seconds(check.timeout), [this, live, index, id] {
            if (live->containers[index].health_process == id) {
                deps_.processes.signal(id, SIGKILL);
            }
        });
}

void TaskRuntime::health_result(const std::shared_ptr<LiveTask>& live, std::size_t index,
                                bool healthy) {
    if (live->stopping || live->finished) {
        return;
    }
    LiveContainer& runtime = live->containers[index];
    const ContainerDefinition& container = live->definition.containers[index];
    const HealthCheck& check = *container.health_check;
    TaskContainer* reported = live->task.container(container.name);
    const std::string before = reported->health_status;
    if (healthy) {
        runtime.consecutive_failures = 0;
        reported->health_status = "HEALTHY";
    } else if (reported->health_status == "HEALTHY" ||
               deps_.clock.now() >= runtime.started_at + std::chrono::seconds(check.start_period)) {
        // Failures in the start period count once a check has passed, as Docker counts them.
        if (++runtime.consecutive_failures >= check.retries) {
            reported->health_status = "UNHEALTHY";
        }
    }
    if (reported->health_status != before) {
        update_task_status(live);
        start_ready_containers(live);  // HEALTHY dependencies
    }
    if (!live->stopping && !runtime.exited) {
        schedule_health_check(live, index, std::chrono::seconds(check.interval));
    }
}

void TaskRuntime::ship_line(const std::shared_ptr<LiveTask>& live, std::size_t index,
                            std::string line) {
    LiveContainer& runtime = live->containers[index];
    if (!runtime.log || live->forgotten) {
        return;
    }
    runtime.pending_lines.push_back({epoch_ms(deps_.clock.now()), std::move(line)});
    if (!live->flush_posted) {
        // Lines that arrive together are stored together, in one transaction.
        live->flush_posted = true;
        deps_.scheduler.post([this, live] { flush_logs(live); });
    }
}

void TaskRuntime::flush_logs(const std::shared_ptr<LiveTask>& live) {
    live->flush_posted = false;
    if (live->forgotten) {
        return;
    }
    for (auto& runtime : live->containers) {
        if (!runtime.log || runtime.pending_lines.empty()) {
            continue;
        }
        try {
            auto transaction = deps_.database.transaction();
            logs::append_log_events(deps_.database, deps_.clock, runtime.log->scope,
                                    runtime.log->group, runtime.log->stream, runtime.pending_lines);
            transaction.commit();
        } catch (const AwsError&) {
            // The group or stream was deleted while the task ran: the lines go nowhere, as
            // the awslogs driver's would.
        }
        runtime.pending_lines.clear();
    }
}

void TaskRuntime::update_task_status(const std::shared_ptr<LiveTask>& live) {
    Task& task = live->task;
    bool changed = false;
    if (task.last_status == kPending) {
        bool all_essential_running = true;
        for (std::size_t i = 0; i < live->containers.size(); ++i) {
            if (live->definition.containers[i].essential && !live->containers[i].started) {
                all_essential_running = false;
            }
        }
        if (all_essential_running) {
            task.last_status = std::string(kRunning);
            task.started_ms = epoch_ms(deps_.clock.now());
            changed = true;
        }
    }
    // The task is as healthy as its essential containers that have a health check.
    std::string health = "UNKNOWN";
    bool any_checked = false;
    bool all_healthy = true;
    for (const auto& container : live->definition.containers) {
        if (!container.essential || !container.health_check) {
            continue;
        }
        any_checked = true;
        const std::string& status = task.container(container.name)->health_status;
        if (status == "UNHEALTHY") {
            health = "UNHEALTHY";
        }
        all_healthy = all_healthy && status == "HEALTHY";
    }
    if (health != "UNHEALTHY" && any_checked && all_healthy) {
        health = "HEALTHY";
    }
    if (health != task.health_status) {
        task.health_status = health;
        changed = true;
    }
    save(live);
    if (changed) {
        notify(live);
    }
}

void TaskRuntime::save(const std::shared_ptr<LiveTask>& live) {
    if (live->forgotten) {
        return;
    }
    ++live->task.version;
    auto transaction = deps_.database.transaction();
    store_.put(live->scope, live->task);
    transaction.commit();
    if (!live->finished || live->task.last_status != kStopped) {
        publish(*live);
    }
}

void TaskRuntime::notify(const std::shared_ptr<LiveTask>& live) {
    if (on_task_changed && !live->forgotten) {
        deps_.scheduler.post([this, scope = live->scope, task = live->task] {
            if (on_task_changed) {
                on_task_changed(scope, task);
            }
        });
    }
}

void TaskRuntime::publish(const LiveTask& live) {
    Snapshot snapshot{live.scope,
                      live.task,
                      live.definition.task_role_arn.value_or(""),
                      {},
                      live.access_key_id,
                      live.secret_access_key,
                      live.session_token,
                      live.credentials_expire};
    for (std::size_t i = 0; i < live.containers.size(); ++i) {
        json options = json::object();
        const auto& configuration = live.definition.containers[i].log_configuration;
        if (configuration && live.containers[i].log) {
            for (const auto& [name, value] : configuration->options) {
                options[name] = value;
            }
            options["awslogs-stream"] = live.containers[i].log->stream;
        }
        snapshot.log_options.emplace(live.definition.containers[i].name, std::move(options));
    }
    std::lock_guard lock(snapshots_mutex_);
    snapshots_.insert_or_assign(live.task.task_id, std::move(snapshot));
}

void TaskRuntime::unpublish(const LiveTask& live) {
    std::lock_guard lock(snapshots_mutex_);
    snapshots_.erase(live.task.task_id);
}

std::optional<json> TaskRuntime::metadata(const Scope& scope, std::string_view task_id,
                                          std::string_view container_name, bool task_level) const {
    std::lock_guard lock(snapshots_mutex_);
    const auto it = snapshots_.find(task_id);
    if (it == snapshots_.end() || it->second.scope.account_id != scope.account_id ||
        it->second.scope.region != scope.region) {
        return std::nullopt;
    }
    const Snapshot& snapshot = it->second;
    const auto document_of = [&](const TaskContainer& container) {
        const auto options = snapshot.log_options.find(container.name);
        return container_metadata_json(
            snapshot.task, container,
            options == snapshot.log_options.end() ? json::object() : options->second);
    };
    if (task_level) {
        std::vector<json> containers;
        for (const auto& container : snapshot.task.containers) {
            containers.push_back(document_of(container));
        }
        return task_metadata_json(snapshot.task, containers);
    }
    const TaskContainer* container = snapshot.task.container(container_name);
    if (container == nullptr) {
        return std::nullopt;
    }
    return document_of(*container);
}

std::optional<json> TaskRuntime::role_credentials(const Scope& scope,
                                                  std::string_view task_id) const {
    std::lock_guard lock(snapshots_mutex_);
    const auto it = snapshots_.find(task_id);
    if (it == snapshots_.end() || it->second.scope.account_id != scope.account_id ||
        it->second.scope.region != scope.region || it->second.access_key_id.empty()) {
        return std::nullopt;
    }
    const Snapshot& snapshot = it->second;
    return json{{"RoleArn", snapshot.task_role_arn},
                {"AccessKeyId", snapshot.access_key_id},
                {"SecretAccessKey", snapshot.secret_access_key},
                {"Token", snapshot.session_token},
                {"Expiration", format_iso8601(snapshot.credentials_expire)}};
}

std::optional<ResolvedCredential> TaskRuntime::credential(std::string_view access_key_id) const {
    std::lock_guard lock(snapshots_mutex_);
    for (const auto& [id, snapshot] : snapshots_) {
        if (snapshot.access_key_id != access_key_id) {
            continue;
        }
        // arn:aws:iam::ACCOUNT:role/NAME acts as arn:aws:sts::ACCOUNT:assumed-role/NAME/TASK.
        const std::string role_name =
            snapshot.task_role_arn.substr(snapshot.task_role_arn.rfind('/') + 1);
        return ResolvedCredential{
            snapshot.secret_access_key,
            snapshot.scope.account_id,
            "arn:aws:sts::" + snapshot.scope.account_id + ":assumed-role/" + role_name + "/" + id,
            std::string(access_key_id) + ":" + id,
            snapshot.session_token,
            snapshot.credentials_expire};
    }
    return std::nullopt;
}

}  // namespace awsemu::ecs
