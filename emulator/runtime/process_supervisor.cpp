#include "emulator/runtime/process_supervisor.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/strand.hpp>

#include "emulator/runtime/scheduler.hpp"

namespace awsemu {

namespace asio = boost::asio;

namespace {

// awslogs splits longer lines into events of at most this size; so do we, so that a process
// writing without newlines cannot make us buffer without bound.
constexpr std::size_t kMaxLineBytes = 256 * 1024;

class FileDescriptor {
  public:
    FileDescriptor() = default;
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept {
        reset(std::exchange(other.fd_, -1));
        return *this;
    }
    ~FileDescriptor() { reset(); }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }
    void reset(int fd = -1) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = fd;
    }

  private:
    int fd_ = -1;
};

struct Pipe {
    FileDescriptor read;
    FileDescriptor write;
};

bool make_pipe(Pipe& pipe, boost::system::error_code& error) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        error.assign(errno, boost::system::system_category());
        return false;
    }
    pipe.read.reset(fds[0]);
    pipe.write.reset(fds[1]);
    return true;
}

std::string_view environment_value(const std::vector<std::string>& environment,
                                   std::string_view name) {
    for (const auto& entry : environment) {
        if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
            entry[name.size()] == '=') {
            return std::string_view(entry).substr(name.size() + 1);
        }
    }
    return {};
}

bool is_executable_file(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

// Where execve finds argv[0]: as given when it names a path (relative ones are resolved by the
// child after its chdir), else the first executable file of that name on the PATH.
std::optional<std::string> resolve_program(const ProcessSpec& spec) {
    const std::string& program = spec.argv.front();
    if (program.find('/') != std::string::npos) {
        return program;
    }
    std::string_view path = environment_value(spec.environment, "PATH");
    const char* own_path = ::getenv("PATH");
    if (path.empty() && own_path != nullptr) {
        path = own_path;
    }
    while (!path.empty()) {
        const auto colon = path.find(':');
        const std::string_view directory = path.substr(0, colon);
        const std::string candidate =
            (directory.empty() ? std::string(".") : std::string(directory)) + "/" + program;
        if (is_executable_file(candidate)) {
            return candidate;
        }
        path = colon == std::string_view::npos ? std::string_view() : path.substr(colon + 1);
    }
    return std::nullopt;
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> pointers;
    pointers.reserve(strings.size() + 1);
    for (const auto& string : strings) {
        pointers.push_back(const_cast<char*>(string.c_str()));
    }
    pointers.push_back(nullptr);
    return pointers;
}

// Runs in the forked child: only async-signal-safe calls until execve. A failure is reported
// to the parent as an errno through `report`, which execve closes on success.
[[noreturn]] void exec_child(const char* program, char* const argv[], char* const envp[],
                             const char* working_directory, pid_t parent, int stdout_fd,
                             int stderr_fd, int report, const ProcessSpec& spec) {
    sigset_t nothing;
    sigemptyset(&nothing);
    ::sigprocmask(SIG_SETMASK, &nothing, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::setpgid(0, 0);
    // Before the death signal is armed: changing credentials clears it.
    if (spec.gid && (::setgroups(0, nullptr) != 0 || ::setgid(*spec.gid) != 0)) {
        const int failure = errno;
        [[maybe_unused]] const auto written = ::write(report, &failure, sizeof failure);
        ::_exit(127);
    }
    if (spec.uid && ::setuid(*spec.uid) != 0) {
        const int failure = errno;
        [[maybe_unused]] const auto written = ::write(report, &failure, sizeof failure);
        ::_exit(127);
    }
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
        ::_exit(127);  // awsemu died before the death signal was armed
    }
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) {
        ::dup2(null_fd, STDIN_FILENO);
    }
    ::dup2(stdout_fd, STDOUT_FILENO);
    ::dup2(stderr_fd, STDERR_FILENO);
    // Descriptors opened elsewhere without O_CLOEXEC (Asio's sockets) must not leak into the
    // child, or it would keep awsemu's listening port after awsemu is gone.
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    int failure = 0;
    if (working_directory[0] != '\0' && ::chdir(working_directory) != 0) {
        failure = errno;
    } else {
        ::execve(program, argv, envp);
        failure = errno;
    }
    [[maybe_unused]] const auto written = ::write(report, &failure, sizeof failure);
    ::_exit(127);
}

}  // namespace

class AsioProcessSupervisor::Impl : public std::enable_shared_from_this<Impl> {
  public:
    Impl(asio::io_context& io, Scheduler& scheduler)
        : strand_(asio::make_strand(io)), scheduler_(scheduler) {}

