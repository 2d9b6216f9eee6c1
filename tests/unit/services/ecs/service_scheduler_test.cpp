// The service scheduler (service_scheduler.cpp), driven through CreateService, UpdateService
// and DescribeServices over a fake process supervisor and the manual scheduler.
#include "services/ecs/service_scheduler.hpp"

#include <algorithm>
#include <csignal>
#include <set>

#include <catch2/catch.hpp>

#include "tests/unit/services/ecs/ecs_runtime_fixture.hpp"

using namespace awsemu;
using namespace awsemu::ecs;
using namespace awsemu::ecs::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::size_t count_status(const std::vector<json>& tasks, const std::string& last_status) {
    std::size_t count = 0;
    for (const auto& task : tasks) {
        count += task["lastStatus"] == last_status ? 1 : 0;
    }
    return count;
}

// Exits the first process of `program` that is still running; false when none is.
bool exit_one(FakeProcessSupervisor& processes, std::string_view program, int code) {
    for (auto* process : processes.started(program)) {
        if (!process->exited) {
            processes.exit(process->id, code);
            return true;
        }
    }
    return false;
}

// A service "web" of `desired` web-v1 tasks (with `extra` CreateService members) whose first
// deployment has completed; answers web-v1's task definition ARN.
std::string completed_service(EcsWorld& w, int desired, json extra = json::object()) {
    const auto v1 = w.register_definition("web", {EcsWorld::container("web", "web-v1")});
    w.create_service("web", v1, desired, std::move(extra));
    w.settle();
    w.advance(10s);
    REQUIRE(w.service("web")["deployments"][0]["rolloutState"] == "COMPLETED");
    return v1;
}

// awsvpcConfiguration over the first two of `subnets`: a service in two zones.
json first_two_subnets(const std::vector<ec2::SubnetInfo>& subnets) {
    REQUIRE(subnets.size() >= 2);
    return {{"awsvpcConfiguration", {{"subnets", {subnets[0].subnet_id, subnets[1].subnet_id}}}}};
}

json circuit_breaker(bool rollback) {
    return {{"deploymentConfiguration",
             {{"deploymentCircuitBreaker", {{"enable", true}, {"rollback", rollback}}}}}};
}

// Deploys a revision whose image is not mapped (its tasks fail to start); answers its ARN.
std::string deploy_broken(EcsWorld& w) {
    const auto broken = w.register_definition(
        "web", {{{"name", "web"}, {"image", "example/broken:1"}, {"essential", true}}});
    w.ecs("UpdateService", {{"service", "web"}, {"taskDefinition", broken}});
    w.settle();
    return broken;
}

}  // namespace

TEST_CASE(
    "Unit behaviour: a service starts its desired tasks and completes its deployment "
    "after the settle time",
    "[ecs][unit]") {
    EcsWorld w;
    const auto v1 = w.register_definition("web", {EcsWorld::container("web", "web-v1")});
    const auto created = w.create_service("web", v1, 3);
    CHECK(created["deployments"][0]["rolloutState"] == "IN_PROGRESS");
    CHECK(w.processes.all().empty());

    w.settle();
    CHECK(w.processes.running("web-v1") == 3);
    auto service = w.service("web");
    CHECK(service["runningCount"] == 3);
    CHECK(service["pendingCount"] == 0);
    CHECK(service["deployments"][0]["runningCount"] == 3);
    CHECK(service["deployments"][0]["rolloutState"] == "IN_PROGRESS");
    const auto tasks = w.service_tasks("web");
    REQUIRE(tasks.size() == 3);
    std::set<std::string> zones;
    std::set<std::string> ids;
    for (const auto& task : tasks) {
        CHECK(task["group"] == "service:web");
        CHECK(task["startedBy"] == service["deployments"][0]["id"]);
        zones.insert(task["availabilityZone"].get<std::string>());
        ids.insert(EcsWorld::task_id_of(task));
    }
    CHECK(zones.size() == 3);  // spread across zones
    const auto events = w.events("web");
    REQUIRE(events.size() == 1);
    CHECK(events[0].rfind("(service web) has started 3 tasks: (task ", 0) == 0);
    for (const auto& id : ids) {
        CHECK(events[0].find("(task " + id + ")") != std::string::npos);
    }

    // Not complete before the tasks have run for the settle time.
    w.advance(10s - 1ms);
    CHECK(w.service("web")["deployments"][0]["rolloutState"] == "IN_PROGRESS");
    CHECK(w.events("web").size() == 1);
    w.advance(1ms);
    service = w.service("web");
    CHECK(service["deployments"][0]["rolloutState"] == "COMPLETED");
    const std::string deployment = service["deployments"][0]["id"];
    CHECK(service["deployments"][0]["rolloutStateReason"] ==
          "ECS deployment " + deployment + " completed.");
    CHECK(w.events("web") ==
          std::vector<std::string>{
              events[0], "(service web) (deployment " + deployment + ") deployment completed.",
              "(service web) has reached a steady state."});

    // A steady state is announced once.
    w.advance(5min);
    CHECK(w.events("web").size() == 3);
}

