#include "services/rds/instance_runtime.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include <catch2/catch.hpp>

#include "tests/unit/services/rds/rds_test_support.hpp"

#include "emulator/auth/credentials.hpp"
#include "emulator/runtime/manual_scheduler.hpp"
#include "emulator/service_registry.hpp"
#include "services/ec2/ec2_service.hpp"
#include "services/rds/rds_service.hpp"
#include "services/secretsmanager/secretsmanager_service.hpp"
#include "tests/unit/services/ecs/fake_process_supervisor.hpp"

using namespace awsemu;
using nlohmann::json;

namespace {

// Ports that bind nothing: they count the reservations held, by port. The counts outlive the
// fake: reservations live in instances that work still queued on the scheduler holds.
class FakeLocalPorts final : public LocalPorts {
  public:
    using Held = std::map<std::uint16_t, int>;
    class Reservation final : public PortReservation {
      public:
        Reservation(std::shared_ptr<Held> held, std::uint16_t port)
            : held_(std::move(held)), port_(port) {
            ++(*held_)[port_];
        }
        ~Reservation() override { --(*held_)[port_]; }
        std::uint16_t port() const override { return port_; }

      private:
        std::shared_ptr<Held> held_;
        std::uint16_t port_;
    };
    std::unique_ptr<PortReservation> reserve(const std::string&, std::uint16_t port,
                                             boost::system::error_code& error) override {
        error.clear();
        return std::make_unique<Reservation>(counts_, port != 0 ? port : 40000);
    }
    std::uint16_t free_port(const std::string&) override { return next_port++; }
    Held& held() { return *counts_; }
    std::uint16_t next_port = 50000;

  private:
    std::shared_ptr<Held> counts_ = std::make_shared<Held>();
};

// The runtime over a fake supervisor and fake ports, driven step by step: the test says when
// initdb exits and when a server prints that it is ready.
struct RuntimeFixture {
    ManualClock clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    CredentialRegistry credentials{{}, "123456789012"};
    std::string data_dir =
        (std::filesystem::temp_directory_path() / ("awsemu-rds-unit-" + std::to_string(::getpid())))
            .string();
    ServiceEnvironment environment{database,    clock,          scheduler,
                                   credentials, "123456789012", data_dir};
    ServiceRegistry registry;
    testing::FakeProcessSupervisor processes{scheduler};
    FakeLocalPorts ports;
    rds::PostgresInstallation postgres{"/pg/bin", "15.4", std::nullopt, std::nullopt};
    rds::InstanceRuntime runtime{
        {database, clock, scheduler, processes, ports, data_dir, postgres}};
    std::unique_ptr<rds::RdsService> service;
    Scope scope{"123456789012", "us-east-1"};

    RuntimeFixture() {
        ec2::register_service(registry, environment);
        secretsmanager::register_service(registry, environment);
        service = std::make_unique<rds::RdsService>(environment, postgres, &runtime);
    }
    ~RuntimeFixture() {
        std::error_code ignored;
        std::filesystem::remove_all(data_dir, ignored);
    }

    template <class Method>
    json call(Method method, json input) {
        const RequestContext context{scope, "request-id", "", "", "http://localhost", &clock};
        auto transaction = database.transaction();
        auto out = ((*service).*method)(context, Params(std::move(input), ParamErrors{}));
        transaction.commit();
        scheduler.run_ready();
        return out;
    }

    std::string status(const std::string& id) {
        return call(&rds::RdsService::describe_db_instances, {{"DBInstanceIdentifier", id}})
            .at("DBInstances")
            .at(0)
            .at("DBInstanceStatus");
    }
};

}  // namespace

