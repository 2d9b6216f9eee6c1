#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

namespace awsemu {

class Scheduler;

// A program to run as a child of awsemu (an ECS container, a health-check command).
struct ProcessSpec {
    // argv[0] without a '/' is looked up on the PATH of `environment` (else awsemu's PATH).
    std::vector<std::string> argv;
    std::vector<std::string> environment;  // the whole environment, "NAME=value"
    std::string working_directory;         // empty: awsemu's own
    // Set: the child runs as this user and group (servers that refuse to run as root).
    std::optional<unsigned> uid = std::nullopt;
    std::optional<unsigned> gid = std::nullopt;
    // When awsemu exits it sends this to the process's group and waits up to `shutdown_grace`
    // before SIGKILL, so that a server which shuts down cleanly on a signal (PostgreSQL's fast
    // shutdown on SIGINT) is given the chance.
    int shutdown_signal = SIGKILL;
    std::chrono::milliseconds shutdown_grace{0};
};

enum class OutputStream { Stdout, Stderr };

// How a process ended: by exit (exit_code) or by a signal (signal).
struct ProcessExit {
    std::optional<int> exit_code;
    std::optional<int> signal;
};

// Called on the event loop. Every output line arrives before on_exit.
struct ProcessCallbacks {
    std::function<void(OutputStream stream, std::string line)> on_line;
    std::function<void(const ProcessExit& exit)> on_exit;
};

// Starts and stops child processes without blocking the event loop: output pipes and exits are
// watched with Asio. Each process leads its own process group, which is what signals reach, so
// a shell and everything it started stop together, as a container's processes do; when the
// leader exits the rest of its group is killed. Children die with awsemu (PR_SET_PDEATHSIG).
class ProcessSupervisor {
  public:
    using ProcessId = std::uint64_t;

    virtual ~ProcessSupervisor() = default;
    // Starts `spec`; answers 0 and sets `error` when it cannot run (no such program, not
    // executable, no such working directory): no callback is called then.
    virtual ProcessId start(const ProcessSpec& spec, ProcessCallbacks callbacks,
                            boost::system::error_code& error) = 0;
    // Sends `signal_number` to the process's group; harmless once it has exited.
    virtual void signal(ProcessId id, int signal_number) = 0;
    // The operating system's process id, for the metadata endpoint; nullopt once exited.
    virtual std::optional<int> os_pid(ProcessId id) const = 0;
};

class AsioProcessSupervisor final : public ProcessSupervisor {
  public:
    AsioProcessSupervisor(boost::asio::io_context& io, Scheduler& scheduler);
    // Kills every process still running and waits for them.
    ~AsioProcessSupervisor() override;

    ProcessId start(const ProcessSpec& spec, ProcessCallbacks callbacks,
                    boost::system::error_code& error) override;
    void signal(ProcessId id, int signal_number) override;
    std::optional<int> os_pid(ProcessId id) const override;

  private:
    class Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace awsemu
