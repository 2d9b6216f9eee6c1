// The process runtime of ECS tasks (task_runtime.cpp, ecs_tasks.cpp), driven through RunTask,
// StopTask and DescribeTasks over a fake process supervisor and the manual scheduler.
#include "services/ecs/task_runtime.hpp"

#include <csignal>

#include <catch2/catch.hpp>

#include "services/secretsmanager/secretsmanager_api.hpp"
#include "tests/unit/services/ecs/ecs_runtime_fixture.hpp"

using namespace awsemu;
using namespace awsemu::ecs;
using namespace awsemu::ecs::testing;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE(
    "Unit behaviour: a task runs once its essential containers started and stops when "
    "the essential one exits",
    "[ecs][unit]") {
    EcsWorld w;
    const auto definition = w.register_definition(
        "web", {EcsWorld::container("web", "web-server", {{"command", {"--port", "80"}}}),
                EcsWorld::container("sidecar", "sidecar", {{"essential", false}})});
    const auto started = w.run_task(definition);
    CHECK(started["lastStatus"] == "PROVISIONING");
    CHECK(w.processes.all().empty());  // nothing runs before the request is done

    w.settle();
    REQUIRE(w.processes.all().size() == 2);
    auto* web = w.processes.latest("web-server");
    auto* sidecar = w.processes.latest("sidecar");
    REQUIRE(web != nullptr);
    REQUIRE(sidecar != nullptr);
    CHECK(web->spec.argv == std::vector<std::string>{"web-server", "--port", "80"});
    auto task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "RUNNING");
    CHECK(task["desiredStatus"] == "RUNNING");
    CHECK(task["startedAt"] == json(static_cast<double>(w.now_ms()) / 1000.0));
    CHECK(EcsWorld::container_of(task, "web")["lastStatus"] == "RUNNING");
    CHECK(EcsWorld::container_of(task, "sidecar")["lastStatus"] == "RUNNING");

    // A non-essential container that ends leaves the task running.
    w.advance(5s);
    w.processes.exit(sidecar->id, 0);
    CHECK(w.task(started["taskArn"])["containers"][1]["lastStatus"] == "RUNNING");  // not yet told
    w.settle();
    task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "RUNNING");
    CHECK(EcsWorld::container_of(task, "sidecar")["lastStatus"] == "STOPPED");
    CHECK(EcsWorld::container_of(task, "sidecar")["exitCode"] == 0);

    // The essential one ending stops the task, with its exit code.
    w.advance(5s);
    w.processes.exit(web->id, 3);
    w.settle();
    task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "STOPPED");
    CHECK(task["desiredStatus"] == "STOPPED");
    CHECK(task["stopCode"] == "EssentialContainerExited");
    CHECK(task["stoppedReason"] == "Essential container in task exited");
    CHECK(EcsWorld::container_of(task, "web")["exitCode"] == 3);
    CHECK(EcsWorld::container_of(task, "web")["lastStatus"] == "STOPPED");
    CHECK(task["stoppedAt"] == json(static_cast<double>(w.now_ms()) / 1000.0));
    CHECK(web->signals.empty());  // it ended by itself: nothing to signal
}

TEST_CASE("Unit behaviour: an essential container that exits stops the others with SIGTERM",
          "[ecs][unit]") {
    EcsWorld w;
    const auto definition = w.register_definition(
        "web", {EcsWorld::container("web", "web-server"),
                EcsWorld::container("sidecar", "sidecar", {{"essential", false}})});
    const auto started = w.run_task(definition);
    w.settle();
    w.processes.ignore_sigterm = true;
    auto* web = w.processes.latest("web-server");
    auto* sidecar = w.processes.latest("sidecar");
    sidecar->ignores_sigterm = true;

    w.processes.exit(web->id, 1);
    w.settle();
    CHECK(sidecar->signals == std::vector<int>{SIGTERM});
    auto task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "STOPPING");
    CHECK(task["stopCode"] == "EssentialContainerExited");

    w.processes.exit(sidecar->id, 0);
    w.settle();
    task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "STOPPED");
    CHECK(EcsWorld::container_of(task, "web")["exitCode"] == 1);
    CHECK(EcsWorld::container_of(task, "sidecar")["exitCode"] == 0);
}

