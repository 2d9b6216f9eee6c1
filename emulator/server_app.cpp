#include "emulator/server_app.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <stdlib.h>
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "emulator/admin/admin_api.hpp"
#include "emulator/auth/authenticator.hpp"
#include "emulator/chaos/zone_outages.hpp"
#include "emulator/dispatcher.hpp"
#include "emulator/http/http_client.hpp"
#include "emulator/http/http_server.hpp"
#include "emulator/http/reverse_proxy.hpp"
#include "emulator/runtime/asio_scheduler.hpp"
#include "emulator/runtime/local_ports.hpp"
#include "emulator/runtime/process_supervisor.hpp"
#include "emulator/scenario/scenario_run.hpp"
#include "emulator/stack/json_path.hpp"
#include "emulator/stack/stack_runner.hpp"
#include "emulator/stack/stack_template.hpp"
#include "emulator/store/database.hpp"
#include "emulator/store/group_commit.hpp"

namespace awsemu {
namespace {

// How long a request's log line may wait in the buffer: short enough for people watching.
constexpr auto kLogFlushInterval = std::chrono::milliseconds(100);

std::string database_path(const ServerOptions& options) {
    return options.in_memory ? ":memory:" : options.state_dir + "/state.db";
}

// Where services keep payload files; a temporary directory, removed at exit, with --in-memory.
// A server holds a descriptor per connection, per proxied connection and per file it streams
// (a multipart object's download holds one per part, up to 10,000): the soft limit, often
// 1024, is raised to the hard one, as nginx and PostgreSQL do.
void raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

class DataDirectory {
  public:
    explicit DataDirectory(const ServerOptions& options) {
        if (options.in_memory) {
            std::string pattern =
                (std::filesystem::temp_directory_path() / "awsemu-data-XXXXXX").string();
            if (::mkdtemp(pattern.data()) == nullptr) {
                throw std::runtime_error("cannot create a temporary directory under " +
                                         std::filesystem::temp_directory_path().string());
            }
            path_ = pattern;
            temporary_ = true;
        } else {
            path_ = options.state_dir + "/data";
            std::filesystem::create_directories(path_);
        }
    }
    ~DataDirectory() {
        if (temporary_) {
            std::error_code ignored;
            std::filesystem::remove_all(path_, ignored);
        }
    }
    DataDirectory(const DataDirectory&) = delete;
    DataDirectory& operator=(const DataDirectory&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    bool temporary_ = false;
};

std::string elapsed_ms(std::chrono::steady_clock::time_point since) {
    char text[32];
    std::snprintf(
        text, sizeof text, "%.1f ms",
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since)
            .count());
    return text;
}

// The host a local process connects to for a listening address: a wildcard address means any
// interface, of which loopback is one.
std::string local_host(const std::string& listen_host) {
    if (listen_host.empty() || listen_host == "0.0.0.0") {
        return "127.0.0.1";
    }
    if (listen_host == "::") {
        return "[::1]";
    }
    return listen_host.find(':') != std::string::npos ? "[" + listen_host + "]" : listen_host;
}

void write_port_file(const std::string& path, std::uint16_t port) {
    // Written whole under a temporary name, so a reader never sees half a number.
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary);
        out << port << "\n";
        if (!out) {
            throw std::runtime_error("cannot write --port-file " + path);
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        throw std::runtime_error("cannot write --port-file " + path);
    }
}

// Brings up the stack once the server listens; a failure stops the server (exit status 1).
class StackBringUp {
  public:
    StackBringUp(const ServerOptions& options, const ServiceRegistry& registry,
                 GroupCommit& commits, const Clock& clock, Scheduler& scheduler, Database& database,
                 const AdminApi& admin, const std::string& local_endpoint, Logger& logger)
        : stack_(stack::load_stack(options.stack_file)),
          caller_(registry, commits, clock, Scope{options.account_id, stack_.region},
                  [&local_endpoint] { return local_endpoint; }),
          store_(database),
          runner_(std::make_shared<stack::StackRunner>(
              stack_, caller_, scheduler, clock, store_, commits,
              stack::StackRunner::Facts{options.account_id,
                                        [&local_endpoint] { return local_endpoint; },
                                        [&admin] { return admin.status_document(); }},
              [&logger](const std::string& line) { logger.info(line); })),
          logger_(logger) {}

    // `done` hears whether every step succeeded; a failure has been reported.
    void start(std::function<void(bool ok)> done) {
        runner_->start([this, done = std::move(done)](const std::optional<std::string>& failure) {
            if (failure) {
                logger_.error("stack " + stack_.name + " failed: " + *failure);
                logger_.error(
                    "stopping: fix what the step says (a changed stack file needs an empty "
                    "--state-dir), or run `awsemu up --no-stack` for the server alone");
                done(false);
                return;
            }
            for (const auto& [name, value] : runner_->outputs()) {
                logger_.info("  " + name + ": " + value);
            }
            done(true);
        });
    }

    // A value of the scenario's that refers to the stack's results (its load's URL).
    std::string expand_text(const nlohmann::json& value) {
        return stack::as_text(runner_->expand(value));
    }

  private:
    stack::StackDefinition stack_;
    stack::OperationCaller caller_;
    stack::StackStore store_;
    std::shared_ptr<stack::StackRunner> runner_;
    Logger& logger_;
};

}  // namespace

