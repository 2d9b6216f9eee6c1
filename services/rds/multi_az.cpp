#include <signal.h>

#include <filesystem>

#include "emulator/runtime/time_format.hpp"
#include "services/rds/instance_runtime.hpp"
#include "services/rds/live_instance.hpp"

// Multi-AZ: a standby server in the instance's other data directory, copied from the primary
// with pg_basebackup and kept by streaming replication; once it streams, the primary waits for
// it on every commit (synchronous_standby_names = '*'), so that a commit acknowledged before a
// failover is there after it. A failover kills the primary (its clients' connections drop),
// promotes the standby and restarts it on the endpoint port, where clients reconnect; it swaps
// AvailabilityZone and SecondaryAvailabilityZone, and builds a new standby.
namespace awsemu::rds {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::seconds kStandbyRetry{2};

}  // namespace

void InstanceRuntime::set_synchronous(const std::shared_ptr<LiveInstance>& instance, bool on,
                                      std::function<void()> then) {
    const std::string setting = on ? "ALTER SYSTEM SET synchronous_standby_names = '*'"
                                   : "ALTER SYSTEM RESET synchronous_standby_names";
    run_client(instance, {"psql", "-d", "postgres", "-c", setting, "-c", "SELECT pg_reload_conf()"},
               [then = std::move(then)](bool, const std::string&) { then(); });
}

void InstanceRuntime::build_standby(const std::shared_ptr<LiveInstance>& instance) {
    // A standby in a lost zone waits for it (availability_zone_restored).
    if (!instance->ready || instance->standby != 0 || instance->standby_building ||
        standby_zone_lost(instance)) {
        return;
    }
    instance->standby_building = true;
    instance->standby_in_sync = false;
    instance->standby_stopping = false;
    // Commits must not wait for a standby that is not there yet.
    set_synchronous(instance, false, [this, instance] {
        std::error_code ignored;
        fs::remove_all(instance->standby_pgdata, ignored);
        run_client(
            instance,
            {"pg_basebackup", "-D", instance->standby_pgdata, "-R", "-X", "stream", "-c", "fast"},
            [this, alive = alive_, instance](bool ok, const std::string& output) {
                if (!*alive || instance->gone) {
                    return;
                }
                if (!ok) {
                    instance->standby_building = false;
                    update(
                        instance, [](Json&) {}, "Multi-AZ standby could not be built: " + output);
                    return;
                }
                instance->standby_port = deps_.ports.free_port(kLocalHost);
                instance->standby =
                    start_postgres(instance, instance->standby_pgdata, instance->standby_port);
            },
            0, true);
    });
}

void InstanceRuntime::standby_streaming(const std::shared_ptr<LiveInstance>& instance) {
    set_synchronous(instance, true, [this, instance] {
        instance->standby_building = false;
        instance->standby_in_sync = instance->standby != 0;
    });
}

void InstanceRuntime::standby_exited(const std::shared_ptr<LiveInstance>& instance) {
    const bool deliberate = instance->standby_stopping;
    instance->standby = 0;
    instance->standby_in_sync = false;
    instance->standby_building = false;
    instance->standby_stopping = false;
    if (deliberate || !instance->ready) {
        return;
    }
    // Lost: commits stop waiting for it, and a new one is built.
    set_synchronous(instance, false, [this, alive = alive_, instance] {
        deps_.scheduler.at(deps_.clock.now() + kStandbyRetry, [this, alive, instance] {
            if (*alive && !instance->gone) {
                build_standby(instance);
            }
        });
    });
}

void InstanceRuntime::stop_standby(const std::shared_ptr<LiveInstance>& instance) {
    if (instance->standby == 0) {
        return;
    }
    instance->standby_stopping = true;
    instance->standby_in_sync = false;
    deps_.processes.signal(instance->standby, SIGINT);
}

void InstanceRuntime::set_multi_az(const Scope& scope, const std::string& id, bool on) {
    auto instance = live(scope, id);
    deps_.scheduler.post([this, alive = alive_, instance, on] {
        if (!*alive || instance->gone || !deps_.postgres) {
            return;
        }
        if (on) {
            build_standby(instance);
            return;
        }
        set_synchronous(instance, false, [this, instance] { stop_standby(instance); });
    });
}

void InstanceRuntime::fail_over(const std::shared_ptr<LiveInstance>& instance,
                                const std::string& reason) {
    update(
        instance, [](Json& d) { d["DBInstanceStatus"] = "rebooting"; },
        "Multi-AZ instance failover started. " + reason);
    instance->standby_in_sync = false;
    instance->failing_over = true;
    auto promote = [this, instance] {
        run_client(
            instance,
            {"psql", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", "SELECT pg_promote(true, 60)",
             "-c", "ALTER SYSTEM RESET synchronous_standby_names", "-c", "SELECT pg_reload_conf()"},
            [this, instance](bool ok, const std::string& output) {
                if (!ok) {
                    fail(instance, "promoting the standby failed: " + output);
                    return;
                }
                // The promoted server is the primary now, in the other zone.
                instance->server = std::exchange(instance->standby, 0);
                instance->promoted = instance->server;
                std::swap(instance->pgdata, instance->standby_pgdata);
                const std::string primary_dir = fs::path(instance->pgdata).filename().string();
                update(instance, [&](Json& d) {
                    const std::string zone = d.value("AvailabilityZone", "");
                    d["AvailabilityZone"] = d.value("SecondaryAvailabilityZone", zone);
                    d["SecondaryAvailabilityZone"] = zone;
                    d["_PrimaryDir"] = primary_dir;
                });
                // A server's port is fixed while it runs: it moves onto the endpoint port with
                // a fast restart (a shutdown checkpoint of what the promotion wrote).
                stop_server(instance, [this, instance] {
                    instance->promoted = 0;
                    instance->failing_over = false;  // this start is retried as any other
                    instance->after_ready = [this, instance] {
                        update(
                            instance, [](Json& d) { d["DBInstanceStatus"] = "available"; },
                            "Multi-AZ instance failover completed");
                        build_standby(instance);
                    };
                    start_server(instance);
                });
            },
            instance->standby_port);
    };
    if (instance->server == 0) {
        promote();
        return;
    }
    // The primary is lost at once, as when its zone goes: only what the standby confirmed counts.
    instance->after_exit = promote;
    deps_.processes.signal(instance->server, SIGKILL);
}

}  // namespace awsemu::rds