TEST_CASE("Unit behaviour: a service replaces a task that stopped", "[ecs][unit]") {
    EcsWorld w;
    completed_service(w, 2);
    REQUIRE(w.events("web").back() == "(service web) has reached a steady state.");

    // A user stops one: replaced at once.
    const auto victim = w.service_tasks("web")[0];
    w.ecs("StopTask", {{"task", victim["taskArn"]}});
    w.settle();
    CHECK(w.task(victim["taskArn"])["lastStatus"] == "STOPPED");
    CHECK(w.processes.running("web-v1") == 2);
    CHECK(w.processes.started("web-v1").size() == 3);
    CHECK(w.service("web")["runningCount"] == 2);
    auto events = w.events("web");
    CHECK(events[events.size() - 2].rfind("(service web) has started 1 tasks: (task ", 0) == 0);
    CHECK(events.back() == "(service web) has reached a steady state.");

    // One that crashes is replaced too, after the first back-off second.
    REQUIRE(exit_one(w.processes, "web-v1", 1));
    w.settle();
    CHECK(w.processes.running("web-v1") == 1);
    CHECK(w.service("web")["runningCount"] == 1);
    w.advance(1s);
    CHECK(w.processes.running("web-v1") == 2);
    CHECK(w.service("web")["runningCount"] == 2);
    CHECK(w.events("web").back() == "(service web) has reached a steady state.");
}

TEST_CASE("Unit behaviour: a lost zone's tasks stop and are replaced in the zones still up",
          "[ecs][unit]") {
    EcsWorld w;
    completed_service(w, 2);
    const auto zone_of = [](const nlohmann::json& task) {
        return task["availabilityZone"].get<std::string>();
    };
    const auto tasks = w.service_tasks("web");
    REQUIRE(tasks.size() == 2);
    REQUIRE(zone_of(tasks[0]) != zone_of(tasks[1]));  // spread over two zones
    const std::string lost = zone_of(tasks[0]);
    const auto standalone =
        w.run_task(w.register_definition("job", {EcsWorld::container("job", "job")}));

    REQUIRE(w.zones.lose(lost));
    w.settle();
    const auto stopped = w.task(tasks[0]["taskArn"]);
    CHECK(stopped["desiredStatus"] == "STOPPED");
    CHECK(stopped["stopCode"] == "TerminationNotice");
    CHECK(stopped["stoppedReason"] ==
          "Task stopped because availability zone " + lost + " became unavailable");
    CHECK(w.task(tasks[1]["taskArn"])["desiredStatus"] == "RUNNING");
    const auto standalone_now = w.task(standalone["taskArn"]);
    CHECK(standalone_now["desiredStatus"] == (zone_of(standalone) == lost ? "STOPPED" : "RUNNING"));

    // The replacement goes to a zone still up.
    w.advance(1s);
    const auto running = w.service_tasks("web");
    REQUIRE(running.size() == 2);
    CHECK(zone_of(running[0]) != lost);
    CHECK(zone_of(running[1]) != lost);
    CHECK(w.processes.running("web-v1") == 2);

    // Back: new tasks may be placed there again.
    REQUIRE(w.zones.restore(lost));
    w.ecs("UpdateService", {{"service", "web"}, {"desiredCount", 3}});
    w.settle();
    w.advance(1s);
    std::vector<std::string> zones;
    for (const auto& task : w.service_tasks("web")) {
        zones.push_back(zone_of(task));
    }
    CHECK(std::count(zones.begin(), zones.end(), lost) == 1);
}

