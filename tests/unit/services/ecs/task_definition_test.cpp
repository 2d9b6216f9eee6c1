#include "services/ecs/task_definition.hpp"

#include <catch2/catch.hpp>

#include "emulator/protocol/aws_error.hpp"
#include "services/ecs/task_definition_registration.hpp"

using namespace awsemu;
using namespace awsemu::ecs;
using nlohmann::json;

namespace {

json container(const std::string& name) {
    return {{"name", name}, {"image", "busybox"}, {"memory", 128}};
}

json request_with(json containers) {
    return {{"family", "app"}, {"containerDefinitions", std::move(containers)}};
}

// The ClientException message validate_registration answers, or "" when it accepts.
std::string refusal(const json& request, const std::string& code = "ClientException") {
    try {
        validate_registration(request);
    } catch (const AwsError& e) {
        CHECK(e.spec().code == code);
        CHECK(e.spec().http_status == 400);
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("Unit behaviour: a valid registration passes validation", "[ecs][unit]") {
    CHECK(refusal(request_with({container("web")})).empty());
}

TEST_CASE("Unit behaviour: registration refuses what AWS refuses, in AWS's words", "[ecs][unit]") {
    CHECK(refusal({{"family", "bad name!"}, {"containerDefinitions", {container("a")}}}) ==
          "Family contains invalid characters.");
    CHECK(refusal(request_with(json::array())) == "Container list cannot be empty.");
    CHECK(refusal({{"family", "app"}}) == "Container list cannot be empty.");

    json no_image = container("web");
    no_image.erase("image");
    CHECK(refusal(request_with({no_image})) == "Container.image should not be null or empty.");
    json empty_image = container("web");
    empty_image["image"] = "";
    CHECK(refusal(request_with({empty_image})) == "Container.image should not be null or empty.");

    json no_name = container("web");
    no_name.erase("name");
    CHECK(refusal(request_with({no_name})) == "Container.name should not be null or empty.");
    CHECK(refusal(request_with({container("we b")})) ==
          "Container.name contains invalid characters.");
    CHECK(refusal(request_with({container("web"), container("web")})) ==
          "Container names must be unique within a Task Definition.");

    json no_memory = container("web");
    no_memory.erase("memory");
    CHECK(refusal(request_with({no_memory})) ==
          "Invalid setting for container 'web'. At least one of 'memory' or "
          "'memoryReservation' must be specified.");
}

TEST_CASE("Unit behaviour: port mappings are checked for range and awsvpc host ports",
          "[ecs][unit]") {
    json web = container("web");
    web["portMappings"] = {{{"containerPort", 70000}}};
    CHECK(refusal(request_with({web})) == "Invalid 'containerPort' setting for container 'web'.");
    web["portMappings"] = {{{"containerPort", -1}}};
    CHECK(refusal(request_with({web})) == "Invalid 'containerPort' setting for container 'web'.");
    web["portMappings"] = {{{"hostPort", 80}}};
    CHECK(refusal(request_with({web})) == "Invalid 'containerPort' setting for container 'web'.");
    web["portMappings"] = {{{"containerPort", 80}, {"hostPort", 65536}}};
    CHECK(refusal(request_with({web})) == "Invalid 'hostPort' setting for container 'web'.");

    web["portMappings"] = {{{"containerPort", 80}, {"hostPort", 8080}}};
    CHECK(refusal(request_with({web})).empty());  // bridge mode maps ports
    json awsvpc = request_with({web});
    awsvpc["networkMode"] = "awsvpc";
    CHECK(refusal(awsvpc) ==
          "When networkMode=awsvpc, the host ports and container ports in port mappings must "
          "match.");

    web["portMappings"] = {{{"containerPort", "80"}}};
    CHECK(refusal(request_with({web}), "SerializationException") ==
          "Invalid type for parameter containerDefinitions[0].portMappings[0].containerPort, "
          "expected an integer.");
}

TEST_CASE("Unit behaviour: secrets need an execution role and a Secrets Manager or SSM source",
          "[ecs][unit]") {
    json web = container("web");
    web["secrets"] = {
        {{"name", "DB"},
         {"valueFrom", "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf"}}};
    json request = request_with({web});
    CHECK(refusal(request) ==
          "When you are specifying container secrets, you must also specify a value for "
          "'executionRoleArn'.");
    request["executionRoleArn"] = "arn:aws:iam::000000000000:role/exec";
    CHECK(refusal(request).empty());

    CHECK_FALSE(secret_value_from_problem(
        "A", "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf:password::"));
    CHECK_FALSE(secret_value_from_problem("A", "arn:aws:ssm:us-east-1:000000000000:parameter/db"));
    CHECK_FALSE(secret_value_from_problem("A", "/app/db/password"));
    CHECK(secret_value_from_problem("A", "arn:aws:s3:::bucket/key"));
    CHECK(secret_value_from_problem("A", "arn:aws:secretsmanager:us-east-1"));
    CHECK(secret_value_from_problem("A", "not a name!"));

    request["containerDefinitions"][0]["secrets"][0]["valueFrom"] = "arn:aws:s3:::bucket/key";
    CHECK(refusal(request) ==
          "The secret 'DB' has an invalid valueFrom 'arn:aws:s3:::bucket/key': it must be the ARN "
          "of a Secrets Manager secret or of a Systems Manager parameter, or the name of a "
          "Systems Manager parameter.");

    request["containerDefinitions"][0]["secrets"][0]["valueFrom"] = "/db";
    request["containerDefinitions"][0]["environment"] = {{{"name", "DB"}, {"value", "x"}}};
    CHECK(refusal(request) ==
          "The secret name must be unique and not shared with any new or existing environment "
          "variables set on the container, such as 'DB'.");
}

TEST_CASE("Unit behaviour: Fargate needs awsvpc and a task size Fargate offers", "[ecs][unit]") {
    json request = request_with({container("web")});
    request["requiresCompatibilities"] = {"FARGATE"};
    CHECK(refusal(request) ==
          "Fargate only supports network mode \xE2\x80\x98"
          "awsvpc\xE2\x80\x99.");
    request["networkMode"] = "awsvpc";
    CHECK(refusal(request) == "Fargate requires that 'cpu' be defined at the task level.");
    request["cpu"] = "256";
    CHECK(refusal(request) == "Fargate requires that 'memory' be defined at the task level.");
    request["memory"] = "4096";
    CHECK(refusal(request) ==
          "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the "
          "Amazon ECS documentation for the valid values.");
    request["memory"] = "1 GB";
    CHECK(refusal(request).empty());
    request["containerDefinitions"][0]["memory"] = 2048;
    CHECK(refusal(request) ==
          "The 'memory' setting for container 'web' is greater than for the "
          "task.");

    CHECK(valid_fargate_size(256, 512));
    CHECK(valid_fargate_size(1024, 3072));
    CHECK(valid_fargate_size(16384, 122880));
    CHECK_FALSE(valid_fargate_size(512, 512));
    CHECK_FALSE(valid_fargate_size(8192, 18432));
    CHECK(valid_fargate_size(8192, 20480));
    CHECK(normalize_task_cpu("1 vCPU") == "1024");
    CHECK(normalize_task_cpu(".25 vcpu") == "256");
    CHECK(normalize_task_cpu("512") == "512");
    CHECK_FALSE(normalize_task_cpu("lots"));
    CHECK(normalize_task_memory("2GB") == "2048");
    CHECK(normalize_task_memory("0.5 GB") == "512");
}

TEST_CASE("Unit behaviour: dependsOn must name a container of the definition", "[ecs][unit]") {
    json app = container("app");
    app["dependsOn"] = {{{"containerName", "migrate"}, {"condition", "SUCCESS"}}};
    CHECK(refusal(request_with({app})) ==
          "Cannot depend on container + 'migrate' because it does not exist");
    json migrate = container("migrate");
    CHECK(refusal(request_with({app, migrate})) ==
          "A dependency container with SUCCESS or COMPLETE condition cannot be an essential "
          "container");
    migrate["essential"] = false;
    CHECK(refusal(request_with({app, migrate})).empty());
    app["dependsOn"][0]["condition"] = "READY";
    CHECK(refusal(request_with({app, migrate})).find("Invalid condition 'READY'") == 0);
}

TEST_CASE("Unit behaviour: environmentFiles are refused: awsemu cannot fetch them", "[ecs][unit]") {
    json web = container("web");
    web["environmentFiles"] = {{{"value", "arn:aws:s3:::bucket/app.env"}, {"type", "s3"}}};
    CHECK(refusal(request_with({web})).find("awsemu does not support environmentFiles") == 0);
}

TEST_CASE(
    "Unit behaviour: the described task definition keeps the request and adds AWS's "
    "defaults",
    "[ecs][unit]") {
    json request = {
        {"family", "api"},
        {"networkMode", "awsvpc"},
        {"requiresCompatibilities", {"FARGATE"}},
        {"cpu", "0.5 vCPU"},
        {"memory", "1GB"},
        {"executionRoleArn", "arn:aws:iam::000000000000:role/exec"},
        {"tags", {{{"key", "a"}, {"value", "b"}}}},
        {"containerDefinitions",
         {{{"name", "api"},
           {"image", "python:3"},
           {"command", {"python", "-m", "http.server"}},
           {"portMappings", {{{"containerPort", 8000}, {"name", "http"}}}},
           {"healthCheck", {{"command", {"CMD-SHELL", "true"}}}},
           {"logConfiguration",
            {{"logDriver", "awslogs"},
             {"options", {{"awslogs-group", "/ecs/api"}, {"awslogs-region", "us-east-1"}}}}},
           {"secrets",
            {{{"name", "DB"},
              {"valueFrom",
               "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf"}}}}}}}};
    validate_registration(request);
    const json out =
        describe_registration(request, {"arn:aws:ecs:us-east-1:000000000000:task-definition/api:1",
                                        1, 1700000000000, "arn:aws:iam::000000000000:root"});
    CHECK_FALSE(out.contains("tags"));
    CHECK(out["cpu"] == "512");
    CHECK(out["memory"] == "1024");
    CHECK(out["status"] == "ACTIVE");
    CHECK(out["revision"] == 1);
    CHECK(out["registeredAt"] == 1700000000.0);
    CHECK(out["registeredBy"] == "arn:aws:iam::000000000000:root");
    CHECK(out["compatibilities"] == json({"EC2", "FARGATE"}));
    CHECK(out["volumes"] == json::array());
    CHECK(out["placementConstraints"] == json::array());
    const json& c = out["containerDefinitions"][0];
    CHECK(c["cpu"] == 0);
    CHECK(c["essential"] == true);
    CHECK(c["environment"] == json::array());
    CHECK(c["mountPoints"] == json::array());
    CHECK(c["volumesFrom"] == json::array());
    CHECK(c["command"] == json({"python", "-m", "http.server"}));
    CHECK(c["portMappings"] == json({{{"containerPort", 8000},
                                      {"hostPort", 8000},
                                      {"protocol", "tcp"},
                                      {"name", "http"}}}));
    CHECK(c["healthCheck"] == json({{"command", {"CMD-SHELL", "true"}},
                                    {"interval", 30},
                                    {"timeout", 5},
                                    {"retries", 3}}));
    std::vector<std::string> attributes;
    for (const auto& a : out["requiresAttributes"]) {
        attributes.push_back(a["name"]);
    }
    CHECK(std::find(attributes.begin(), attributes.end(), "ecs.capability.task-eni") !=
          attributes.end());
    CHECK(std::find(attributes.begin(), attributes.end(),
                    "ecs.capability.secrets.asm.environment-variables") != attributes.end());
    CHECK(std::find(attributes.begin(), attributes.end(),
                    "com.amazonaws.ecs.capability.logging-driver.awslogs") != attributes.end());

    json bridge = {{"family", "b"}, {"containerDefinitions", {container("x")}}};
    const json bridge_out = describe_registration(bridge, {"arn", 1, 0, "me"});
    CHECK(bridge_out["compatibilities"] == json({"EXTERNAL", "EC2"}));
}

TEST_CASE("Unit behaviour: a stored task definition reads into the typed struct with defaults",
          "[ecs][unit]") {
    json request = {
        {"family", "worker"},
        {"networkMode", "awsvpc"},
        {"taskRoleArn", "arn:aws:iam::000000000000:role/task"},
        {"executionRoleArn", "arn:aws:iam::000000000000:role/exec"},
        {"cpu", "256"},
        {"memory", "512"},
        {"containerDefinitions",
         {{{"name", "main"},
           {"image", "app:1"},
           {"entryPoint", {"/bin/sh", "-c"}},
           {"command", {"run"}},
           {"workingDirectory", "/srv"},
           {"environment", {{{"name", "MODE"}, {"value", "prod"}}}},
           {"secrets", {{{"name", "TOKEN"}, {"valueFrom", "/app/token"}}}},
           {"portMappings",
            {{{"containerPort", 8080}, {"protocol", "udp"}, {"appProtocol", "http"}}}},
           {"dependsOn", {{{"containerName", "init"}, {"condition", "SUCCESS"}}}},
           {"healthCheck", {{"command", {"CMD", "true"}}, {"retries", 5}, {"startPeriod", 10}}},
           {"stopTimeout", 20},
           {"memoryReservation", 64},
           {"logConfiguration",
            {{"logDriver", "awslogs"},
             {"options", {{"awslogs-group", "g"}, {"awslogs-region", "us-east-1"}}},
             {"secretOptions", {{{"name", "K"}, {"valueFrom", "/k"}}}}}}},
          {{"name", "init"}, {"image", "app:1"}, {"essential", false}, {"cpu", 10}}}}};
    validate_registration(request);
    const TaskDefinition td = task_definition_from_json(describe_registration(
        request,
        {"arn:aws:ecs:us-east-1:000000000000:task-definition/worker:2", 2, 1700000000500, "me"}));
    CHECK(td.family == "worker");
    CHECK(td.revision == 2);
    CHECK(td.arn == "arn:aws:ecs:us-east-1:000000000000:task-definition/worker:2");
    CHECK(td.status == "ACTIVE");
    CHECK(td.task_role_arn == "arn:aws:iam::000000000000:role/task");
    CHECK(td.execution_role_arn == "arn:aws:iam::000000000000:role/exec");
    CHECK(td.network_mode == "awsvpc");
    CHECK(td.cpu == "256");
    CHECK(td.memory == "512");
    CHECK(td.registered_ms == 1700000000500);
    REQUIRE(td.containers.size() == 2);
    const ContainerDefinition& main = td.containers[0];
    CHECK(main.name == "main");
    CHECK(main.image == "app:1");
    CHECK(main.entry_point == std::vector<std::string>{"/bin/sh", "-c"});
    CHECK(main.command == std::vector<std::string>{"run"});
    CHECK(main.working_directory == "/srv");
    REQUIRE(main.environment.size() == 1);
    CHECK(main.environment[0].name == "MODE");
    CHECK(main.environment[0].value == "prod");
    REQUIRE(main.secrets.size() == 1);
    CHECK(main.secrets[0].value_from == "/app/token");
    REQUIRE(main.port_mappings.size() == 1);
    CHECK(main.port_mappings[0].container_port == 8080);
    CHECK(main.port_mappings[0].host_port == 8080);
    CHECK(main.port_mappings[0].protocol == "udp");
    CHECK(main.port_mappings[0].app_protocol == "http");
    CHECK(main.essential);
    REQUIRE(main.depends_on.size() == 1);
    CHECK(main.depends_on[0].container_name == "init");
    CHECK(main.depends_on[0].condition == DependencyCondition::Success);
    REQUIRE(main.health_check);
    CHECK(main.health_check->command == std::vector<std::string>{"CMD", "true"});
    CHECK(main.health_check->interval == 30);
    CHECK(main.health_check->timeout == 5);
    CHECK(main.health_check->retries == 5);
    CHECK(main.health_check->start_period == 10);
    CHECK(main.stop_timeout == 20);
    CHECK(main.cpu == 0);
    CHECK_FALSE(main.memory);
    CHECK(main.memory_reservation == 64);
    REQUIRE(main.log_configuration);
    CHECK(main.log_configuration->log_driver == "awslogs");
    CHECK(main.log_configuration->options.at("awslogs-group") == "g");
    REQUIRE(main.log_configuration->secret_options.size() == 1);
    CHECK(main.log_configuration->secret_options[0].name == "K");
    const ContainerDefinition* init = td.container("init");
    REQUIRE(init != nullptr);
    CHECK_FALSE(init->essential);
    CHECK(init->cpu == 10);
    CHECK_FALSE(init->health_check);
    CHECK(td.container("nope") == nullptr);
    CHECK(td.json["containerDefinitions"][1]["name"] == "init");
}
