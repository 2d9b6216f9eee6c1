#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "emulator/runtime/local_ports.hpp"
#include "emulator/runtime/process_supervisor.hpp"
#include "emulator/runtime/scheduler.hpp"
#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "services/rds/postgres_installation.hpp"
#include "services/rds/rds_api.hpp"
#include "services/rds/rds_store.hpp"

// The real servers behind RDS instances: each instance is a PostgreSQL server (initdb into the
// data directory, `postgres` run by the process supervisor) listening on the instance's endpoint
// port itself, which never changes: awsemu reserves the port while no server is on it, and
// relays nothing, so clients get the server's own speed. Every step runs on the
// scheduler's strand, writes the instance's status in a transaction of its own and never blocks:
// initdb, createdb and psql run as child processes whose exits move the instance on.
namespace awsemu::rds {

struct LiveInstance;

class InstanceRuntime final : public RdsApi {
  public:
    struct Dependencies {
        Database& database;
        const Clock& clock;
        Scheduler& scheduler;
        ProcessSupervisor& processes;
        LocalPorts& ports;
        std::string data_dir;  // instances live in <data_dir>/rds/<account>/<region>/<id>
        std::optional<PostgresInstallation> postgres;
    };

    explicit InstanceRuntime(Dependencies dependencies);
    ~InstanceRuntime();
    InstanceRuntime(const InstanceRuntime&) = delete;
    InstanceRuntime& operator=(const InstanceRuntime&) = delete;

    // Reserves the endpoint port of a new instance (in the request: the port goes into its
    // document); answers the port, 0 when none could be reserved.
    std::uint16_t open_endpoint(const Scope& scope, const std::string& id);
    // Brings up an instance just stored "creating", after the current request.
    void provision(const Scope& scope, const std::string& id);
    // "stopping" -> server stopped -> "stopped".
    void stop(const Scope& scope, const std::string& id);
    // "starting" -> server ready -> "available".
    void start(const Scope& scope, const std::string& id);
    // "rebooting": connections dropped, server restarted -> "available"; with `failover` (and a
    // standby in sync) the standby is promoted instead.
    void reboot(const Scope& scope, const std::string& id, bool failover = false);
    // ModifyDBInstance MultiAZ: builds the standby, or drops it.
    void set_multi_az(const Scope& scope, const std::string& id, bool on);
    // The chaos work's entries (zone_outage.cpp): an availability zone is lost, or back.
    void availability_zone_lost(const std::string& zone) override;
    void availability_zone_restored(const std::string& zone) override;
    // "deleting": server stopped, its files and record removed; with a final snapshot, the
    // snapshot (stored "creating") is taken first.
    void remove(const Scope& scope, const std::string& id,
                const std::optional<std::string>& final_snapshot = std::nullopt);
    // Snapshots (instance_snapshots.cpp): the instance "backing-up" while pg_dumpall writes
    // every database and role into the snapshot's file, then the snapshot "available".
    void take_snapshot(const Scope& scope, const std::string& id, const std::string& snapshot_id);
    // Where a snapshot's dump lives; removed with DeleteDBSnapshot.
    std::string snapshot_file(const Scope& scope, const std::string& snapshot_id) const;
    // "resetting-master-credentials": ALTER ROLE on the server -> "available".
    void change_master_password(const Scope& scope, const std::string& id,
                                std::string new_password);
    // At start: every stored instance back as it was (servers started, endpoints re-bound).
    void recover_all();
    // All state is being emptied: stops every server, forgets the instances and their ports.
    void forget_all();

  private:
    using Key = std::string;
    static Key key_of(const Scope& scope, const std::string& id);
    std::shared_ptr<LiveInstance> live(const Scope& scope, const std::string& id);
    std::string instance_dir(const Scope& scope, const std::string& id) const;
    // A process run as the servers' user in `dir`, with a minimal environment.
    ProcessSpec server_user_process(const std::string& dir) const;

    // Steps, each on the event loop.
    void run_initdb(const std::shared_ptr<LiveInstance>& instance);
    void start_server(const std::shared_ptr<LiveInstance>& instance);
    // Holds the endpoint port while no server listens there (a no-op when it is held already,
    // or while a stale server still has the port: the next call tries again).
    void reserve_endpoint(const std::shared_ptr<LiveInstance>& instance);
    void server_ready(const std::shared_ptr<LiveInstance>& instance);
    void server_exited(const std::shared_ptr<LiveInstance>& instance, const ProcessExit& exit);
    void create_database(const std::shared_ptr<LiveInstance>& instance);
    void finish_creation(const std::shared_ptr<LiveInstance>& instance);
    void stop_server(const std::shared_ptr<LiveInstance>& instance, std::function<void()> then);
    void erase(const std::shared_ptr<LiveInstance>& instance);
    void dump(const std::shared_ptr<LiveInstance>& instance, const std::string& snapshot_id,
              std::function<void()> then);
    // Loads a snapshot's dump into a restored instance's new server.
    void restore_dump(const std::shared_ptr<LiveInstance>& instance, const std::string& file);
    void sync_managed_passwords();
    // Runs a client program against the instance's server as its master user; `done` gets
    // whether it exited 0 and its last output line.
    // `port` 0: the primary's (the endpoint); `as_server_user`: as the servers' user (files it
    // writes are theirs).
    void run_client(const std::shared_ptr<LiveInstance>& instance, std::vector<std::string> argv,
                    std::function<void(bool ok, const std::string& output)> done,
                    std::uint16_t port = 0, bool as_server_user = false);
    // A postgres server of the instance on `pgdata`; its output and exit reach the primary's or
    // the standby's handlers by which of the two it is when they arrive.
    ProcessSupervisor::ProcessId start_postgres(const std::shared_ptr<LiveInstance>& instance,
                                                const std::string& pgdata, std::uint16_t port);

    // Multi-AZ (multi_az.cpp): a standby kept by synchronous streaming replication.
    void build_standby(const std::shared_ptr<LiveInstance>& instance);
    void standby_streaming(const std::shared_ptr<LiveInstance>& instance);
    void standby_exited(const std::shared_ptr<LiveInstance>& instance);
    void stop_standby(const std::shared_ptr<LiveInstance>& instance);
    // Sets or clears synchronous_standby_names on the primary, then runs `then`.
    void set_synchronous(const std::shared_ptr<LiveInstance>& instance, bool on,
                         std::function<void()> then);
    void fail_over(const std::shared_ptr<LiveInstance>& instance, const std::string& reason);
    // Whether the instance's primary (or its standby's) zone is lost.
    bool primary_zone_lost(const std::shared_ptr<LiveInstance>& instance);
    bool standby_zone_lost(const std::shared_ptr<LiveInstance>& instance);
    std::vector<std::shared_ptr<LiveInstance>> all_instances();

    // Reads, changes and stores the instance's document (nothing when it is gone); records
    // `event` when one is given.
    void update(const std::shared_ptr<LiveInstance>& instance,
                const std::function<void(Json&)>& change, const std::string& event = {});
    void fail(const std::shared_ptr<LiveInstance>& instance, const std::string& reason);

    Dependencies deps_;
    RdsStore store_;
    std::mutex instances_mutex_;  // instances_: requests open endpoints from their handlers
    std::map<Key, std::shared_ptr<LiveInstance>> instances_;
    std::set<std::string> lost_zones_;  // on the event loop
    std::shared_ptr<std::function<void()>> sync_loop_;
    std::shared_ptr<bool> alive_;
};

}  // namespace awsemu::rds
