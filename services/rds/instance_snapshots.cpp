#include <filesystem>

#include "emulator/runtime/time_format.hpp"
#include "services/rds/instance_runtime.hpp"
#include "services/rds/live_instance.hpp"
#include "services/rds/rds_model.hpp"

// Snapshots as pg_dumpall files (every database and role, the master password among them, as a
// restored RDS instance keeps the snapshot's), taken through the running server and loaded into
// a new instance's server with psql.
namespace awsemu::rds {

namespace fs = std::filesystem;

std::string InstanceRuntime::snapshot_file(const Scope& scope,
                                           const std::string& snapshot_id) const {
    return (fs::absolute(deps_.data_dir) / "rds-snapshots" / scope.account_id / scope.region /
            (snapshot_id + ".sql"))
        .string();
}

void InstanceRuntime::take_snapshot(const Scope& scope, const std::string& id,
                                    const std::string& snapshot_id) {
    auto instance = live(scope, id);
    deps_.scheduler.post([this, alive = alive_, instance, snapshot_id] {
        if (!*alive || instance->gone) {
            return;
        }
        dump(instance, snapshot_id, [this, instance] {
            update(instance, [](Json& d) {
                if (d.value("DBInstanceStatus", "") == "backing-up") {
                    d["DBInstanceStatus"] = "available";
                }
            });
        });
    });
}

void InstanceRuntime::dump(const std::shared_ptr<LiveInstance>& instance,
                           const std::string& snapshot_id, std::function<void()> then) {
    const std::string file = snapshot_file(instance->scope, snapshot_id);
    std::error_code ignored;
    fs::create_directories(fs::path(file).parent_path(), ignored);
    const std::string partial = file + ".partial";
    auto set_snapshot = [this, instance, snapshot_id](const std::string& status) {
        auto transaction = deps_.database.transaction();
        auto snapshot = store_.find(instance->scope, Kind::Snapshot, snapshot_id);
        if (snapshot) {
            (*snapshot)["Status"] = status;
            (*snapshot)["PercentProgress"] = status == "available" ? 100 : 0;
            store_.put(instance->scope, Kind::Snapshot, snapshot_id, *snapshot);
            store_.add_event(
                instance->scope,
                Event{snapshot_id,
                      "db-snapshot",
                      snapshot_arn(instance->scope, snapshot_id),
                      status == "available" ? "Manual snapshot created" : "Manual snapshot failed",
                      {"creation"},
                      to_epoch_ms(deps_.clock.now())});
        }
        transaction.commit();
    };
    run_client(instance, {"pg_dumpall", "-f", partial},
               [file, partial, set_snapshot, then = std::move(then)](bool ok, const std::string&) {
                   std::error_code error;
                   if (ok) {
                       fs::rename(partial, file, error);
                   }
                   set_snapshot(ok && !error ? "available" : "failed");
                   then();
               });
}

void InstanceRuntime::restore_dump(const std::shared_ptr<LiveInstance>& instance,
                                   const std::string& file) {
    // Without ON_ERROR_STOP: the dump's CREATE ROLE of the master user, who exists already,
    // fails and the rest goes on, as pg_dumpall's documentation expects.
    run_client(instance, {"psql", "-q", "-d", "postgres", "-f", file},
               [this, instance](bool ok, const std::string& output) {
                   if (!ok) {
                       fail(instance, "restoring the snapshot failed: " + output);
                       return;
                   }
                   update(instance, [](Json& d) { d["_DatabaseCreated"] = true; });
                   finish_creation(instance);
               });
}

}  // namespace awsemu::rds
