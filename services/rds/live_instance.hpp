#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "emulator/runtime/local_ports.hpp"
#include "emulator/runtime/process_supervisor.hpp"
#include "emulator/service.hpp"

// What the runtime knows of one instance besides its stored document (instance_runtime.cpp
// and instance_clients.cpp share it).
namespace awsemu::rds {

inline constexpr const char* kLocalHost = "127.0.0.1";

struct LiveInstance {
    Scope scope;
    std::string id;
    std::string dir;     // <data_dir>/rds/<account>/<region>/<id>
    std::string pgdata;  // dir/pgdata
    // The endpoint's port, where the primary server itself listens; reserved while it does not.
    std::uint16_t endpoint_port = 0;
    std::unique_ptr<PortReservation> endpoint;
    ProcessSupervisor::ProcessId server = 0;
    bool ready = false;
    int failed_starts = 0;
    std::function<void()> after_exit;  // what a deliberate stop continues with
    std::function<void()> after_ready;
    std::string last_error;
    bool gone = false;
    // Provisioning began in this process (created after the start): recovery leaves it alone.
    std::atomic<bool> provisioned{false};
    // Multi-AZ: the standby server, in the other data directory of dir/{pgdata,pgdata-b}.
    std::string standby_pgdata;
    ProcessSupervisor::ProcessId standby = 0;
    std::uint16_t standby_port = 0;
    bool standby_in_sync = false;   // streaming, and the primary waits for it on commit
    bool standby_building = false;  // pg_basebackup or its start under way
    bool standby_stopping = false;  // a deliberate stop: not rebuilt when it exits
    // A failover is under way until the promoted server restarts on the endpoint: no crashed
    // primary is started again meanwhile.
    bool failing_over = false;
    // The promoted standby while it is restarted onto the endpoint port: the "ready" line it
    // logs on promotion is not a start.
    ProcessSupervisor::ProcessId promoted = 0;
};

}  // namespace awsemu::rds