TEST_CASE(
    "Unit behaviour: a container's environment has ECS's variables, its secrets and the "
    "overrides",
    "[ecs][unit]") {
    EcsWorld w;
    const auto secret = secretsmanager::create_secret(
        w.database, w.clock, w.scope, {"db", {}, {}, std::string("s3cr3t"), {}, {}, {}});
    const auto json_secret = secretsmanager::create_secret(
        w.database, w.clock, w.scope,
        {"api", {}, {}, std::string(R"({"key":"k-123","other":"x"})"), {}, {}, {}});
    const auto definition = w.register_definition(
        "web",
        {EcsWorld::container(
            "web", "web-server",
            {{"command", {"serve"}},
             {"workingDirectory", "/srv"},
             {"portMappings", {{{"containerPort", 8080}}, {{"containerPort", 9090}}}},
             {"environment",
              {{{"name", "GREETING"}, {"value", "hello"}}, {{"name", "MODE"}, {"value", "def"}}}},
             {"secrets",
              {{{"name", "DB_PASSWORD"}, {"valueFrom", secret.arn}},
               {{"name", "API_KEY"}, {"valueFrom", json_secret.arn + ":key::"}}}}})},
        {{"taskRoleArn", "arn:aws:iam::123456789012:role/app"},
         {"executionRoleArn", "arn:aws:iam::123456789012:role/exec"}});
    const auto started = w.run_task(
        definition, {{"overrides",
                      {{"containerOverrides",
                        {{{"name", "web"},
                          {"command", {"serve", "--debug"}},
                          {"environment", {{{"name", "MODE"}, {"value", "override"}}}}}}}}}});
    w.settle();
    const auto* web = w.processes.latest("web-server");
    REQUIRE(web != nullptr);
    const std::string task_id = EcsWorld::task_id_of(started);
    const auto task = w.task(started["taskArn"]);
    REQUIRE(task["lastStatus"] == "RUNNING");
    const std::string ip = task["containers"][0]["networkInterfaces"][0]["privateIpv4Address"];
    CHECK(ip.rfind("127.", 0) == 0);

    CHECK(web->spec.argv == std::vector<std::string>{"web-server", "serve", "--debug"});
    CHECK(web->spec.working_directory == "/srv");
    CHECK(web->env("AWS_REGION") == "us-east-1");
    CHECK(web->env("AWS_DEFAULT_REGION") == "us-east-1");
    CHECK(web->env("AWS_EXECUTION_ENV") == "AWS_ECS_FARGATE");
    CHECK(web->env("ECS_CONTAINER_METADATA_URI_V4") ==
          "http://127.0.0.1:4566/_awsemu/ecs/v4/123456789012/us-east-1/" + task_id + "/web");
    CHECK(web->env("AWS_CONTAINER_CREDENTIALS_FULL_URI") ==
          "http://127.0.0.1:4566/_awsemu/ecs/credentials/123456789012/us-east-1/" + task_id);
    CHECK(web->env("AWS_ENDPOINT_URL") == "http://127.0.0.1:4566");
    CHECK(web->env("AWSEMU_TASK_IP") == ip);
    CHECK(web->env("PORT") == "8080");  // the first mapping's
    CHECK(web->env("GREETING") == "hello");
    CHECK(web->env("MODE") == "override");
    CHECK(web->env("DB_PASSWORD") == "s3cr3t");
    CHECK(web->env("API_KEY") == "k-123");
    CHECK(web->env("PATH").has_value());
    // One entry per variable: the override replaced the definition's value in place.
    std::size_t modes = 0;
    for (const auto& entry : web->spec.environment) {
        modes += entry.rfind("MODE=", 0) == 0 ? 1 : 0;
    }
    CHECK(modes == 1);
}