TEST_CASE(
    "Unit behaviour: once a lost zone is back, AZ rebalancing moves tasks there one at a time, "
    "starting one before stopping one",
    "[ecs][unit]") {
    EcsWorld w;
    const auto subnets = ec2::default_subnets(w.database, w.scope);
    const std::string zone_a = subnets[0].availability_zone;
    const std::string zone_b = subnets[1].availability_zone;
    const json two_zones = first_two_subnets(subnets);
    const auto in_zone = [&](const std::string& zone) {
        std::size_t count = 0;
        for (const auto& task : w.service_tasks("web")) {
            count += task["availabilityZone"] == zone ? 1 : 0;
        }
        return count;
    };
    completed_service(w, 4, {{"networkConfiguration", two_zones}});
    REQUIRE(in_zone(zone_a) == 2);
    REQUIRE(in_zone(zone_b) == 2);

    // Zone a is lost: its two tasks are replaced in zone b. Zone b alone is balanced.
    REQUIRE(w.zones.lose(zone_a));
    w.settle();
    w.advance(1s);
    w.advance(10s);
    CHECK(in_zone(zone_b) == 4);
    CHECK(w.service("web")["deployments"][0]["rolloutState"] == "COMPLETED");
    const std::size_t events_before = w.events("web").size();
    for (const auto& event : w.events("web")) {
        CHECK(event.find("AZ balanced") == std::string::npos);
    }

    // Zone a is back: a task starts there first, and only once it runs does one in zone b stop,
    // a task at a time: never more than 5 tasks (maximumPercent 200 leaves room for one), never
    // fewer than 4 running.
    std::size_t steps = 0;
    w.scheduler.after_each = [&] {
        ++steps;
        const auto tasks = w.service_tasks("web");
        CHECK(tasks.size() <= 5);
        CHECK(count_status(tasks, "RUNNING") >= 4);
    };
    REQUIRE(w.zones.restore(zone_a));
    w.settle();
    w.advance(1min);
    w.scheduler.after_each = nullptr;
    CHECK(steps > 2);
    CHECK(in_zone(zone_a) == 2);
    CHECK(in_zone(zone_b) == 2);
    CHECK(w.service_tasks("web").size() == 4);
    const auto events = w.events("web");
    std::vector<std::string> rebalancing;
    for (auto it = events.begin() + static_cast<std::ptrdiff_t>(events_before); it != events.end();
         ++it) {
        if (it->find("AZ") != std::string::npos) {
            rebalancing.push_back(it->substr(0, it->find("(task ")));
        }
    }
    const std::string started =
        "(service web) has started 1 tasks in " + zone_a + " to AZ Rebalance: ";
    const std::string stopped_one =
        "(service web) has stopped 1 running tasks in " + zone_b + " due to AZ rebalancing: ";
    CHECK(rebalancing == std::vector<std::string>{
                             "(service web) is not AZ balanced with 0 tasks in " + zone_a +
                                 " and 4 tasks in " + zone_b + ". AZ Rebalancing in progress.",
                             started, stopped_one, started, stopped_one,
                             "(service web) is AZ balanced with 2 tasks in " + zone_a +
                                 " and 2 tasks in " + zone_b + "."});
    const auto stopped = w.service_tasks("web", "STOPPED");
    const auto rebalanced = std::count_if(stopped.begin(), stopped.end(), [](const json& task) {
        return task["stoppedReason"] == "AZ Rebalancing initiated by (service web)";
    });
    CHECK(rebalanced == 2);
    CHECK(w.service("web")["runningCount"] == 4);

    // Balanced now: nothing more moves.
    w.advance(1min);
    CHECK(w.service_tasks("web").size() == 4);
}

TEST_CASE("Unit behaviour: a zone back before the deployment completed is rebalanced after it",
          "[ecs][unit]") {
    EcsWorld w;
    const auto subnets = ec2::default_subnets(w.database, w.scope);
    const json two_zones = first_two_subnets(subnets);
    REQUIRE(w.zones.lose(subnets[0].availability_zone));
    const auto v1 = w.register_definition("web", {EcsWorld::container("web", "web-v1")});
    w.create_service("web", v1, 2, {{"networkConfiguration", two_zones}});
    w.settle();
    w.advance(2s);
    REQUIRE(w.zones.restore(subnets[0].availability_zone));
    w.settle();
    CHECK(w.service("web")["deployments"][0]["rolloutState"] == "IN_PROGRESS");
    w.advance(10s);  // the deployment completes; nothing else happens to the service after
    CHECK(w.service("web")["deployments"][0]["rolloutState"] == "COMPLETED");
    std::set<std::string> zones;
    for (const auto& task : w.service_tasks("web")) {
        zones.insert(task["availabilityZone"].get<std::string>());
    }
    CHECK(zones.size() == 2);
    CHECK(w.service_tasks("web").size() == 2);
}