TEST_CASE("RDS instances move creating -> backing-up -> available as the server comes up",
          "[rds][unit]") {
    RuntimeFixture f;
    auto input = rds::testing::instance_input("db1");
    input["DBName"] = "shop";
    input["EngineVersion"] = "14";
    input["Port"] = 5432;
    const auto created = f.call(&rds::RdsService::create_db_instance, input).at("DBInstance");
    // The installed major version is stated; the endpoint's port is awsemu's, not 5432 (which
    // every instance would ask for).
    CHECK(created.at("EngineVersion") == "15.4");
    CHECK(created.at("Endpoint").at("Port") == 40000);
    auto* initdb = f.processes.latest("/pg/bin/initdb");
    REQUIRE(initdb != nullptr);
    CHECK(initdb->spec.argv.at(4) == "app");
    CHECK(f.status("db1") == "creating");

    f.processes.exit(initdb->id, 0);
    f.scheduler.run_ready();
    auto* server = f.processes.latest("/pg/bin/postgres");
    REQUIRE(server != nullptr);
    CHECK(server->spec.shutdown_signal == SIGINT);
    // The server listens on the endpoint's port itself, which stays reserved for the instance.
    CHECK(server->spec.argv.at(4) == "40000");
    CHECK(f.ports.held()[40000] == 1);
    CHECK(f.status("db1") == "creating");

    f.processes.emit(server->id, "LOG:  database system is ready to accept connections");
    f.scheduler.run_ready();
    auto* createdb = f.processes.latest("/pg/bin/createdb");
    REQUIRE(createdb != nullptr);
    CHECK(createdb->env("PGPASSWORD") == "secret123");
    CHECK(createdb->spec.argv.back() == "shop");

    f.processes.exit(createdb->id, 0);
    f.scheduler.run_ready();
    CHECK(f.status("db1") == "backing-up");
    f.scheduler.advance(std::chrono::seconds(2));
    CHECK(f.status("db1") == "available");

    SECTION("Stop signals the server and refuses connections until Start") {
        f.call(&rds::RdsService::stop_db_instance, {{"DBInstanceIdentifier", "db1"}});
        CHECK(f.status("db1") == "stopping");
        CHECK(server->received(SIGINT));
        f.processes.exit(server->id, 0);
        f.scheduler.run_ready();
        CHECK(f.status("db1") == "stopped");
        CHECK(f.ports.held()[40000] == 1);  // kept for the instance while its server is down

        f.call(&rds::RdsService::start_db_instance, {{"DBInstanceIdentifier", "db1"}});
        CHECK(f.status("db1") == "starting");
        auto* again = f.processes.latest("/pg/bin/postgres");
        REQUIRE(again != server);
        CHECK(again->spec.argv.at(4) == "40000");
        f.processes.emit(again->id, "LOG:  database system is ready to accept connections");
        f.scheduler.run_ready();
        CHECK(f.status("db1") == "available");
    }

    SECTION("A server that crashes is started again on its port") {
        f.processes.exit(server->id, 1);
        f.scheduler.run_ready();
        f.scheduler.advance(std::chrono::seconds(1));
        auto* again = f.processes.latest("/pg/bin/postgres");
        REQUIRE(again != server);
        CHECK(again->spec.argv.at(4) == "40000");
    }

    SECTION("Delete stops the server and forgets the instance") {
        f.call(&rds::RdsService::delete_db_instance,
               {{"DBInstanceIdentifier", "db1"}, {"SkipFinalSnapshot", true}});
        f.processes.exit(server->id, 0);
        f.scheduler.run_ready();
        CHECK(f.ports.held()[40000] == 0);
        CHECK_THROWS_AS(
            f.call(&rds::RdsService::describe_db_instances, {{"DBInstanceIdentifier", "db1"}}),
            AwsError);
    }
}

TEST_CASE("RDS an instance whose initdb fails is failed", "[rds][unit]") {
    RuntimeFixture f;
    f.call(&rds::RdsService::create_db_instance, rds::testing::instance_input("bad"));
    auto* initdb = f.processes.latest("/pg/bin/initdb");
    REQUIRE(initdb != nullptr);
    f.processes.emit(initdb->id, "initdb: error: disk full");
    f.processes.exit(initdb->id, 1);
    f.scheduler.run_ready();
    CHECK(f.status("bad") == "failed");
}

namespace {

constexpr const char* kReady = "LOG:  database system is ready to accept connections";

// Lets the latest `program` exit with `code`; answers it.
testing::FakeProcessSupervisor::Process* finish(RuntimeFixture& f, const std::string& program,
                                                int code = 0) {
    auto* process = f.processes.latest(program);
    REQUIRE(process != nullptr);
    f.processes.exit(process->id, code);
    f.scheduler.run_ready();
    return process;
}

struct MultiAzServers {
    testing::FakeProcessSupervisor::Process* primary;
    testing::FakeProcessSupervisor::Process* standby;
    json before;  // the instance as described once its standby is in sync
};

// A Multi-AZ instance "ha", available, its standby streaming and waited for on commit.
MultiAzServers multi_az_in_sync(RuntimeFixture& f) {
    auto input = rds::testing::instance_input("ha");
    input["MultiAZ"] = true;
    input["BackupRetentionPeriod"] = 0;
    f.call(&rds::RdsService::create_db_instance, input);
    finish(f, "/pg/bin/initdb");
    auto* primary = f.processes.latest("/pg/bin/postgres");
    REQUIRE(primary != nullptr);
    f.processes.emit(primary->id, kReady);
    f.scheduler.run_ready();
    REQUIRE(f.status("ha") == "available");
    // The standby: commits stop waiting, pg_basebackup, its server on a private port, streaming.
    finish(f, "/pg/bin/psql");
    finish(f, "/pg/bin/pg_basebackup");
    auto* standby = f.processes.latest("/pg/bin/postgres");
    REQUIRE(standby != primary);
    CHECK(standby->spec.argv.at(4) == "50000");
    f.processes.emit(standby->id, "LOG:  started streaming WAL from primary at 0/3000000");
    f.scheduler.run_ready();
    finish(f, "/pg/bin/psql");  // synchronous_standby_names = '*'
    return {primary, standby,
            f.call(&rds::RdsService::describe_db_instances,
                   {{"DBInstanceIdentifier", "ha"}})["DBInstances"][0]};
}

}  // namespace