TEST_CASE("Unit behaviour: a secret that cannot be read fails the task before anything starts",
          "[ecs][unit]") {
    EcsWorld w;
    const auto definition = w.register_definition(
        "web",
        {EcsWorld::container("web", "web-server",
                             {{"secrets",
                               {{{"name", "DB_PASSWORD"},
                                 {"valueFrom",
                                  "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                                  "missing-AbCdEf"}}}}})},
        {{"executionRoleArn", "arn:aws:iam::123456789012:role/exec"}});
    const auto started = w.run_task(definition);
    w.settle();
    CHECK(w.processes.all().empty());
    const auto task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "STOPPED");
    CHECK(task["stopCode"] == "TaskFailedToStart");
    const std::string reason = task["stoppedReason"];
    CHECK(reason.rfind("ResourceInitializationError: unable to pull secrets or registry auth", 0) ==
          0);
    CHECK(reason.find("ResourceNotFoundException") != std::string::npos);
}

TEST_CASE("Unit behaviour: StopTask sends SIGTERM at once and SIGKILL exactly after stopTimeout",
          "[ecs][unit]") {
    EcsWorld w;
    const auto definition = w.register_definition(
        "web", {EcsWorld::container("web", "web-server", {{"stopTimeout", 12}}),
                EcsWorld::container("worker", "worker"),  // the default: 30 seconds
                EcsWorld::container("quick", "quick", {{"stopTimeout", 12}})});
    w.processes.ignore_sigterm = true;
    const auto started = w.run_task(definition);
    w.settle();
    auto* web = w.processes.latest("web-server");
    auto* worker = w.processes.latest("worker");
    auto* quick = w.processes.latest("quick");
    quick->ignores_sigterm = false;  // ends on SIGTERM, as most programs do

    const auto stopped =
        w.ecs("StopTask", {{"task", started["taskArn"]}, {"reason", "maintenance"}})["task"];
    CHECK(stopped["desiredStatus"] == "STOPPED");
    CHECK(stopped["stopCode"] == "UserInitiated");
    CHECK(stopped["stoppedReason"] == "maintenance");
    CHECK(web->signals.empty());  // signalled after the request
    w.settle();
    CHECK(web->signals == std::vector<int>{SIGTERM});
    CHECK(worker->signals == std::vector<int>{SIGTERM});
    CHECK(quick->signals == std::vector<int>{SIGTERM});
    auto task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "STOPPING");
    CHECK(EcsWorld::container_of(task, "quick")["exitCode"] == 128 + SIGTERM);

    w.advance(12s - 1ms);
    CHECK(web->signals == std::vector<int>{SIGTERM});
    w.advance(1ms);
    CHECK(web->signals == std::vector<int>{SIGTERM, SIGKILL});
    CHECK(quick->signals == std::vector<int>{SIGTERM});  // it had exited: no SIGKILL
    CHECK(worker->signals == std::vector<int>{SIGTERM});
    task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "STOPPING");
    CHECK(EcsWorld::container_of(task, "web")["exitCode"] == 128 + SIGKILL);

    w.advance(18s - 1ms);
    CHECK(worker->signals == std::vector<int>{SIGTERM});
    w.advance(1ms);
    CHECK(worker->signals == std::vector<int>{SIGTERM, SIGKILL});
    task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "STOPPED");
    CHECK(task["stopCode"] == "UserInitiated");
    CHECK(task["stoppedReason"] == "maintenance");
    CHECK(EcsWorld::container_of(task, "worker")["exitCode"] == 128 + SIGKILL);

    // Stopping again changes nothing.
    CHECK(w.ecs("StopTask", {{"task", started["taskArn"]}})["task"]["stoppedReason"] ==
          "maintenance");
    w.advance(60s);
    CHECK(web->signals.size() == 2);
}

TEST_CASE("Unit behaviour: a task stopped before it came up runs nothing", "[ecs][unit]") {
    EcsWorld w;
    const auto definition =
        w.register_definition("web", {EcsWorld::container("web", "web-server")});
    const auto started = w.run_task(definition);
    const auto stopped = w.ecs("StopTask", {{"task", started["taskArn"]}})["task"];
    CHECK(stopped["lastStatus"] == "STOPPED");
    w.settle();
    CHECK(w.processes.all().empty());
    CHECK(w.task(started["taskArn"])["lastStatus"] == "STOPPED");
}

TEST_CASE("Unit behaviour: a task starts only once the batch its RunTask is in commits",
          "[ecs][unit]") {
    EcsWorld w;
    const auto definition =
        w.register_definition("web", {EcsWorld::container("web", "web-server")});
    {
        // The group commit's batch: other work may run on the loop before it commits.
        auto batch = w.database.transaction();
        w.run_task(definition);
        w.settle();
        CHECK(w.processes.all().empty());
    }  // rolled back: the task never existed
    w.settle();
    CHECK(w.processes.all().empty());
    {
        auto batch = w.database.transaction();
        w.run_task(definition);
        w.settle();
        CHECK(w.processes.all().empty());
        batch.commit();
    }
    w.settle();
    CHECK(w.processes.all().size() == 1);
}

TEST_CASE("Unit behaviour: dependsOn starts containers in COMPLETE, SUCCESS and HEALTHY order",
          "[ecs][unit]") {
    EcsWorld w;
    const json healthy_check = {
        {"command", {"CMD", "db-check"}}, {"interval", 5}, {"timeout", 2}, {"retries", 3}};
    const auto definition = w.register_definition(
        "app", {EcsWorld::container("init", "init", {{"essential", false}}),
                EcsWorld::container(
                    "migrate", "migrate",
                    {{"essential", false},
                     {"dependsOn", {{{"containerName", "init"}, {"condition", "SUCCESS"}}}}}),
                EcsWorld::container("db", "db", {{"healthCheck", healthy_check}}),
                EcsWorld::container("app", "app",
                                    {{"dependsOn",
                                      {{{"containerName", "migrate"}, {"condition", "COMPLETE"}},
                                       {{"containerName", "db"}, {"condition", "HEALTHY"}}}}})});
    const auto started = w.run_task(definition);
    w.settle();
    CHECK(w.processes.all().size() == 2);
    CHECK(w.processes.running("init") == 1);
    CHECK(w.processes.running("db") == 1);
    CHECK(w.task(started["taskArn"])["lastStatus"] == "PENDING");

    w.processes.exit(w.processes.latest("init")->id, 0);  // SUCCESS: migrate may start
    w.settle();
    CHECK(w.processes.running("migrate") == 1);
    CHECK(w.processes.latest("app") == nullptr);

    w.processes.exit(w.processes.latest("migrate")->id, 1);  // COMPLETE takes any exit code
    w.settle();
    CHECK(w.processes.latest("app") == nullptr);  // db is not healthy yet
    CHECK(w.task(started["taskArn"])["lastStatus"] == "PENDING");

    w.advance(5s);  // the first health check
    auto* check = w.processes.latest("db-check");
    REQUIRE(check != nullptr);
    w.processes.exit(check->id, 0);
    w.settle();
    CHECK(w.processes.running("app") == 1);
    const auto task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "RUNNING");
    CHECK(EcsWorld::container_of(task, "db")["healthStatus"] == "HEALTHY");
    CHECK(EcsWorld::container_of(task, "migrate")["exitCode"] == 1);
}

TEST_CASE("Unit behaviour: a START dependency on a container listed after it is honoured",
          "[ecs][unit]") {
    EcsWorld w;
    const auto definition = w.register_definition(
        "app",
        {EcsWorld::container(
             "app", "app", {{"dependsOn", {{{"containerName", "proxy"}, {"condition", "START"}}}}}),
         EcsWorld::container("proxy", "proxy")});
    const auto started = w.run_task(definition);
    w.settle();
    REQUIRE(w.processes.all().size() == 2);
    CHECK(w.processes.all()[0].spec.argv.front() == "proxy");
    CHECK(w.processes.all()[1].spec.argv.front() == "app");
    CHECK(w.task(started["taskArn"])["lastStatus"] == "RUNNING");
}

TEST_CASE("Unit behaviour: a SUCCESS dependency that exits non-zero stops the task",
          "[ecs][unit]") {
    EcsWorld w;
    const auto definition = w.register_definition(
        "app", {EcsWorld::container("init", "init", {{"essential", false}}),
                EcsWorld::container(
                    "app", "app",
                    {{"dependsOn", {{{"containerName", "init"}, {"condition", "SUCCESS"}}}}})});
    const auto started = w.run_task(definition);
    w.settle();
    w.processes.exit(w.processes.latest("init")->id, 2);
    w.settle();
    CHECK(w.processes.latest("app") == nullptr);
    const auto task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "STOPPED");
    CHECK(task["stopCode"] == "TaskFailedToStart");
    CHECK(task["stoppedReason"] ==
          "CannotStartContainerError: dependency container init exited with code 2 "
          "(condition SUCCESS)");
    CHECK(EcsWorld::container_of(task, "app")["lastStatus"] == "STOPPED");
    CHECK_FALSE(EcsWorld::container_of(task, "app").contains("exitCode"));
}

TEST_CASE(
    "Unit behaviour: a container turns UNHEALTHY after `retries` consecutive failures "
    "past startPeriod",
    "[ecs][unit]") {
    EcsWorld w;
    const auto started = w.start_web_task({{"healthCheck",
                                            {{"command", {"CMD-SHELL", "curl -f", "localhost"}},
                                             {"interval", 10},
                                             {"timeout", 3},
                                             {"retries", 3},
                                             {"startPeriod", 25}}}});
    const auto health = [&] {
        const auto task = w.task(started["taskArn"]);
        return std::pair<std::string, std::string>{task["healthStatus"],
                                                   task["containers"][0]["healthStatus"]};
    };
    // Runs the check that is due in `after` and ends it with `code`.
    const auto check = [&](Duration after, int code) {
        const auto before = w.processes.started("/bin/sh").size();
        w.advance(after - 1ms);
        CHECK(w.processes.started("/bin/sh").size() == before);
        w.advance(1ms);
        REQUIRE(w.processes.started("/bin/sh").size() == before + 1);
        auto* process = w.processes.latest("/bin/sh");
        CHECK(process->spec.argv == std::vector<std::string>{"/bin/sh", "-c", "curl -f localhost"});
        CHECK(process->env("AWS_REGION") == "us-east-1");  // the container's environment
        w.processes.exit(process->id, code);
        w.settle();
    };

    check(10s, 1);  // t=10, within the start period: ignored
    check(10s, 1);  // t=20: ignored
    CHECK(health() == std::pair<std::string, std::string>{"UNKNOWN", "UNKNOWN"});
    check(10s, 1);  // t=30: 1
    check(10s, 1);  // t=40: 2
    CHECK(health() == std::pair<std::string, std::string>{"UNKNOWN", "UNKNOWN"});
    check(10s, 0);  // a success resets the count
    CHECK(health() == std::pair<std::string, std::string>{"HEALTHY", "HEALTHY"});
    check(10s, 1);
    check(10s, 1);
    CHECK(health() == std::pair<std::string, std::string>{"HEALTHY", "HEALTHY"});
    check(10s, 1);  // the third in a row
    CHECK(health() == std::pair<std::string, std::string>{"UNHEALTHY", "UNHEALTHY"});
    // A standalone task keeps running unhealthy (only services replace them).
    CHECK(w.task(started["taskArn"])["lastStatus"] == "RUNNING");
}

TEST_CASE("Unit behaviour: failures in the start period count once a check has passed",
          "[ecs][unit]") {
    EcsWorld w;
    const auto started = w.start_web_task(
        {{"healthCheck",
          {{"command", {"CMD", "probe"}}, {"interval", 5}, {"retries", 2}, {"startPeriod", 60}}}});
    const auto check = [&](int code) {
        w.advance(5s);
        w.processes.exit(w.processes.latest("probe")->id, code);
        w.settle();
        return std::string(w.task(started["taskArn"])["containers"][0]["healthStatus"]);
    };
    CHECK(check(1) == "UNKNOWN");    // t=5: in the start period, before any success: ignored
    CHECK(check(0) == "HEALTHY");    // t=10
    CHECK(check(1) == "HEALTHY");    // t=15: counts now, 1 of 2
    CHECK(check(1) == "UNHEALTHY");  // t=20, still in the start period
}

TEST_CASE(
    "Unit behaviour: a health check that outlives its timeout is killed and counts as a "
    "failure",
    "[ecs][unit]") {
    EcsWorld w;
    const auto started = w.start_web_task({{"healthCheck",
                                            {{"command", {"CMD", "probe", "--fast"}},
                                             {"interval", 5},
                                             {"timeout", 2},
                                             {"retries", 1}}}});
    w.advance(5s);
    auto* probe = w.processes.latest("probe");
    REQUIRE(probe != nullptr);
    CHECK(probe->spec.argv == std::vector<std::string>{"probe", "--fast"});
    w.advance(2s - 1ms);
    CHECK(probe->signals.empty());
    CHECK(w.task(started["taskArn"])["healthStatus"] == "UNKNOWN");
    w.advance(1ms);
    CHECK(probe->signals == std::vector<int>{SIGKILL});
    CHECK(w.task(started["taskArn"])["healthStatus"] == "UNHEALTHY");
    // The next check comes an interval after that result.
    w.advance(5s - 1ms);
    CHECK(w.processes.started("probe").size() == 1);
    w.advance(1ms);
    CHECK(w.processes.started("probe").size() == 2);
    w.processes.exit(w.processes.latest("probe")->id, 0);
    w.settle();
    CHECK(w.task(started["taskArn"])["healthStatus"] == "HEALTHY");
}

TEST_CASE("Unit behaviour: a container's output reaches CloudWatch Logs in order", "[ecs][unit]") {
    EcsWorld w;
    const auto started = w.start_web_task({{"logConfiguration",
                                            {{"logDriver", "awslogs"},
                                             {"options",
                                              {{"awslogs-group", "/ecs/web"},
                                               {"awslogs-region", "us-east-1"},
                                               {"awslogs-create-group", "true"},
                                               {"awslogs-stream-prefix", "ecs"}}}}}});
    const std::string stream = "ecs/web/" + EcsWorld::task_id_of(started);
    CHECK(w.log_messages("/ecs/web", stream).empty());  // made before the container started

    auto* web = w.processes.latest("web-server");
    web->ignores_sigterm = true;
    w.processes.emit(web->id, "one");
    w.processes.emit(web->id, "two", OutputStream::Stderr);
    w.processes.emit(web->id, "three");
    w.settle();
    CHECK(w.log_messages("/ecs/web", stream) == std::vector<std::string>{"one", "two", "three"});

    w.advance(1s);
    w.processes.emit(web->id, "four");
    w.processes.emit(web->id, "five");
    w.processes.exit(web->id, 0);
    w.settle();
    CHECK(w.log_messages("/ecs/web", stream) ==
          std::vector<std::string>{"one", "two", "three", "four", "five"});
    CHECK(w.task(started["taskArn"])["lastStatus"] == "STOPPED");
}

TEST_CASE("Unit behaviour: an image the image map does not know fails the task to start",
          "[ecs][unit]") {
    EcsWorld w;
    const auto definition = w.register_definition(
        "web", {{{"name", "web"}, {"image", "nginx:latest"}, {"essential", true}}});
    const auto started = w.run_task(definition);
    w.settle();
    CHECK(w.processes.all().empty());
    const auto task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "STOPPED");
    CHECK(task["desiredStatus"] == "STOPPED");
    CHECK(task["stopCode"] == "TaskFailedToStart");
    const std::string reason = task["stoppedReason"];
    CHECK(reason.rfind("CannotPullContainerError: pull image manifest has been retried 1 time(s): "
                       "failed to resolve ref nginx:latest: nginx:latest: not found",
                       0) == 0);
    CHECK(EcsWorld::container_of(task, "web")["reason"] == reason);
    CHECK(EcsWorld::container_of(task, "web")["lastStatus"] == "STOPPED");
}