TEST_CASE("Unit behaviour: scaling in stops tasks in the zone with the most first", "[ecs][unit]") {
    EcsWorld w;
    const auto subnets = ec2::default_subnets(w.database, w.scope);
    const json two_zones = first_two_subnets(subnets);
    // Without rebalancing, which would even the zones out afterwards anyway.
    completed_service(
        w, 6, {{"networkConfiguration", two_zones}, {"availabilityZoneRebalancing", "DISABLED"}});
    // Which tasks are newest is chance (task ids are random): several rounds.
    for (const int desired : {4, 2, 6, 2, 6, 2, 6, 4}) {
        w.ecs("UpdateService", {{"service", "web"}, {"desiredCount", desired}});
        w.settle();
        std::map<std::string, int> per_zone;
        for (const auto& task : w.service_tasks("web")) {
            ++per_zone[task["availabilityZone"].get<std::string>()];
        }
        CHECK(per_zone == std::map<std::string, int>{{subnets[0].availability_zone, desired / 2},
                                                     {subnets[1].availability_zone, desired / 2}});
    }
}

TEST_CASE("Unit behaviour: a service with availabilityZoneRebalancing DISABLED stays where it is",
          "[ecs][unit]") {
    EcsWorld w;
    const auto subnets = ec2::default_subnets(w.database, w.scope);
    const json two_zones = first_two_subnets(subnets);
    completed_service(
        w, 2, {{"networkConfiguration", two_zones}, {"availabilityZoneRebalancing", "DISABLED"}});
    REQUIRE(w.zones.lose(subnets[0].availability_zone));
    w.settle();
    w.advance(11s);
    REQUIRE(w.zones.restore(subnets[0].availability_zone));
    w.settle();
    w.advance(1min);
    for (const auto& task : w.service_tasks("web")) {
        CHECK(task["availabilityZone"] == subnets[1].availability_zone);
    }
    for (const auto& event : w.events("web")) {
        CHECK(event.find("AZ") == std::string::npos);
    }
}

TEST_CASE("Unit behaviour: a service whose zones are all down places its tasks when one is back",
          "[ecs][unit]") {
    EcsWorld w;
    for (const auto& subnet : ec2::default_subnets(w.database, w.scope)) {
        w.zones.lose(subnet.availability_zone);
    }
    completed_service(w, 0);
    w.ecs("UpdateService", {{"service", "web"}, {"desiredCount", 2}});
    w.settle();
    w.advance(5s);
    CHECK(w.service("web")["runningCount"] == 0);
    REQUIRE(w.zones.restore("us-east-1b"));
    w.settle();
    w.advance(1s);
    const auto running = w.service_tasks("web");
    REQUIRE(running.size() == 2);
    CHECK(running[0]["availabilityZone"] == "us-east-1b");
    CHECK(running[1]["availabilityZone"] == "us-east-1b");
}