TEST_CASE("RDS a Multi-AZ failover restarts the promoted standby on the endpoint port",
          "[rds][unit]") {
    RuntimeFixture f;
    const auto [primary, standby, before] = multi_az_in_sync(f);

    SECTION("forced: the primary is killed") {
        f.call(&rds::RdsService::reboot_db_instance,
               {{"DBInstanceIdentifier", "ha"}, {"ForceFailover", true}});
        CHECK(primary->received(SIGKILL));
    }
    bool zone_lost = false;
    SECTION("the primary's availability zone is lost (the chaos work's entry)") {
        zone_lost = true;
        f.runtime.availability_zone_lost(before["AvailabilityZone"]);
        f.scheduler.run_ready();
        CHECK(primary->received(SIGKILL));
        CHECK_FALSE(standby->received(SIGKILL));
    }
    SECTION("after the primary crashed: its restart does not come back during the failover") {
        f.processes.exit(primary->id, 1);
        f.scheduler.run_ready();
        f.call(&rds::RdsService::reboot_db_instance,
               {{"DBInstanceIdentifier", "ha"}, {"ForceFailover", true}});
        f.scheduler.advance(std::chrono::seconds(5));
    }
    CHECK(f.status("ha") == "rebooting");
    auto* promote = f.processes.latest("/pg/bin/psql");
    REQUIRE(promote != nullptr);
    CHECK(promote->spec.argv.at(4) == "50000");
    CHECK(f.processes.running("/pg/bin/postgres") == 1);
    finish(f, "/pg/bin/psql");

    // Promoted, it logs "ready" again: that is not the end of the failover.
    f.processes.emit(standby->id, kReady);
    f.scheduler.run_ready();
    CHECK(f.status("ha") == "rebooting");
    REQUIRE(standby->received(SIGINT));
    f.processes.exit(standby->id, 0);
    f.scheduler.run_ready();
    auto* moved = f.processes.latest("/pg/bin/postgres");
    REQUIRE(moved != standby);
    CHECK(moved->spec.argv.at(2) == standby->spec.argv.at(2));  // the promoted data directory
    CHECK(moved->spec.argv.at(4) == "40000");
    CHECK(f.ports.held()[40000] == 1);
    f.processes.emit(moved->id, kReady);
    f.scheduler.run_ready();

    const auto after = f.call(&rds::RdsService::describe_db_instances,
                              {{"DBInstanceIdentifier", "ha"}})["DBInstances"][0];
    CHECK(after["DBInstanceStatus"] == "available");
    CHECK(after["AvailabilityZone"] == before["SecondaryAvailabilityZone"]);
    CHECK(after["SecondaryAvailabilityZone"] == before["AvailabilityZone"]);
    CHECK(after["Endpoint"] == before["Endpoint"]);
    auto* rebuild = f.processes.latest("/pg/bin/psql");
    if (zone_lost) {
        // The new standby's zone is the lost one: none is built until it is back.
        CHECK(rebuild == promote);
        f.runtime.availability_zone_restored(before["AvailabilityZone"]);
        f.scheduler.run_ready();
        rebuild = f.processes.latest("/pg/bin/psql");
    }
    // A new standby is being built from the new primary, through the endpoint.
    REQUIRE(rebuild != promote);
    CHECK(rebuild->spec.argv.at(4) == "40000");
}

TEST_CASE("RDS losing the standby's zone kills the standby only", "[rds][unit]") {
    RuntimeFixture f;
    const auto [primary, standby, before] = multi_az_in_sync(f);

    f.runtime.availability_zone_lost(before["SecondaryAvailabilityZone"]);
    f.scheduler.run_ready();
    CHECK(standby->received(SIGKILL));
    CHECK_FALSE(primary->received(SIGKILL));
    CHECK(f.status("ha") == "available");
    // Commits stop waiting for it at once (synchronous_standby_names reset) ...
    finish(f, "/pg/bin/psql");
    // ... and no standby is built into the lost zone, however long it stays lost.
    f.scheduler.advance(std::chrono::seconds(30));
    CHECK(f.processes.started("/pg/bin/pg_basebackup").size() == 1);

    f.runtime.availability_zone_restored(before["SecondaryAvailabilityZone"]);
    f.scheduler.run_ready();
    finish(f, "/pg/bin/psql");  // commits stop waiting while it is built
    CHECK(f.processes.started("/pg/bin/pg_basebackup").size() == 2);
}