TEST_CASE("Unit behaviour: a program that cannot be started fails the task to start",
          "[ecs][unit]") {
    EcsWorld w;
    w.processes.missing_programs.insert("no-such-program");
    const auto definition = w.register_definition(
        "web", {EcsWorld::container("sidecar", "sidecar", {{"essential", false}}),
                EcsWorld::container("web", "no-such-program")});
    const auto started = w.run_task(definition);
    w.settle();
    const auto task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "STOPPED");
    CHECK(task["stopCode"] == "TaskFailedToStart");
    const std::string reason = task["stoppedReason"];
    CHECK(reason.find("CannotStartContainerError") == 0);
    CHECK(reason.find("exec: \"no-such-program\": No such file or directory") != std::string::npos);
    // The sidecar that had started was stopped.
    CHECK(w.processes.latest("sidecar")->signals == std::vector<int>{SIGTERM});
    CHECK(EcsWorld::container_of(task, "web")["lastStatus"] == "STOPPED");
}

TEST_CASE("Unit behaviour: stopped tasks are forgotten after an hour", "[ecs][unit]") {
    EcsWorld w;
    const auto definition =
        w.register_definition("web", {EcsWorld::container("web", "web-server")});
    const auto started = w.run_task(definition);
    const auto running = w.run_task(definition);
    w.settle();
    w.processes.exit(w.processes.started("web-server")[0]->id, 0);
    w.settle();
    REQUIRE(w.task(started["taskArn"])["lastStatus"] == "STOPPED");

    w.advance(59min);
    CHECK(!w.task(started["taskArn"]).is_null());
    w.advance(6min);  // an hour and the purge interval
    CHECK(w.task(started["taskArn"]).is_null());
    const auto described = w.ecs("DescribeTasks", {{"tasks", {started["taskArn"]}}});
    CHECK(described["failures"][0]["reason"] == "MISSING");
    // A task still running stays.
    CHECK(w.task(running["taskArn"])["lastStatus"] == "RUNNING");
}