namespace {

struct RolloutBounds {
    std::size_t max_active = 0;      // tasks with desiredStatus RUNNING
    std::size_t min_running = 1000;  // of those, lastStatus RUNNING
};

// Rolls a 4-task service from web-v1 to web-v2 with the given percentages, checking after every
// piece of work the scheduler runs that the service stays within them; answers the extremes.
RolloutBounds roll_out(int minimum_healthy_percent, int maximum_percent) {
    EcsWorld w;
    completed_service(w, 4,
                      {{"deploymentConfiguration",
                        {{"minimumHealthyPercent", minimum_healthy_percent},
                         {"maximumPercent", maximum_percent}}}});

    // Old tasks keep running after SIGTERM until the test ends them.
    w.processes.ignore_sigterm = true;
    for (auto* process : w.processes.started("web-v1")) {
        process->ignores_sigterm = true;
    }
    const auto v2 = w.register_definition("web", {EcsWorld::container("web", "web-v2")});
    const std::size_t most = static_cast<std::size_t>(4 * maximum_percent / 100);
    const std::size_t least = static_cast<std::size_t>((4 * minimum_healthy_percent + 99) / 100);

    RolloutBounds bounds;
    std::size_t steps = 0;
    w.scheduler.after_each = [&] {
        ++steps;
        const auto tasks = w.service_tasks("web");  // desiredStatus RUNNING
        const std::size_t running = count_status(tasks, "RUNNING");
        CHECK(tasks.size() <= most);
        CHECK(running >= least);
        bounds.max_active = std::max(bounds.max_active, tasks.size());
        bounds.min_running = std::min(bounds.min_running, running);
    };
    const auto updated = w.ecs("UpdateService", {{"service", "web"}, {"taskDefinition", v2}});
    CHECK(updated["service"]["deployments"].size() == 2);
    CHECK(updated["service"]["taskDefinition"] == v2);

    bool completed = false;
    for (int round = 0; round < 60 && !completed; ++round) {
        w.settle();
        completed = w.service("web")["deployments"][0]["rolloutState"] == "COMPLETED";
        // Old tasks told to stop end one by one; otherwise time passes.
        bool ended = false;
        for (auto* process : w.processes.started("web-v1")) {
            if (!process->exited && process->received(SIGTERM)) {
                w.processes.exit(process->id, 0);
                ended = true;
                break;
            }
        }
        if (!ended && !completed) {
            w.advance(1s);
        }
    }
    // Old tasks still stopping end now.
    for (auto* process : w.processes.started("web-v1")) {
        if (!process->exited) {
            w.processes.exit(process->id, 0);
        }
    }
    w.settle();
    w.scheduler.after_each = nullptr;
    CHECK(completed);
    CHECK(steps > 10);

    const auto service = w.service("web");
    CHECK(service["deployments"].size() == 1);
    CHECK(service["deployments"][0]["taskDefinition"] == v2);
    CHECK(service["runningCount"] == 4);
    CHECK(w.processes.running("web-v1") == 0);
    CHECK(w.processes.running("web-v2") == 4);
    CHECK(w.processes.started("web-v2").size() == 4);
    for (const auto& task : w.service_tasks("web")) {
        CHECK(task["taskDefinitionArn"] == v2);
    }
    // The stopped old tasks did not count as failures.
    CHECK(service["deployments"][0]["failedTasks"] == 0);
    const auto stopped = w.service_tasks("web", "STOPPED");
    CHECK(stopped.size() == 4);
    for (const auto& task : stopped) {
        CHECK(task["stopCode"] == "ServiceSchedulerInitiated");
        CHECK(task["stoppedReason"] == "Scaling activity initiated by (deployment " +
                                           service["deployments"][0]["id"].get<std::string>() +
                                           ")");
    }
    return bounds;
}

}  // namespace

TEST_CASE(
    "Unit behaviour: a rolling deployment stays within maximumPercent and "
    "minimumHealthyPercent at every step",
    "[ecs][unit]") {
    SECTION("minimumHealthyPercent 50, maximumPercent 150") {
        const auto bounds = roll_out(50, 150);
        CHECK(bounds.min_running == 2);  // it went down to 50%, no further
        CHECK(bounds.max_active <= 6);
    }
    SECTION("minimumHealthyPercent 100, maximumPercent 150") {
        const auto bounds = roll_out(100, 150);
        CHECK(bounds.min_running == 4);
        CHECK(bounds.max_active == 6);  // it used the room maximumPercent gives, no more
    }
    SECTION("minimumHealthyPercent 0, maximumPercent 100") {
        const auto bounds = roll_out(0, 100);
        CHECK(bounds.max_active == 4);
        CHECK(bounds.min_running == 0);
    }
}