TEST_CASE("RDS a single-AZ instance in a lost zone is down until the zone is back", "[rds][unit]") {
    RuntimeFixture f;
    auto input = rds::testing::instance_input("solo");
    input["BackupRetentionPeriod"] = 0;
    f.call(&rds::RdsService::create_db_instance, input);
    finish(f, "/pg/bin/initdb");
    auto* server = f.processes.latest("/pg/bin/postgres");
    f.processes.emit(server->id, kReady);
    f.scheduler.run_ready();
    const std::string zone =
        f.call(&rds::RdsService::describe_db_instances,
               {{"DBInstanceIdentifier", "solo"}})["DBInstances"][0]["AvailabilityZone"];

    f.runtime.availability_zone_lost("us-east-1z");  // another zone: nothing happens
    f.scheduler.run_ready();
    CHECK_FALSE(server->received(SIGKILL));

    f.runtime.availability_zone_lost(zone);
    f.scheduler.run_ready();
    CHECK(server->received(SIGKILL));
    f.scheduler.advance(std::chrono::seconds(30));
    CHECK(f.processes.running("/pg/bin/postgres") == 0);
    CHECK(f.ports.held()[40000] == 1);  // the endpoint refuses connections meanwhile

    f.runtime.availability_zone_restored(zone);
    f.scheduler.run_ready();
    auto* again = f.processes.latest("/pg/bin/postgres");
    REQUIRE(again != server);
    CHECK(again->spec.argv.at(4) == "40000");
    f.processes.emit(again->id, kReady);
    f.scheduler.run_ready();
    CHECK(f.status("solo") == "available");
    const auto events = f.call(&rds::RdsService::describe_events,
                               {{"SourceIdentifier", "solo"}, {"SourceType", "db-instance"}})
                            .at("Events");
    std::vector<std::string> messages;
    for (const auto& event : events) {
        messages.push_back(event.at("Message"));
    }
    CHECK(std::find(messages.begin(), messages.end(),
                    "DB instance is unreachable: its availability zone " + zone +
                        " is unavailable.") != messages.end());
    CHECK(std::find(messages.begin(), messages.end(),
                    "DB instance is reachable again: availability zone " + zone + " is back.") !=
          messages.end());
}

TEST_CASE("RDS after a restart of awsemu an instance is starting until its server is up",
          "[rds][unit]") {
    RuntimeFixture f;
    auto input = rds::testing::instance_input("db1");
    input["BackupRetentionPeriod"] = 0;
    f.call(&rds::RdsService::create_db_instance, input);
    finish(f, "/pg/bin/initdb");
    f.processes.emit(f.processes.latest("/pg/bin/postgres")->id, kReady);
    f.scheduler.run_ready();
    REQUIRE(f.status("db1") == "available");

    // A second runtime on the same state, as awsemu started again.
    testing::FakeProcessSupervisor processes{f.scheduler};
    FakeLocalPorts ports;
    rds::InstanceRuntime again{
        {f.database, f.clock, f.scheduler, processes, ports, f.data_dir, f.postgres}};
    again.recover_all();
    CHECK(f.status("db1") == "starting");
    CHECK(ports.held()[40000] == 1);
    f.scheduler.run_ready();
    auto* server = processes.latest("/pg/bin/postgres");
    REQUIRE(server != nullptr);
    CHECK(server->spec.argv.at(4) == "40000");
    processes.emit(server->id, kReady);
    f.scheduler.run_ready();
    CHECK(f.status("db1") == "available");
}

TEST_CASE("RDS recovery at start leaves an instance created since then alone", "[rds][unit]") {
    RuntimeFixture f;
    f.call(&rds::RdsService::create_db_instance, rds::testing::instance_input("db1"));
    f.scheduler.run_ready();
    REQUIRE(f.processes.started("/pg/bin/initdb").size() == 1);
    // Recovery is posted at start: a request may create an instance before it runs, and the
    // instance must not be provisioned a second time (two initdb in one directory).
    f.runtime.recover_all();
    f.scheduler.run_ready();
    CHECK(f.processes.started("/pg/bin/initdb").size() == 1);
    CHECK(f.status("db1") == "creating");
}