    ProcessId start(const ProcessSpec& spec, ProcessCallbacks callbacks,
                    boost::system::error_code& error) {
        error.clear();
        if (spec.argv.empty() || spec.argv.front().empty()) {
            error = make_error_code(boost::system::errc::invalid_argument);
            return 0;
        }
        const auto program = resolve_program(spec);
        if (!program) {
            error = make_error_code(boost::system::errc::no_such_file_or_directory);
            return 0;
        }
        Pipe out;
        Pipe err;
        Pipe report;
        if (!make_pipe(out, error) || !make_pipe(err, error) || !make_pipe(report, error)) {
            return 0;
        }
        const auto argv = c_strings(spec.argv);
        const auto envp = c_strings(spec.environment);
        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid < 0) {
            error.assign(errno, boost::system::system_category());
            return 0;
        }
        if (pid == 0) {
            exec_child(program->c_str(), argv.data(), envp.data(), spec.working_directory.c_str(),
                       parent, out.write.get(), err.write.get(), report.write.get(), spec);
        }
        out.write.reset();
        err.write.reset();
        report.write.reset();
        // Returns at once: execve closes the report pipe, or the child writes why it failed.
        int failure = 0;
        ssize_t got = 0;
        do {
            got = ::read(report.read.get(), &failure, sizeof failure);
        } while (got < 0 && errno == EINTR);
        if (got == static_cast<ssize_t>(sizeof failure)) {
            ::waitpid(pid, nullptr, 0);
            error.assign(failure, boost::system::system_category());
            return 0;
        }
        FileDescriptor pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
        if (pidfd.get() < 0) {
            error.assign(errno, boost::system::system_category());
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            return 0;
        }

