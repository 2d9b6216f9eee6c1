#include "services/rds/instance_runtime.hpp"

#include "services/rds/live_instance.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "emulator/runtime/time_format.hpp"
#include "services/rds/rds_model.hpp"
#include "services/secretsmanager/secretsmanager_api.hpp"

namespace awsemu::rds {

namespace fs = std::filesystem;

namespace {

constexpr const char* kReadyLine = "database system is ready to accept connections";
// How long a server may take to stop cleanly when awsemu exits before it is killed.
constexpr std::chrono::milliseconds kShutdownGrace{10'000};
// How often a server that fails to start is retried (a stale one may still be going away).
constexpr int kStartAttempts = 5;
constexpr std::chrono::seconds kRetryDelay{1};
// How long the first backup of a new instance shows as "backing-up", emulated time.
constexpr std::chrono::seconds kInitialBackup{2};
// How often a managed master secret is compared with the server's password.
constexpr std::chrono::seconds kSecretSyncInterval{5};

// A stale server of this data directory (awsemu killed without its servers) is stopped.
void reap_stale_server(const std::string& pgdata) {
    std::ifstream pid_file(pgdata + "/postmaster.pid");
    pid_t pid = 0;
    if (!(pid_file >> pid) || pid <= 1) {
        return;
    }
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    if (comm >> name && (name == "postgres" || name == "postmaster")) {
        ::kill(pid, SIGQUIT);  // immediate shutdown: it has no client left worth a clean one
    }
}

// A server user other than awsemu's needs to reach the directory: search permission on every
// ancestor that lacks it for others.
void open_path_for_others(const fs::path& dir) {
    for (fs::path p = dir; !p.empty() && p != p.root_path(); p = p.parent_path()) {
        struct stat status {};
        if (::stat(p.c_str(), &status) == 0 && (status.st_mode & S_IXOTH) == 0) {
            ::chmod(p.c_str(), (status.st_mode & 07777) | S_IXOTH);
        }
    }
}

}  // namespace

InstanceRuntime::InstanceRuntime(Dependencies dependencies)
    : deps_(std::move(dependencies)),
      store_(deps_.database),
      alive_(std::make_shared<bool>(true)) {}

// Not the scheduler's: work still queued on the event loop may be destroyed (and this with it)
// after the scheduler, when awsemu stops before it runs. The sync timer checks alive_.
InstanceRuntime::~InstanceRuntime() {
    *alive_ = false;
}

ProcessSpec InstanceRuntime::server_user_process(const std::string& dir) const {
    ProcessSpec spec;
    spec.environment = {"PATH=/usr/bin:/bin", "LC_ALL=C"};
    spec.working_directory = dir;
    spec.uid = deps_.postgres->uid;
    spec.gid = deps_.postgres->gid;
    return spec;
}

InstanceRuntime::Key InstanceRuntime::key_of(const Scope& scope, const std::string& id) {
    return scope.account_id + "/" + scope.region + "/" + id;
}

std::string InstanceRuntime::instance_dir(const Scope& scope, const std::string& id) const {
    return (fs::absolute(deps_.data_dir) / "rds" / scope.account_id / scope.region / id).string();
}

std::shared_ptr<LiveInstance> InstanceRuntime::live(const Scope& scope, const std::string& id) {
    std::lock_guard lock(instances_mutex_);
    auto& slot = instances_[key_of(scope, id)];
    if (!slot) {
        slot = std::make_shared<LiveInstance>();
        slot->scope = scope;
        slot->id = id;
        slot->dir = instance_dir(scope, id);
        slot->pgdata = slot->dir + "/pgdata";
        slot->standby_pgdata = slot->dir + "/pgdata-b";
    }
    return slot;
}

std::uint16_t InstanceRuntime::open_endpoint(const Scope& scope, const std::string& id) {
    auto instance = live(scope, id);
    if (!instance->endpoint) {
        boost::system::error_code error;
        instance->endpoint = deps_.ports.reserve(kLocalHost, 0, error);
        instance->endpoint_port = instance->endpoint ? instance->endpoint->port() : 0;
    }
    return instance->endpoint_port;
}

void InstanceRuntime::update(const std::shared_ptr<LiveInstance>& instance,
                             const std::function<void(Json&)>& change, const std::string& event) {
    auto transaction = deps_.database.transaction();
    auto document = store_.find(instance->scope, Kind::Instance, instance->id);
    if (!document) {
        return;
    }
    change(*document);
    store_.put(instance->scope, Kind::Instance, instance->id, *document);
    if (!event.empty()) {
        store_.add_event(instance->scope,
                         Event{document->value("DBInstanceIdentifier", instance->id),
                               "db-instance",
                               instance_arn(instance->scope, instance->id),
                               event,
                               {"availability"},
                               to_epoch_ms(deps_.clock.now())});
    }
    transaction.commit();
}

void InstanceRuntime::fail(const std::shared_ptr<LiveInstance>& instance,
                           const std::string& reason) {
    update(
        instance, [](Json& d) { d["DBInstanceStatus"] = "failed"; },
        "DB instance failed: " + reason);
}

void InstanceRuntime::provision(const Scope& scope, const std::string& id) {
    auto instance = live(scope, id);
    instance->provisioned = true;
    deps_.scheduler.post([this, alive = alive_, instance] {
        if (!*alive || instance->gone) {
            return;
        }
        if (!deps_.postgres) {
            fail(instance, "PostgreSQL is not installed (no initdb and postgres found)");
            return;
        }
        run_initdb(instance);
    });
}

void InstanceRuntime::run_initdb(const std::shared_ptr<LiveInstance>& instance) {
    std::error_code ignored;
    fs::remove_all(instance->dir, ignored);
    fs::create_directories(instance->dir, ignored);
    const auto& pg = *deps_.postgres;
    const auto document = store_.find(instance->scope, Kind::Instance, instance->id);
    if (!document) {
        return;
    }
    const std::string password_file = instance->dir + "/initdb.pw";
    {
        std::ofstream out(password_file, std::ios::trunc);
        out << document->value("_MasterPassword", "") << "\n";
    }
    ::chmod(password_file.c_str(), 0600);
    if (pg.uid) {
        open_path_for_others(instance->dir);
        [[maybe_unused]] const int a = ::chown(instance->dir.c_str(), *pg.uid, *pg.gid);
        [[maybe_unused]] const int b = ::chown(password_file.c_str(), *pg.uid, *pg.gid);
    }
    ProcessSpec spec = server_user_process(instance->dir);
    spec.argv = {pg.program("initdb"),
                 "-D",
                 instance->pgdata,
                 "-U",
                 document->value("MasterUsername", "postgres"),
                 "--pwfile=" + password_file,
                 "--auth=scram-sha-256",
                 "--encoding=UTF8",
                 "--locale=C",
                 "--no-sync"};
    auto output = std::make_shared<std::string>();
    ProcessCallbacks callbacks;
    callbacks.on_line = [output](OutputStream, std::string line) { *output = std::move(line); };
    callbacks.on_exit = [this, alive = alive_, instance, output,
                         password_file](const ProcessExit& exit) {
        std::error_code ignored;
        fs::remove(password_file, ignored);
        if (!*alive || instance->gone) {
            return;
        }
        if (exit.exit_code != 0) {
            fail(instance, "initdb failed: " + *output);
            return;
        }
        update(instance, [](Json& d) { d["_Initialized"] = true; });
        instance->after_ready = [this, instance] { create_database(instance); };
        start_server(instance);
    };
    boost::system::error_code error;
    deps_.processes.start(spec, std::move(callbacks), error);
    if (error) {
        fail(instance, "cannot run initdb: " + error.message());
    }
}

void InstanceRuntime::reserve_endpoint(const std::shared_ptr<LiveInstance>& instance) {
    if (!instance->endpoint && instance->endpoint_port != 0) {
        boost::system::error_code ignored;
        instance->endpoint = deps_.ports.reserve(kLocalHost, instance->endpoint_port, ignored);
    }
}

void InstanceRuntime::start_server(const std::shared_ptr<LiveInstance>& instance) {
    reap_stale_server(instance->pgdata);
    instance->ready = false;
    if (instance->endpoint_port == 0) {
        fail(instance, "its endpoint has no port");
        return;
    }
    // A port another program listens on makes the start fail with PostgreSQL's "could not
    // bind" in the instance's log and events.
    reserve_endpoint(instance);
    instance->server = start_postgres(instance, instance->pgdata, instance->endpoint_port);
}

ProcessSupervisor::ProcessId InstanceRuntime::start_postgres(
    const std::shared_ptr<LiveInstance>& instance, const std::string& pgdata, std::uint16_t port) {
    const auto& pg = *deps_.postgres;
    ProcessSpec spec = server_user_process(instance->dir);
    spec.argv = {pg.program("postgres"),
                 "-D",
                 pgdata,
                 "-p",
                 std::to_string(port),
                 "-c",
                 std::string("listen_addresses=") + kLocalHost,
                 "-c",
                 "unix_socket_directories=",
                 "-c",
                 "logging_collector=off"};
    spec.shutdown_signal = SIGINT;  // fast shutdown: clients cut, data checkpointed
    spec.shutdown_grace = kShutdownGrace;
    auto id = std::make_shared<ProcessSupervisor::ProcessId>(0);
    ProcessCallbacks callbacks;
    callbacks.on_line = [this, alive = alive_, instance, id](OutputStream, std::string line) {
        if (!*alive || instance->gone) {
            return;
        }
        // The servers' log, as RDS keeps error/postgresql.log: <dir>/postgresql.log.
        std::ofstream(instance->dir + "/postgresql.log", std::ios::app)
            << (*id == instance->server ? "primary: " : "standby: ") << line << "\n";
        if (*id == instance->server && *id != instance->promoted) {
            if (line.find(kReadyLine) != std::string::npos && !instance->ready) {
                server_ready(instance);
            } else if (line.find("FATAL") != std::string::npos) {
                instance->last_error = line;
            }
        } else if (*id == instance->standby && !instance->standby_in_sync &&
                   line.find("started streaming WAL") != std::string::npos) {
            standby_streaming(instance);
        }
    };
    callbacks.on_exit = [this, alive = alive_, instance, id](const ProcessExit& exit) {
        if (!*alive || instance->gone) {
            return;
        }
        if (*id == instance->server) {
            server_exited(instance, exit);
        } else if (*id == instance->standby) {
            standby_exited(instance);
        }
    };
    boost::system::error_code error;
    *id = deps_.processes.start(spec, std::move(callbacks), error);
    if (error) {
        fail(instance, "cannot run postgres: " + error.message());
    }
    return *id;
}

void InstanceRuntime::server_ready(const std::shared_ptr<LiveInstance>& instance) {
    instance->ready = true;
    instance->failed_starts = 0;
    const auto document = store_.find(instance->scope, Kind::Instance, instance->id);
    // A password changed while the server was down is set now.
    if (document && document->contains("_PendingPassword")) {
        change_master_password(instance->scope, instance->id,
                               document->at("_PendingPassword").get<std::string>());
    }
    if (document && document->value("MultiAZ", false) && instance->standby == 0 &&
        !instance->standby_building) {
        build_standby(instance);
    }
    if (auto next = std::exchange(instance->after_ready, nullptr)) {
        next();
        return;
    }
    update(instance, [](Json& d) {
        const std::string status = d.value("DBInstanceStatus", "");
        if (status != "stopping" && status != "deleting") {
            d["DBInstanceStatus"] = "available";
        }
    });
}

void InstanceRuntime::server_exited(const std::shared_ptr<LiveInstance>& instance,
                                    const ProcessExit& exit) {
    instance->server = 0;
    reserve_endpoint(instance);  // in case a stale server had it when this one started
    const bool was_ready = std::exchange(instance->ready, false);
    if (auto next = std::exchange(instance->after_exit, nullptr)) {
        next();
        return;
    }
    // Not asked to stop: a crash, or a start that failed (a stale server still going away).
    if (!was_ready && ++instance->failed_starts >= kStartAttempts) {
        fail(instance, "postgres exited (" +
                           (exit.exit_code ? "code " + std::to_string(*exit.exit_code)
                                           : "signal " + std::to_string(exit.signal.value_or(0))) +
                           "): " + instance->last_error);
        return;
    }
    deps_.scheduler.at(deps_.clock.now() + kRetryDelay, [this, alive = alive_, instance] {
        if (*alive && !instance->gone && instance->server == 0 && !instance->failing_over &&
            !primary_zone_lost(instance)) {
            start_server(instance);
        }
    });
}

void InstanceRuntime::finish_creation(const std::shared_ptr<LiveInstance>& instance) {
    const auto now = deps_.clock.now();
    bool backed_up = false;
    update(
        instance,
        [&](Json& d) {
            // Without automated backups (retention 0) there is no first backup to take.
            backed_up = d.value("BackupRetentionPeriod", 1) > 0;
            d["DBInstanceStatus"] = backed_up ? "backing-up" : "available";
            if (backed_up) {
                d["LatestRestorableTime"] = format_iso8601(now);
            }
        },
        "DB instance created");
    if (!backed_up) {
        return;
    }
    deps_.scheduler.at(now + kInitialBackup, [this, alive = alive_, instance] {
        if (!*alive || instance->gone) {
            return;
        }
        update(
            instance,
            [](Json& d) {
                if (d.value("DBInstanceStatus", "") == "backing-up") {
                    d["DBInstanceStatus"] = "available";
                }
            },
            "Finished DB Instance backup");
    });
}

void InstanceRuntime::stop_server(const std::shared_ptr<LiveInstance>& instance,
                                  std::function<void()> then) {
    if (instance->server == 0) {
        then();
        return;
    }
    instance->after_exit = std::move(then);
    deps_.processes.signal(instance->server, SIGINT);
}

void InstanceRuntime::stop(const Scope& scope, const std::string& id) {
    auto instance = live(scope, id);
    deps_.scheduler.post([this, alive = alive_, instance] {
        if (!*alive || instance->gone) {
            return;
        }
        stop_standby(instance);
        stop_server(instance, [this, instance] {
            update(
                instance, [](Json& d) { d["DBInstanceStatus"] = "stopped"; },
                "DB instance stopped");
        });
    });
}

void InstanceRuntime::start(const Scope& scope, const std::string& id) {
    auto instance = live(scope, id);
    deps_.scheduler.post([this, alive = alive_, instance] {
        if (!*alive || instance->gone || instance->server != 0 || !deps_.postgres) {
            return;
        }
        instance->after_ready = [this, instance] {
            update(
                instance, [](Json& d) { d["DBInstanceStatus"] = "available"; },
                "DB instance started");
        };
        start_server(instance);
    });
}

void InstanceRuntime::reboot(const Scope& scope, const std::string& id, bool failover) {
    auto instance = live(scope, id);
    deps_.scheduler.post([this, alive = alive_, instance, failover] {
        if (!*alive || instance->gone || !deps_.postgres) {
            return;
        }
        if (failover && instance->standby_in_sync) {
            fail_over(instance, "Reboot with failover");
            return;
        }
        stop_server(instance, [this, instance] {
            instance->after_ready = [this, instance] {
                update(
                    instance, [](Json& d) { d["DBInstanceStatus"] = "available"; },
                    "DB instance restarted");
            };
            start_server(instance);
        });
    });
}

void InstanceRuntime::remove(const Scope& scope, const std::string& id,
                             const std::optional<std::string>& final_snapshot) {
    auto instance = live(scope, id);
    deps_.scheduler.post([this, alive = alive_, instance, final_snapshot] {
        if (!*alive || instance->gone) {
            return;
        }
        auto finish = [this, instance] {
            stop_standby(instance);
            stop_server(instance, [this, instance] { erase(instance); });
        };
        if (final_snapshot && instance->ready) {
            dump(instance, *final_snapshot, finish);
        } else {
            finish();
        }
    });
}

void InstanceRuntime::erase(const std::shared_ptr<LiveInstance>& instance) {
    instance->gone = true;
    {
        auto transaction = deps_.database.transaction();
        store_.erase(instance->scope, Kind::Instance, instance->id);
        store_.remove_tags(instance->scope, instance_arn(instance->scope, instance->id));
        store_.add_event(instance->scope, Event{instance->id,
                                                "db-instance",
                                                instance_arn(instance->scope, instance->id),
                                                "DB instance deleted",
                                                {"deletion"},
                                                to_epoch_ms(deps_.clock.now())});
        transaction.commit();
    }
    instance->endpoint.reset();
    std::error_code ignored;
    fs::remove_all(instance->dir, ignored);
    std::lock_guard lock(instances_mutex_);
    instances_.erase(key_of(instance->scope, instance->id));
}

void InstanceRuntime::recover_all() {
    std::vector<std::pair<Scope, Json>> stored;
    {
        auto transaction = deps_.database.transaction();
        stored = store_.all(Kind::Instance);
        transaction.commit();
    }
    for (const auto& [scope, document] : stored) {
        const std::string id = document.value("DBInstanceIdentifier", "");
        const std::string status = document.value("DBInstanceStatus", "");
        auto instance = live(scope, id);
        if (instance->provisioned) {
            continue;  // created since the start, before this ran: already provisioning
        }
        if (document.value("_PrimaryDir", "pgdata") != "pgdata") {
            std::swap(instance->pgdata, instance->standby_pgdata);
        }
        if (status == "deleting") {
            deps_.scheduler.post([this, instance] { erase(instance); });
            continue;
        }
        // A stale server of the instance (awsemu was killed) may still hold the port: it is
        // stopped, and the port reserved once it has gone (start_server).
        reap_stale_server(instance->pgdata);
        instance->endpoint_port = static_cast<std::uint16_t>(document.value("_EndpointPort", 0));
        reserve_endpoint(instance);
        if (status == "stopped" || status == "stopping") {
            update(instance, [](Json& d) { d["DBInstanceStatus"] = "stopped"; });
            continue;
        }
        if (instance->endpoint_port == 0 || !deps_.postgres || status == "failed") {
            continue;
        }
        if (!document.value("_Initialized", false)) {
            provision(scope, id);
            continue;
        }
        if (status == "creating" || status == "backing-up") {
            instance->after_ready = [this, instance] { create_database(instance); };
        } else {
            // Not "available" until its server accepts connections on the endpoint again.
            update(instance, [](Json& d) { d["DBInstanceStatus"] = "starting"; });
        }
        deps_.scheduler.post([this, alive = alive_, instance] {
            if (*alive && !instance->gone) {
                start_server(instance);
            }
        });
    }
    auto schedule = std::make_shared<std::function<void()>>();
    *schedule = [this, alive = alive_, weak = std::weak_ptr(schedule)] {
        if (!*alive) {
            return;
        }
        sync_managed_passwords();
        if (auto again = weak.lock()) {
            deps_.scheduler.at(deps_.clock.now() + kSecretSyncInterval, *again);
        }
    };
    sync_loop_ = schedule;
    deps_.scheduler.at(deps_.clock.now() + kSecretSyncInterval, *schedule);
}

void InstanceRuntime::forget_all() {
    std::map<Key, std::shared_ptr<LiveInstance>> all;
    {
        std::lock_guard lock(instances_mutex_);
        all.swap(instances_);
    }
    for (auto& [key, instance] : all) {
        instance->gone = true;
        instance->endpoint.reset();
        if (instance->server != 0) {
            deps_.processes.signal(instance->server, SIGQUIT);
        }
        if (instance->standby != 0) {
            deps_.processes.signal(instance->standby, SIGQUIT);
        }
        std::error_code ignored;
        fs::remove_all(instance->dir, ignored);
    }
    std::error_code ignored;
    fs::remove_all(fs::absolute(deps_.data_dir) / "rds-snapshots", ignored);
}

}  // namespace awsemu::rds
