#include "services/ecs/ecs_arns.hpp"

#include <catch2/catch.hpp>

using namespace awsemu;
using namespace awsemu::ecs;

TEST_CASE("Unit behaviour: ECS ARNs are built in the long format", "[ecs][unit]") {
    const Scope scope{"123456789012", "eu-west-1"};
    CHECK(cluster_arn(scope, "prod") == "arn:aws:ecs:eu-west-1:123456789012:cluster/prod");
    CHECK(task_definition_arn(scope, "web", 3) ==
          "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3");
    CHECK(task_arn(scope, "prod", "abc") == "arn:aws:ecs:eu-west-1:123456789012:task/prod/abc");
    CHECK(service_arn(scope, "prod", "api") ==
          "arn:aws:ecs:eu-west-1:123456789012:service/prod/api");
    CHECK(container_instance_arn(scope, "prod", "i1") ==
          "arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/i1");
    CHECK(capacity_provider_arn(scope, "FARGATE") ==
          "arn:aws:ecs:eu-west-1:123456789012:capacity-provider/FARGATE");
    CHECK(account_root_arn(scope) == "arn:aws:iam::123456789012:root");
}

TEST_CASE("Unit behaviour: parse_ecs_arn takes an ECS ARN apart and refuses others",
          "[ecs][unit]") {
    const auto task = parse_ecs_arn("arn:aws:ecs:us-east-1:000000000000:task/prod/abc123");
    REQUIRE(task);
    CHECK(task->partition == "aws");
    CHECK(task->region == "us-east-1");
    CHECK(task->account_id == "000000000000");
    CHECK(task->resource_type == "task");
    CHECK(task->parts == std::vector<std::string>{"prod", "abc123"});

    const auto td = parse_ecs_arn("arn:aws:ecs:us-east-1:000000000000:task-definition/web:7");
    REQUIRE(td);
    CHECK(td->resource_type == "task-definition");
    CHECK(td->parts == std::vector<std::string>{"web:7"});

    CHECK_FALSE(parse_ecs_arn("prod"));
    CHECK_FALSE(parse_ecs_arn("arn:aws:sqs:us-east-1:000000000000:queue"));
    CHECK_FALSE(parse_ecs_arn("arn:aws:ecs:us-east-1:000000000000:cluster"));
    CHECK_FALSE(parse_ecs_arn("arn:aws:ecs:us-east-1:000000000000:cluster/"));
    CHECK_FALSE(parse_ecs_arn("arn:aws:ecs::000000000000:cluster/x"));
    CHECK_FALSE(parse_ecs_arn("arn:aws:ecs:us-east-1:000000000000:task//x"));
}

TEST_CASE("Unit behaviour: a cluster is named by its short name or its ARN", "[ecs][unit]") {
    CHECK(cluster_name_of("prod") == "prod");
    CHECK(cluster_name_of("arn:aws:ecs:us-east-1:000000000000:cluster/prod") == "prod");
    CHECK_FALSE(cluster_name_of("arn:aws:ecs:us-east-1:000000000000:service/prod/api"));
    CHECK_FALSE(cluster_name_of("arn:aws:ecs:us-east-1:000000000000:cluster/a/b"));
}

TEST_CASE("Unit behaviour: task definition references are family, family:revision or an ARN",
          "[ecs][unit]") {
    const auto family = parse_task_definition_ref("web");
    REQUIRE(family);
    CHECK(family->family == "web");
    CHECK_FALSE(family->revision);

    const auto revision = parse_task_definition_ref("web:12");
    REQUIRE(revision);
    CHECK(revision->family == "web");
    CHECK(revision->revision == 12);

    const auto arn =
        parse_task_definition_ref("arn:aws:ecs:us-east-1:000000000000:task-definition/web:4");
    REQUIRE(arn);
    CHECK(arn->family == "web");
    CHECK(arn->revision == 4);

    CHECK_FALSE(parse_task_definition_ref(""));
    CHECK_FALSE(parse_task_definition_ref("web:"));
    CHECK_FALSE(parse_task_definition_ref("web:x"));
    CHECK_FALSE(parse_task_definition_ref("web:0"));
    CHECK_FALSE(parse_task_definition_ref(":3"));
    CHECK_FALSE(
        parse_task_definition_ref("arn:aws:ecs:us-east-1:000000000000:task-definition/web"));
    CHECK_FALSE(parse_task_definition_ref("arn:aws:ecs:us-east-1:000000000000:cluster/web:1"));
}

TEST_CASE("Unit behaviour: task and service references may be ids or either ARN format",
          "[ecs][unit]") {
    const auto id = parse_cluster_child_ref("abc", "task");
    REQUIRE(id);
    CHECK(id->id == "abc");
    CHECK_FALSE(id->cluster_name);

    const auto long_arn =
        parse_cluster_child_ref("arn:aws:ecs:us-east-1:000000000000:task/prod/abc", "task");
    REQUIRE(long_arn);
    CHECK(long_arn->id == "abc");
    CHECK(long_arn->cluster_name == "prod");

    const auto short_arn =
        parse_cluster_child_ref("arn:aws:ecs:us-east-1:000000000000:service/api", "service");
    REQUIRE(short_arn);
    CHECK(short_arn->id == "api");
    CHECK_FALSE(short_arn->cluster_name);

    CHECK_FALSE(
        parse_cluster_child_ref("arn:aws:ecs:us-east-1:000000000000:service/prod/api", "task"));
    CHECK_FALSE(parse_cluster_child_ref("", "task"));
}