TEST_CASE(
    "Unit behaviour: a non-essential container still waiting does not hold the task in "
    "PENDING",
    "[ecs][unit]") {
    EcsWorld w;
    const auto definition = w.register_definition(
        "web",
        {EcsWorld::container(
             "web", "web-server",
             {{"healthCheck", {{"command", {"CMD", "probe"}}, {"interval", 5}, {"retries", 1}}}}),
         EcsWorld::container(
             "reporter", "reporter",
             {{"essential", false},
              {"dependsOn", {{{"containerName", "web"}, {"condition", "HEALTHY"}}}}})});
    const auto started = w.run_task(definition);
    w.settle();
    auto task = w.task(started["taskArn"]);
    CHECK(task["lastStatus"] == "RUNNING");
    CHECK(EcsWorld::container_of(task, "reporter")["lastStatus"] == "PENDING");
    CHECK(w.processes.latest("reporter") == nullptr);
    w.advance(5s);
    w.processes.exit(w.processes.latest("probe")->id, 0);
    w.settle();
    CHECK(w.processes.running("reporter") == 1);
    CHECK(w.task(started["taskArn"])["healthStatus"] == "HEALTHY");
}

TEST_CASE("Unit behaviour: stopTimeout is capped at 120 seconds", "[ecs][unit]") {
    EcsWorld w;
    w.processes.ignore_sigterm = true;
    const auto started = w.start_web_task({{"stopTimeout", 600}});
    w.ecs("StopTask", {{"task", started["taskArn"]}});
    w.settle();
    auto* web = w.processes.latest("web-server");
    w.advance(120s - 1ms);
    CHECK(web->signals == std::vector<int>{SIGTERM});
    w.advance(1ms);
    CHECK(web->signals == std::vector<int>{SIGTERM, SIGKILL});
    CHECK(w.task(started["taskArn"])["lastStatus"] == "STOPPED");
}
