#include "emulator/runtime/process_supervisor.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "emulator/runtime/asio_scheduler.hpp"

// These tests run real child processes: the supervisor's whole job is the operating system's
// process and pipe interface, which no fake would exercise. They read no clock.
using namespace awsemu;

namespace {

struct Run {
    std::vector<std::pair<OutputStream, std::string>> lines;
    std::optional<ProcessExit> exit;
    bool exit_seen_before_last_line = false;
};

class Harness {
  public:
    Harness() : scheduler_(io_, clock_), supervisor_(io_, scheduler_) {}

    ProcessSupervisor::ProcessId start(ProcessSpec spec, Run& run,
                                       boost::system::error_code& error) {
        return supervisor_.start(spec,
                                 {[&run](OutputStream stream, std::string line) {
                                      if (run.exit) {
                                          run.exit_seen_before_last_line = true;
                                      }
                                      run.lines.emplace_back(stream, std::move(line));
                                  },
                                  [&run](const ProcessExit& exit) { run.exit = exit; }},
                                 error);
    }

    // Runs the event loop until the process has been reported gone; a test that hangs here
    // fails by the suite's timeout.
    void wait_for_exit(const Run& run) {
        while (!run.exit) {
            io_.run_one();
        }
    }

    ProcessSupervisor& supervisor() { return supervisor_; }
    void poll() { io_.poll(); }
    void run_one() { io_.run_one(); }

  private:
    boost::asio::io_context io_;
    ManualClock clock_;
    AsioScheduler scheduler_;
    AsioProcessSupervisor supervisor_;
};

ProcessSpec shell(const std::string& script, std::vector<std::string> environment = {}) {
    return {{"sh", "-c", script}, std::move(environment), {}};
}

}  // namespace

TEST_CASE("ProcessSupervisor delivers each output line, then the exit code", "[runtime][unit]") {
    Harness harness;
    Run run;
    boost::system::error_code error;
    const auto id =
        harness.start(shell("echo one; echo two >&2; printf 'no newline'; exit 3"), run, error);
    REQUIRE_FALSE(error);
    REQUIRE(id != 0);
    harness.wait_for_exit(run);
    REQUIRE(run.exit->exit_code == 3);
    CHECK_FALSE(run.exit->signal);
    CHECK_FALSE(run.exit_seen_before_last_line);
    std::vector<std::string> out;
    std::vector<std::string> err;
    for (const auto& [stream, line] : run.lines) {
        (stream == OutputStream::Stdout ? out : err).push_back(line);
    }
    CHECK(out == std::vector<std::string>{"one", "no newline"});
    CHECK(err == std::vector<std::string>{"two"});
}

TEST_CASE("ProcessSupervisor gives the process exactly the environment and directory asked for",
          "[runtime][unit]") {
    Harness harness;
    Run run;
    boost::system::error_code error;
    ProcessSpec spec = shell("echo \"$GREETING\"; echo \"${HOME:-unset}\"; pwd",
                             {"GREETING=hello world", "PATH=/usr/bin:/bin"});
    spec.working_directory = "/tmp";
    harness.start(spec, run, error);
    REQUIRE_FALSE(error);
    harness.wait_for_exit(run);
    REQUIRE(run.lines.size() == 3);
    CHECK(run.lines[0].second == "hello world");
    CHECK(run.lines[1].second == "unset");
    CHECK(run.lines[2].second == "/tmp");
    CHECK(run.exit->exit_code == 0);
}

TEST_CASE("ProcessSupervisor reports a program it cannot run without starting anything",
          "[runtime][unit]") {
    Harness harness;
    Run run;
    boost::system::error_code error;
    CHECK(harness.start({{"no-such-program-awsemu"}, {"PATH=/usr/bin:/bin"}, {}}, run, error) == 0);
    CHECK(error == boost::system::errc::no_such_file_or_directory);

    ProcessSpec in_missing_directory = shell("true");
    in_missing_directory.working_directory = "/no/such/directory";
    CHECK(harness.start(in_missing_directory, run, error) == 0);
    CHECK(error == boost::system::errc::no_such_file_or_directory);

    CHECK(harness.start({{"/tmp"}, {}, {}}, run, error) == 0);  // a directory
    CHECK(error == boost::system::errc::permission_denied);
    harness.poll();
    CHECK_FALSE(run.exit);
}