        auto process = std::make_shared<Process>(strand_);
        process->pid = pid;
        process->shutdown_signal = spec.shutdown_signal;
        process->shutdown_grace = spec.shutdown_grace;
        process->callbacks = std::move(callbacks);
        process->exit_watch.assign(pidfd.release());
        process->streams[0].descriptor.assign(out.read.release());
        process->streams[1].descriptor.assign(err.read.release());
        const ProcessId id = next_id_.fetch_add(1) + 1;
        {
            std::lock_guard lock(mutex_);
            processes_.emplace(id, process);
        }
        asio::post(strand_, [self = shared_from_this(), id, process] {
            self->read_output(id, process, 0);
            self->read_output(id, process, 1);
            self->watch_exit(id, process);
        });
        return id;
    }

    void signal(ProcessId id, int signal_number) {
        std::lock_guard lock(mutex_);
        const auto it = processes_.find(id);
        if (it != processes_.end() && !it->second->exited) {
            ::kill(-it->second->pid, signal_number);
        }
    }

    std::optional<int> os_pid(ProcessId id) const {
        std::lock_guard lock(mutex_);
        const auto it = processes_.find(id);
        if (it == processes_.end() || it->second->exited) {
            return std::nullopt;
        }
        return it->second->pid;
    }

    // After the io_context has stopped: nothing else touches the processes any more.
    void kill_all() {
        std::lock_guard lock(mutex_);
        stop_gracefully();
        for (auto& [id, process] : processes_) {
            if (!process->exited) {
                ::kill(-process->pid, SIGKILL);
                ::waitpid(process->pid, nullptr, 0);
                process->exited = true;
            }
            boost::system::error_code ignored;
            process->exit_watch.close(ignored);
            for (auto& stream : process->streams) {
                stream.descriptor.close(ignored);
            }
        }
        processes_.clear();
    }

  private:
    // Sends each process its shutdown signal and waits, up to the longest grace, for those
    // that have one to exit; whatever is left is then killed by kill_all.
    void stop_gracefully() {
        auto longest = std::chrono::milliseconds(0);
        for (auto& [id, process] : processes_) {
            if (!process->exited && process->shutdown_signal != SIGKILL &&
                process->shutdown_grace.count() > 0) {
                ::kill(-process->pid, process->shutdown_signal);
                longest = std::max(longest, process->shutdown_grace);
            }
        }
        const auto deadline = std::chrono::steady_clock::now() + longest;
        bool waiting = longest.count() > 0;
        while (waiting && std::chrono::steady_clock::now() < deadline) {
            waiting = false;
            for (auto& [id, process] : processes_) {
                if (process->exited || process->shutdown_signal == SIGKILL ||
                    process->shutdown_grace.count() == 0) {
                    continue;
                }
                if (::waitpid(process->pid, nullptr, WNOHANG) == process->pid) {
                    ::kill(-process->pid, SIGKILL);  // whatever it left in its group
                    process->exited = true;
                } else {
                    waiting = true;
                }
            }
            if (waiting) {
                ::usleep(20'000);  // the event loop has stopped: nothing else to do meanwhile
            }
        }
    }

    struct Stream {
        explicit Stream(asio::strand<asio::io_context::executor_type>& strand)
            : descriptor(strand) {}
        asio::posix::stream_descriptor descriptor;
        std::array<char, 16 * 1024> buffer{};
        std::string partial_line;
        bool open = true;
    };

    struct Process {
        explicit Process(asio::strand<asio::io_context::executor_type>& strand)
            : exit_watch(strand), streams{Stream(strand), Stream(strand)} {}
        pid_t pid = 0;
        int shutdown_signal = SIGKILL;
        std::chrono::milliseconds shutdown_grace{0};
        ProcessCallbacks callbacks;
        asio::posix::stream_descriptor exit_watch;  // a pidfd: readable once the process exits
        std::array<Stream, 2> streams;              // stdout, stderr
        bool exited = false;
        ProcessExit exit;
    };

    void read_output(ProcessId id, const std::shared_ptr<Process>& process, int index) {
        Stream& stream = process->streams[static_cast<std::size_t>(index)];
        stream.descriptor.async_read_some(
            asio::buffer(stream.buffer),
            [self = shared_from_this(), id, process, index](const boost::system::error_code& ec,
                                                            std::size_t size) {
                Stream& stream = process->streams[static_cast<std::size_t>(index)];
                const auto kind = index == 0 ? OutputStream::Stdout : OutputStream::Stderr;
                if (ec) {
                    if (!stream.partial_line.empty()) {
                        self->deliver_line(process, kind, std::move(stream.partial_line));
                        stream.partial_line.clear();
                    }
                    stream.open = false;
                    self->finish_if_done(id, process);
                    return;
                }
                self->split_lines(process, kind, stream,
                                  std::string_view(stream.buffer.data(), size));
                self->read_output(id, process, index);
            });
    }

    void split_lines(const std::shared_ptr<Process>& process, OutputStream kind, Stream& stream,
                     std::string_view data) {
        while (!data.empty()) {
            const auto newline = data.find('\n');
            const auto take = std::min(newline == std::string_view::npos ? data.size() : newline,
                                       kMaxLineBytes - stream.partial_line.size());
            stream.partial_line.append(data.substr(0, take));
            data.remove_prefix(take);
            const bool ended = !data.empty() && data.front() == '\n';
            if (ended) {
                data.remove_prefix(1);
            }
            if (ended || stream.partial_line.size() == kMaxLineBytes) {
                deliver_line(process, kind, std::move(stream.partial_line));
                stream.partial_line.clear();
            }
        }
    }

    void deliver_line(const std::shared_ptr<Process>& process, OutputStream kind,
                      std::string line) {
        if (process->callbacks.on_line) {
            scheduler_.post([process, kind, line = std::move(line)]() mutable {
                process->callbacks.on_line(kind, std::move(line));
            });
        }
    }

    void watch_exit(ProcessId id, const std::shared_ptr<Process>& process) {
        process->exit_watch.async_wait(
            asio::posix::stream_descriptor::wait_read,
            [self = shared_from_this(), id, process](const boost::system::error_code& ec) {
                if (ec) {
                    return;  // closed by kill_all
                }
                // The leader is a zombie until reaped, so its group id cannot have been reused:
                // stop whatever else it started, which also closes the output pipes they share.
                // `exited` is set first so that signal() never reaches a reaped group.
                {
                    std::lock_guard lock(self->mutex_);
                    process->exited = true;
                }
                ::kill(-process->pid, SIGKILL);
                int status = 0;
                ::waitpid(process->pid, &status, 0);
                if (WIFEXITED(status)) {
                    process->exit.exit_code = WEXITSTATUS(status);
                } else if (WIFSIGNALED(status)) {
                    process->exit.signal = WTERMSIG(status);
                }
                boost::system::error_code ignored;
                process->exit_watch.close(ignored);
                self->finish_if_done(id, process);
            });
    }

    void finish_if_done(ProcessId id, const std::shared_ptr<Process>& process) {
        if (!process->exited || process->streams[0].open || process->streams[1].open) {
            return;
        }
        {
            std::lock_guard lock(mutex_);
            if (processes_.erase(id) == 0) {
                return;
            }
        }
        if (process->callbacks.on_exit) {
            scheduler_.post([process] { process->callbacks.on_exit(process->exit); });
        }
    }

    asio::strand<asio::io_context::executor_type> strand_;
    Scheduler& scheduler_;
    std::atomic<ProcessId> next_id_{0};
    mutable std::mutex mutex_;
    std::unordered_map<ProcessId, std::shared_ptr<Process>> processes_;
};

AsioProcessSupervisor::AsioProcessSupervisor(asio::io_context& io, Scheduler& scheduler)
    : impl_(std::make_shared<Impl>(io, scheduler)) {}

AsioProcessSupervisor::~AsioProcessSupervisor() {
    impl_->kill_all();
}

ProcessSupervisor::ProcessId AsioProcessSupervisor::start(const ProcessSpec& spec,
                                                          ProcessCallbacks callbacks,
                                                          boost::system::error_code& error) {
    return impl_->start(spec, std::move(callbacks), error);
}

void AsioProcessSupervisor::signal(ProcessId id, int signal_number) {
    impl_->signal(id, signal_number);
}

std::optional<int> AsioProcessSupervisor::os_pid(ProcessId id) const {
    return impl_->os_pid(id);
}

}  // namespace awsemu