int run_server(const ServerOptions& options, const ServiceRegistration& register_all,
               bool announce_progress) {
    const auto started = std::chrono::steady_clock::now();
    Logger logger(options.log_format, stdout);
    const auto progress = [&](const std::string& message) {
        if (announce_progress) {
            logger.info(message);
        }
    };
    progress(std::string("starting awsemu ") + AWSEMU_VERSION +
             " (state: " + (options.in_memory ? "in memory" : database_path(options)) + ")");

    raise_open_file_limit();
    Database database(database_path(options),
                      options.fsync ? Durability::PowerLoss : Durability::ProcessCrash);
    const DataDirectory data_directory(options);
    // One thread runs the event loop: services, the store and the scheduler are not locked.
    boost::asio::io_context io(1);
    const ScaledSystemClock clock(options.time_scale);
    AsioScheduler scheduler(io, clock);
    const ScaledSystemClock wall_clock(1.0);
    CredentialRegistry credentials(options.credentials, options.account_id);
    ServiceRegistry registry;
    AsioHttpClient http_client(io);
    ServiceEnvironment environment{
        database, clock, scheduler, credentials, options.account_id, data_directory.path()};
    environment.http_client = &http_client;
    AsioProcessSupervisor processes(io, scheduler);
    environment.processes = &processes;
    AsioReverseProxies proxies(io);
    environment.proxies = &proxies;
    SystemLocalPorts local_ports;
    environment.local_ports = &local_ports;
    std::string local_endpoint;
    environment.local_endpoint = [&local_endpoint] { return local_endpoint; };
    environment.image_map_path = options.image_map;
    ZoneOutages zones;
    environment.zones = &zones;
    register_all(registry, environment);
    std::string service_names;
    for (const auto& service : registry.all()) {
        service_names += (service_names.empty() ? "" : ", ") + service->name;
    }
    progress("services: " + service_names);

    Authenticator authenticator(options.auth, credentials, clock, wall_clock);
    ApiFaults faults;
    AdminApi admin(registry, database, authenticator, zones, faults);
    GroupCommit commits(database, scheduler, /*enabled=*/true);
    Dispatcher dispatcher(registry, authenticator, commits, clock, scheduler, admin, faults,
                          logger);

    HttpServer server(io,
                      {options.host, options.port, options.max_body_size, std::chrono::seconds(60)},
                      dispatcher);
    commits.wait_for_arrivals([&server] { return server.bodies_being_hashed(); });
    boost::asio::steady_timer log_flush(io);
    std::function<void()> schedule_log_flush = [&] {
        log_flush.expires_after(kLogFlushInterval);
        log_flush.async_wait([&](const boost::system::error_code& ec) {
            if (!ec) {
                logger.flush();
                schedule_log_flush();
            }
        });
    };
    schedule_log_flush();

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    const auto stop = [&] {
        server.stop();
        log_flush.cancel();
        signals.cancel();
        io.stop();
    };
    int exit_status = 0;
    bool scenario_judged = false;
    const auto stop_asked = [&](const std::string& by) {
        logger.info("stopping (" + by + ")");
        if (!options.scenario_file.empty() && !scenario_judged) {
            exit_status = 1;  // a scenario cut short did not hold
        }
        stop();
    };
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (!ec) {
            stop_asked(signal == SIGINT ? "SIGINT" : "SIGTERM");
        }
    });
    boost::asio::steady_timer shutdown_delay(io);
    admin.on_shutdown = [&] {
        // A moment for the 202 to reach `awsemu down` before the connections close.
        shutdown_delay.expires_after(std::chrono::milliseconds(100));
        shutdown_delay.async_wait([&](const boost::system::error_code& ec) {
            if (!ec) {
                stop_asked("awsemu down");
            }
        });
    };
    std::optional<scenario::ScenarioDefinition> scenario_definition;
    ServerOptions stack_options = options;
    if (!options.scenario_file.empty()) {
        scenario_definition = scenario::load_scenario(options.scenario_file);
        stack_options.stack_file = scenario_definition->stack_file;
    }
    std::optional<StackBringUp> bring_up;
    if (!stack_options.stack_file.empty()) {
        bring_up.emplace(stack_options, registry, commits, clock, scheduler, database, admin,
                         local_endpoint, logger);
    }
    std::shared_ptr<scenario::ScenarioRun> scenario_run;

    // Announced only once signals are handled, so whoever waits for it may stop us at once.
    const std::uint16_t port = server.start();
    local_endpoint = "http://" + local_host(options.host) + ":" + std::to_string(port);
    if (!options.port_file.empty()) {
        write_port_file(options.port_file, port);
    }
    logger.info("awsemu ready on http://" + options.host + ":" + std::to_string(port) + " in " +
                elapsed_ms(started) + (options.auth == AuthMode::Strict ? " (auth: strict)" : ""));

    const auto run_scenario = [&] {
        try {
            scenario_run = std::make_shared<scenario::ScenarioRun>(
                *scenario_definition, bring_up->expand_text(scenario_definition->url), http_client,
                scheduler, clock, zones, faults,
                [&logger](const std::string& line) { logger.info(line); });
        } catch (const std::exception& error) {
            logger.error("scenario " + scenario_definition->name +
                         ": its load's url: " + error.what());
            exit_status = 1;
            stop();
            return;
        }
        scenario_run->start([&](bool held) {
            exit_status = held ? 0 : 1;
            scenario_judged = true;
            stop();
        });
    };
    if (bring_up) {
        // Queued behind what services posted while registering (RDS and ECS recovering what
        // they ran), so that the stack's waits see the state after a restart, not before it.
        scheduler.post([&] {
            bring_up->start([&](bool ok) {
                if (!ok) {
                    exit_status = 1;
                    stop();
                } else if (scenario_definition) {
                    run_scenario();
                }
            });
        });
    }

    io.run();
    logger.info("stopped");
    return exit_status;
}

}  // namespace awsemu