TEST_CASE("Unit behaviour: the circuit breaker trips at half the desired count and rolls back",
          "[ecs][unit]") {
    EcsWorld w;
    const auto v1 = completed_service(w, 8, circuit_breaker(true));
    const std::string first_deployment = w.service("web")["deployments"][0]["id"];

    const auto v2 = w.register_definition("web", {EcsWorld::container("web", "web-v2")});
    w.ecs("UpdateService", {{"service", "web"}, {"taskDefinition", v2}});
    w.settle();
    REQUIRE(w.processes.running("web-v2") == 8);
    const std::string failing = w.service("web")["deployments"][0]["id"];
    CHECK(failing != first_deployment);

    // ceil(8 / 2) = 4 failures trip it, not 3.
    for (int failure = 1; failure <= 3; ++failure) {
        REQUIRE(exit_one(w.processes, "web-v2", 1));
        w.settle();
        const auto service = w.service("web");
        CHECK(service["deployments"][0]["id"] == failing);
        CHECK(service["deployments"][0]["failedTasks"] == failure);
        CHECK(service["deployments"][0]["rolloutState"] == "IN_PROGRESS");
    }
    REQUIRE(exit_one(w.processes, "web-v2", 1));
    w.settle();
    auto service = w.service("web");
    REQUIRE(service["deployments"].size() >= 2);
    const std::string rollback = service["deployments"][0]["id"];
    CHECK(rollback != failing);
    CHECK(service["taskDefinition"] == v1);
    CHECK(service["deployments"][0]["taskDefinition"] == v1);
    CHECK(service["deployments"][0]["status"] == "PRIMARY");
    CHECK(service["deployments"][1]["id"] == failing);
    CHECK(service["deployments"][1]["rolloutState"] == "FAILED");
    CHECK(service["deployments"][1]["rolloutStateReason"] ==
          "ECS deployment circuit breaker: tasks failed to start.");
    CHECK(service["deployments"][1]["failedTasks"] == 4);
    const auto events = w.events("web");
    const auto failed_at = std::find(
        events.begin(), events.end(),
        "(service web) (deployment " + failing + ") deployment failed: tasks failed to start.");
    REQUIRE(failed_at != events.end());
    REQUIRE(failed_at + 1 != events.end());
    CHECK(*(failed_at + 1) == "(service web) rolling back to deployment " + rollback + ".");

    // The rollback runs the previous definition again and completes.
    CHECK(w.processes.running("web-v1") == 8);
    CHECK(w.processes.running("web-v2") == 0);
    w.advance(10s);
    service = w.service("web");
    CHECK(service["deployments"].size() == 1);
    CHECK(service["deployments"][0]["id"] == rollback);
    CHECK(service["deployments"][0]["rolloutState"] == "COMPLETED");
    CHECK(service["runningCount"] == 8);
    for (const auto& task : w.service_tasks("web")) {
        CHECK(task["taskDefinitionArn"] == v1);
    }
}

TEST_CASE("Unit behaviour: the circuit breaker needs at least three failures", "[ecs][unit]") {
    EcsWorld w;
    const auto v1 = completed_service(w, 2, circuit_breaker(true));
    deploy_broken(w);
    auto service = w.service("web");
    CHECK(service["deployments"][0]["failedTasks"] == 2);
    CHECK(service["deployments"][0]["rolloutState"] == "IN_PROGRESS");
    CHECK(w.processes.running("web-v1") == 2);  // the old tasks keep serving

    // The third failure comes after the back-off (2 s after the second).
    w.advance(2s - 1ms);
    CHECK(w.service("web")["deployments"][0]["failedTasks"] == 2);
    w.advance(1ms);
    service = w.service("web");
    REQUIRE(service["deployments"].size() >= 2);
    CHECK(service["deployments"][1]["rolloutState"] == "FAILED");
    CHECK(service["deployments"][1]["failedTasks"] >= 3);
    CHECK(service["deployments"][0]["taskDefinition"] == v1);
    CHECK(service["taskDefinition"] == v1);
    w.advance(10s);
    CHECK(w.service("web")["deployments"][0]["rolloutState"] == "COMPLETED");
    CHECK(w.processes.running("web-v1") == 2);
}

