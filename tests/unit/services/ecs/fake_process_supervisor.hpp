#pragma once

#include <csignal>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/system/errc.hpp>

#include "emulator/runtime/process_supervisor.hpp"
#include "emulator/runtime/scheduler.hpp"

namespace awsemu::testing {

// A ProcessSupervisor that runs nothing: it records every ProcessSpec it is asked to start and
// every signal, and the test says when a process prints a line or exits. Callbacks arrive
// through the scheduler (posted, in order), as AsioProcessSupervisor delivers them, so nothing
// happens until the test runs the scheduler. SIGKILL ends a process; SIGTERM does too unless the
// process ignores it (`ignore_sigterm`, or `ignores_sigterm` set on the process).
class FakeProcessSupervisor final : public ProcessSupervisor {
  public:
    struct Process {
        ProcessId id = 0;
        ProcessSpec spec;
        ProcessCallbacks callbacks;
        std::vector<int> signals;  // in the order sent
        bool ignores_sigterm = false;
        bool exited = false;  // its exit was reported (posted)

        // The value of `name` in its environment (the last entry wins, as for execve's
        // readers); nullopt when unset.
        std::optional<std::string> env(std::string_view name) const {
            std::optional<std::string> value;
            for (const auto& entry : spec.environment) {
                if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
                    entry[name.size()] == '=') {
                    value = entry.substr(name.size() + 1);
                }
            }
            return value;
        }
        bool received(int signal_number) const {
            for (const int s : signals) {
                if (s == signal_number) {
                    return true;
                }
            }
            return false;
        }
    };

    explicit FakeProcessSupervisor(Scheduler& scheduler) : scheduler_(scheduler) {}

    ProcessId start(const ProcessSpec& spec, ProcessCallbacks callbacks,
                    boost::system::error_code& error) override {
        if (spec.argv.empty() || missing_programs.count(spec.argv.front()) > 0) {
            error = boost::system::errc::make_error_code(
                boost::system::errc::no_such_file_or_directory);
            return 0;
        }
        error.clear();
        Process process;
        process.id = processes_.size() + 1;
        process.spec = spec;
        process.callbacks = std::move(callbacks);
        process.ignores_sigterm = ignore_sigterm;
        processes_.push_back(std::move(process));
        return processes_.back().id;
    }

    void signal(ProcessId id, int signal_number) override {
        Process* process = find(id);
        if (process == nullptr) {
            return;
        }
        process->signals.push_back(signal_number);
        if (process->exited) {
            return;
        }
        if (signal_number == SIGKILL || (signal_number == SIGTERM && !process->ignores_sigterm)) {
            report_exit(*process, ProcessExit{std::nullopt, signal_number});
        }
    }

    std::optional<int> os_pid(ProcessId id) const override {
        for (const auto& process : processes_) {
            if (process.id == id && !process.exited) {
                return static_cast<int>(10000 + id);
            }
        }
        return std::nullopt;
    }

    // --- What the test does ---

    // Programs (argv[0]) that cannot be started: start() fails with "No such file or
    // directory", as execvp would.
    std::set<std::string, std::less<>> missing_programs;
    // Whether processes started from now on ignore SIGTERM.
    bool ignore_sigterm = false;

    // The process prints `line` (delivered after what is already posted).
    void emit(ProcessId id, std::string line, OutputStream stream = OutputStream::Stdout) {
        Process* process = find(id);
        if (process == nullptr || process->exited) {
            return;
        }
        scheduler_.post([this, id, stream, line = std::move(line)]() mutable {
            if (Process* p = find(id); p != nullptr && p->callbacks.on_line) {
                p->callbacks.on_line(stream, std::move(line));
            }
        });
    }
    // The process exits with `code`.
    void exit(ProcessId id, int code) {
        if (Process* process = find(id); process != nullptr && !process->exited) {
            report_exit(*process, ProcessExit{code, std::nullopt});
        }
    }

    const std::deque<Process>& all() const { return processes_; }
    Process* find(ProcessId id) {
        return id == 0 || id > processes_.size() ? nullptr : &processes_[id - 1];
    }
    // The latest process started with argv[0] == `program`; nullptr when none was.
    Process* latest(std::string_view program) {
        for (auto it = processes_.rbegin(); it != processes_.rend(); ++it) {
            if (!it->spec.argv.empty() && it->spec.argv.front() == program) {
                return &*it;
            }
        }
        return nullptr;
    }
    // Every process started with argv[0] == `program`, oldest first.
    std::vector<Process*> started(std::string_view program) {
        std::vector<Process*> out;
        for (auto& process : processes_) {
            if (!process.spec.argv.empty() && process.spec.argv.front() == program) {
                out.push_back(&process);
            }
        }
        return out;
    }
    // How many processes started with argv[0] == `program` have not exited.
    std::size_t running(std::string_view program) const {
        std::size_t count = 0;
        for (const auto& process : processes_) {
            if (!process.exited && !process.spec.argv.empty() &&
                process.spec.argv.front() == program) {
                ++count;
            }
        }
        return count;
    }

  private:
    void report_exit(Process& process, ProcessExit exit) {
        process.exited = true;
        const ProcessId id = process.id;
        scheduler_.post([this, id, exit] {
            if (Process* p = find(id); p != nullptr && p->callbacks.on_exit) {
                p->callbacks.on_exit(exit);
            }
        });
    }

    Scheduler& scheduler_;
    // Never shrinks, so ids are indexes + 1; a deque, so the pointers tests hold stay valid.
    std::deque<Process> processes_;
};

}  // namespace awsemu::testing