TEST_CASE("ProcessSupervisor signals the whole process group", "[runtime][unit]") {
    Harness harness;
    Run run;
    boost::system::error_code error;
    // The shell waits for a child of its own: the signal must reach both.
    const auto id = harness.start(shell("echo ready; sleep 60; echo not-reached"), run, error);
    REQUIRE_FALSE(error);
    REQUIRE(harness.supervisor().os_pid(id).has_value());
    harness.supervisor().signal(id, SIGTERM);
    harness.wait_for_exit(run);
    CHECK(run.exit->signal == SIGTERM);
    CHECK_FALSE(run.exit->exit_code);
    CHECK_FALSE(harness.supervisor().os_pid(id).has_value());
    for (const auto& [stream, line] : run.lines) {
        CHECK(line != "not-reached");
    }
    harness.supervisor().signal(id, SIGTERM);  // harmless once gone
}

TEST_CASE("ProcessSupervisor ends a process whose background children keep its output open",
          "[runtime][unit]") {
    Harness harness;
    Run run;
    boost::system::error_code error;
    harness.start(shell("sleep 60 & echo started"), run, error);
    REQUIRE_FALSE(error);
    harness.wait_for_exit(run);
    CHECK(run.exit->exit_code == 0);
    REQUIRE(run.lines.size() == 1);
    CHECK(run.lines[0].second == "started");
}

TEST_CASE("ProcessSupervisor splits a line longer than an awslogs event", "[runtime][unit]") {
    Harness harness;
    Run run;
    boost::system::error_code error;
    harness.start(shell("head -c 300000 /dev/zero | tr '\\0' x; echo; echo end"), run, error);
    REQUIRE_FALSE(error);
    harness.wait_for_exit(run);
    REQUIRE(run.lines.size() == 3);
    CHECK(run.lines[0].second.size() == 256 * 1024);
    CHECK(run.lines[1].second.size() == 300000 - 256 * 1024);
    CHECK(run.lines[2].second == "end");
}

TEST_CASE("ProcessSupervisor stops a process with its own signal when it goes away",
          "[runtime][unit]") {
    const std::string marker = "/tmp/awsemu-supervisor-shutdown-" + std::to_string(::getpid());
    std::remove(marker.c_str());
    {
        Harness harness;
        Run run;
        boost::system::error_code error;
        ProcessSpec spec = shell("trap 'echo clean > " + marker +
                                 "; exit 0' INT; echo ready; while :; do sleep 0.05; done");
        spec.shutdown_signal = SIGINT;
        spec.shutdown_grace = std::chrono::milliseconds(5000);
        harness.start(spec, run, error);
        REQUIRE_FALSE(error);
        while (run.lines.empty()) {
            harness.run_one();
        }
    }
    std::FILE* file = std::fopen(marker.c_str(), "r");
    REQUIRE(file != nullptr);
    char text[16] = {};
    CHECK(std::fgets(text, sizeof text, file) != nullptr);
    std::fclose(file);
    std::remove(marker.c_str());
    CHECK(std::string(text) == "clean\n");
}

TEST_CASE("ProcessSupervisor runs a process as another user when asked", "[runtime][unit]") {
    if (::geteuid() != 0) {
        SUCCEED("only root may change user");
        return;
    }
    Harness harness;
    Run run;
    boost::system::error_code error;
    ProcessSpec spec = shell("id -u; id -g");
    spec.uid = 65534;
    spec.gid = 65534;
    harness.start(spec, run, error);
    REQUIRE_FALSE(error);
    harness.wait_for_exit(run);
    REQUIRE(run.lines.size() == 2);
    CHECK(run.lines[0].second == "65534");
    CHECK(run.lines[1].second == "65534");
}