TEST_CASE(
    "Unit behaviour: a tripped circuit breaker without rollback leaves the old tasks "
    "serving and launches nothing more",
    "[ecs][unit]") {
    EcsWorld w;
    const auto v1 = completed_service(w, 2, circuit_breaker(false));
    const auto broken = deploy_broken(w);
    w.advance(2s);  // the second pair fails: the breaker trips
    auto service = w.service("web");
    REQUIRE(service["deployments"].size() == 2);
    CHECK(service["deployments"][0]["rolloutState"] == "FAILED");
    CHECK(service["deployments"][0]["taskDefinition"] == broken);
    const auto failed_tasks = service["deployments"][0]["failedTasks"].get<int>();
    CHECK(failed_tasks == 4);

    // Time passes: no more launches, and the scheduler goes quiet.
    w.advance(10min);
    service = w.service("web");
    CHECK(service["deployments"][0]["failedTasks"] == failed_tasks);
    CHECK(w.service_tasks("web", "STOPPED").size() == 4);
    CHECK(w.processes.running("web-v1") == 2);
    CHECK(w.processes.started("web-v1").size() == 2);
    CHECK(w.scheduler.pending_timers() < 10);
}

TEST_CASE("Unit behaviour: relaunches of a failing service back off 1, 2, 4 seconds",
          "[ecs][unit]") {
    EcsWorld w;
    const auto v1 = w.register_definition("web", {EcsWorld::container("web", "crashes")});
    w.create_service("web", v1, 1);
    w.settle();
    REQUIRE(w.processes.started("crashes").size() == 1);

    std::size_t launched = 1;
    for (const auto delay : {1s, 2s, 4s, 8s}) {
        REQUIRE(exit_one(w.processes, "crashes", 1));
        w.settle();
        CHECK(w.processes.running("crashes") == 0);
        w.advance(delay - 1ms);
        CHECK(w.processes.started("crashes").size() == launched);
        w.advance(1ms);
        CHECK(w.processes.started("crashes").size() == ++launched);
    }
    // Without a circuit breaker the deployment keeps trying.
    CHECK(w.service("web")["deployments"][0]["rolloutState"] == "IN_PROGRESS");
    CHECK(w.service("web")["deployments"][0]["failedTasks"] == 4);
}

TEST_CASE("Unit behaviour: a task that fails its health checks is replaced", "[ecs][unit]") {
    EcsWorld w;
    const auto v1 = w.register_definition(
        "web",
        {EcsWorld::container(
            "web", "web-v1",
            {{"healthCheck", {{"command", {"CMD", "probe"}}, {"interval", 5}, {"retries", 1}}}})});
    w.create_service("web", v1, 1);
    w.settle();
    const auto first = w.service_tasks("web")[0];
    w.advance(5s);
    w.processes.exit(w.processes.latest("probe")->id, 1);
    w.settle();
    const auto stopped = w.task(first["taskArn"]);
    CHECK(stopped["lastStatus"] == "STOPPED");
    CHECK(stopped["stopCode"] == "ServiceSchedulerInitiated");
    CHECK(stopped["stoppedReason"] == "Task failed container health checks");
    const auto events = w.events("web");
    const auto at = std::find(
        events.begin(), events.end(),
        "(service web) has stopped 1 running tasks: (task " + EcsWorld::task_id_of(first) + ").");
    REQUIRE(at != events.end());
    REQUIRE(at + 1 != events.end());
    CHECK((at + 1)->rfind("(service web) has started 1 tasks: (task ", 0) == 0);
    CHECK(w.processes.running("web-v1") == 1);
    CHECK(w.processes.started("web-v1").size() == 2);
    // It counts as a failure of the deployment.
    CHECK(w.service("web")["deployments"][0]["failedTasks"] == 1);
}

TEST_CASE(
    "Unit behaviour: a rolling deployment counts a task whose containers have health checks "
    "toward minimumHealthyPercent only once it is HEALTHY",
    "[ecs][unit]") {
    EcsWorld w;
    const json check = {
        {"healthCheck", {{"command", {"CMD", "probe"}}, {"interval", 5}, {"retries", 1}}}};
    // Time passes a second at a time, every health check run meanwhile passing.
    const auto advance_healthy = [&](int seconds) {
        for (int i = 0; i < seconds; ++i) {
            w.advance(1s);
            while (exit_one(w.processes, "probe", 0)) {
            }
            w.settle();
        }
    };
    const auto v1 = w.register_definition("web", {EcsWorld::container("web", "web-v1", check)});
    w.create_service(
        "web", v1, 2,
        {{"deploymentConfiguration", {{"minimumHealthyPercent", 100}, {"maximumPercent", 200}}}});
    w.settle();
    advance_healthy(15);
    REQUIRE(w.service("web")["deployments"][0]["rolloutState"] == "COMPLETED");

    const auto v2 = w.register_definition("web", {EcsWorld::container("web", "web-v2", check)});
    w.ecs("UpdateService", {{"service", "web"}, {"taskDefinition", v2}});
    w.settle();
    const auto told_to_stop = [&] {
        std::size_t count = 0;
        for (auto* process : w.processes.started("web-v1")) {
            count += process->received(SIGTERM) ? 1 : 0;
        }
        return count;
    };
    // The new tasks run, but their health is still UNKNOWN: the old ones keep serving.
    CHECK(w.processes.running("web-v2") == 2);
    CHECK(count_status(w.service_tasks("web"), "RUNNING") == 4);
    CHECK(told_to_stop() == 0);
    advance_healthy(4);
    CHECK(told_to_stop() == 0);
    for (const auto& task : w.service_tasks("web")) {
        CHECK(task["healthStatus"] == (task["taskDefinitionArn"] == v1 ? "HEALTHY" : "UNKNOWN"));
    }

    // Their first health checks pass: now the old tasks stop.
    advance_healthy(1);
    CHECK(told_to_stop() == 2);
    for (const auto& task : w.service_tasks("web")) {
        CHECK(task["taskDefinitionArn"] == v2);
        CHECK(task["healthStatus"] == "HEALTHY");
    }
}

TEST_CASE("Unit behaviour: deleting a service drains its tasks and makes it INACTIVE",
          "[ecs][unit]") {
    EcsWorld w;
    const auto v1 = w.register_definition("web", {EcsWorld::container("web", "web-v1")});
    w.create_service("web", v1, 2);
    w.settle();
    const auto refused = w.ecs_error("DeleteService", {{"service", "web"}});
    CHECK(refused.code == "InvalidParameterException");
    CHECK(refused.status == 400);
    CHECK(w.ecs("DeleteService", {{"service", "web"}, {"force", true}})["service"]["status"] ==
          "DRAINING");
    w.settle();
    CHECK(w.processes.running("web-v1") == 0);
    CHECK(w.service("web")["status"] == "INACTIVE");
}

TEST_CASE("Unit behaviour: a service replaces a task stopped before it came up", "[ecs][unit]") {
    EcsWorld w;
    const auto v1 = w.register_definition("web", {EcsWorld::container("web", "web-v1")});
    w.create_service("web", v1, 1);
    // A StopTask that lands between the scheduler's launch and the task's bring-up.
    std::string stopped_arn;
    w.scheduler.after_each = [&] {
        if (!stopped_arn.empty()) {
            return;
        }
        for (const auto& task : w.service_tasks("web")) {
            if (task["lastStatus"] == "PROVISIONING") {
                stopped_arn = task["taskArn"];
                CHECK(w.ecs("StopTask", {{"task", stopped_arn}})["task"]["lastStatus"] ==
                      "STOPPED");
                return;
            }
        }
    };
    w.settle();
    w.scheduler.after_each = nullptr;
    REQUIRE(!stopped_arn.empty());
    CHECK(w.task(stopped_arn)["lastStatus"] == "STOPPED");
    CHECK(w.processes.running("web-v1") == 1);
    CHECK(w.service("web")["runningCount"] == 1);
    CHECK(w.service_tasks("web").size() == 1);
}

TEST_CASE("Unit behaviour: availabilityZoneRebalancing is ENABLED on create and kept on update",
          "[ecs][unit]") {
    EcsWorld w;
    const auto v1 = w.register_definition("web", {EcsWorld::container("web", "web-v1")});
    CHECK(w.create_service("web", v1, 1)["availabilityZoneRebalancing"] == "ENABLED");
    const auto updated =
        w.ecs("UpdateService", {{"service", "web"}, {"desiredCount", 2}})["service"];
    CHECK(updated["availabilityZoneRebalancing"] == "ENABLED");
    const auto disabled =
        w.ecs("UpdateService", {{"service", "web"}, {"availabilityZoneRebalancing", "DISABLED"}});
    CHECK(disabled["service"]["availabilityZoneRebalancing"] == "DISABLED");
    CHECK(w.service("web")["availabilityZoneRebalancing"] == "DISABLED");
    const auto bad =
        w.ecs_error("UpdateService", {{"service", "web"}, {"availabilityZoneRebalancing", "ON"}});
    CHECK(bad.code == "InvalidParameterException");
}
