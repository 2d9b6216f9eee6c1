// The handlers of ecs_service.hpp, driven through the operation table.
#include "services/ecs/ecs_service.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/services/ecs/ecs_test_support.hpp"

using namespace awsemu;
using namespace awsemu::ecs;
using namespace awsemu::ecs::testing;
using nlohmann::json;

TEST_CASE("Unit behaviour: RegisterTaskDefinition numbers revisions per family", "[ecs][unit]") {
    EcsFixture f;
    const auto first = f.call("RegisterTaskDefinition", EcsFixture::fargate_request("web"));
    CHECK(first["taskDefinition"]["revision"] == 1);
    CHECK(first["taskDefinition"]["taskDefinitionArn"] ==
          "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
    CHECK(first["taskDefinition"]["registeredBy"] == "arn:aws:iam::123456789012:root");
    CHECK(f.call("RegisterTaskDefinition",
                 EcsFixture::fargate_request("web"))["taskDefinition"]["revision"] == 2);
    CHECK(f.call("RegisterTaskDefinition",
                 EcsFixture::fargate_request("db"))["taskDefinition"]["revision"] == 1);

    const auto latest = f.call("DescribeTaskDefinition", {{"taskDefinition", "web"}});
    CHECK(latest["taskDefinition"]["revision"] == 2);
    CHECK_FALSE(latest.contains("tags"));
    const auto by_revision = f.call("DescribeTaskDefinition", {{"taskDefinition", "web:1"}});
    CHECK(by_revision["taskDefinition"] == first["taskDefinition"]);
    const auto by_arn =
        f.call("DescribeTaskDefinition",
               {{"taskDefinition", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"}});
    CHECK(by_arn["taskDefinition"]["revision"] == 2);

    const auto missing = f.error("DescribeTaskDefinition", {{"taskDefinition", "nope"}});
    CHECK(missing.code == "ClientException");
    CHECK(missing.message == "Unable to describe task definition.");
    CHECK(f.error("DescribeTaskDefinition", {{"taskDefinition", "web:9"}}).code ==
          "ClientException");
}

TEST_CASE("Unit behaviour: task definition tags are stored and described with include TAGS",
          "[ecs][unit]") {
    EcsFixture f;
    json request = EcsFixture::fargate_request("web");
    request["tags"] = {{{"key", "team"}, {"value", "core"}}};
    const auto out = f.call("RegisterTaskDefinition", request);
    CHECK(out["tags"] == json({{{"key", "team"}, {"value", "core"}}}));
    const auto described =
        f.call("DescribeTaskDefinition", {{"taskDefinition", "web:1"}, {"include", {"TAGS"}}});
    CHECK(described["tags"] == json({{{"key", "team"}, {"value", "core"}}}));
    CHECK(f.call("ListTagsForResource",
                 {{"resourceArn", out["taskDefinition"]["taskDefinitionArn"]}})["tags"] ==
          described["tags"]);
}

TEST_CASE("Unit behaviour: deregistering and deleting move a revision through its states",
          "[ecs][unit]") {
    EcsFixture f;
    f.call("RegisterTaskDefinition", EcsFixture::fargate_request("web"));
    f.call("RegisterTaskDefinition", EcsFixture::fargate_request("web"));

    const auto active = f.call("DeleteTaskDefinitions", {{"taskDefinitions", {"web:1"}}});
    CHECK(active["taskDefinitions"] == json::array());
    CHECK(active["failures"][0]["arn"] ==
          "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
    CHECK(active["failures"][0]["reason"] ==
          "The specified task definition is still in ACTIVE status. Please deregister the "
          "target and try again.");

    f.clock.advance(std::chrono::seconds(10));
    const auto deregistered = f.call("DeregisterTaskDefinition", {{"taskDefinition", "web:2"}});
    CHECK(deregistered["taskDefinition"]["status"] == "INACTIVE");
    CHECK(deregistered["taskDefinition"]["deregisteredAt"] == 1700000010.0);
    // The family now answers its latest ACTIVE revision.
    CHECK(f.call("DescribeTaskDefinition",
                 {{"taskDefinition", "web"}})["taskDefinition"]["revision"] == 1);
    CHECK(f.call("DescribeTaskDefinition",
                 {{"taskDefinition", "web:2"}})["taskDefinition"]["status"] == "INACTIVE");

    const auto deleted = f.call("DeleteTaskDefinitions", {{"taskDefinitions", {"web:2", "x:1"}}});
    CHECK(deleted["taskDefinitions"][0]["status"] == "DELETE_IN_PROGRESS");
    CHECK(deleted["taskDefinitions"][0]["deleteRequestedAt"] == 1700000010.0);
    CHECK(deleted["failures"][0]["arn"] ==
          "arn:aws:ecs:us-east-1:123456789012:task-definition/x:1");

    // Revisions keep counting.
    CHECK(f.call("RegisterTaskDefinition",
                 EcsFixture::fargate_request("web"))["taskDefinition"]["revision"] == 3);

    const auto no_revision = f.error("DeregisterTaskDefinition", {{"taskDefinition", "web"}});
    CHECK(no_revision.code == "ClientException");
    CHECK(f.error("DeregisterTaskDefinition", {{"taskDefinition", "web:7"}}).message ==
          "The specified task definition does not exist. Specify a valid account, family, "
          "revision and try again.");
}

TEST_CASE("Unit behaviour: ListTaskDefinitions filters, sorts and pages", "[ecs][unit]") {
    EcsFixture f;
    for (const char* family : {"b", "a", "b", "c"}) {
        f.call("RegisterTaskDefinition", EcsFixture::fargate_request(family));
    }
    f.call("DeregisterTaskDefinition", {{"taskDefinition", "c:1"}});
    const std::string prefix = "arn:aws:ecs:us-east-1:123456789012:task-definition/";
    CHECK(f.call("ListTaskDefinitions", json::object())["taskDefinitionArns"] ==
          json({prefix + "a:1", prefix + "b:1", prefix + "b:2"}));
    CHECK(f.call("ListTaskDefinitions", {{"sort", "DESC"}})["taskDefinitionArns"] ==
          json({prefix + "b:2", prefix + "b:1", prefix + "a:1"}));
    CHECK(f.call("ListTaskDefinitions", {{"familyPrefix", "b"}})["taskDefinitionArns"] ==
          json({prefix + "b:1", prefix + "b:2"}));
    CHECK(f.call("ListTaskDefinitions", {{"status", "INACTIVE"}})["taskDefinitionArns"] ==
          json({prefix + "c:1"}));

    json page = f.call("ListTaskDefinitions", {{"maxResults", 2}});
    CHECK(page["taskDefinitionArns"] == json({prefix + "a:1", prefix + "b:1"}));
    REQUIRE(page.contains("nextToken"));
    page = f.call("ListTaskDefinitions", {{"maxResults", 2}, {"nextToken", page["nextToken"]}});
    CHECK(page["taskDefinitionArns"] == json({prefix + "b:2"}));
    CHECK_FALSE(page.contains("nextToken"));

    CHECK(f.error("ListTaskDefinitions", {{"maxResults", 0}}).code == "InvalidParameterException");
    CHECK(f.error("ListTaskDefinitions", {{"sort", "UP"}}).code == "InvalidParameterException");
    CHECK(f.error("ListTaskDefinitions", {{"nextToken", "!!"}}).code ==
          "InvalidParameterException");
}

TEST_CASE("Unit behaviour: ListTaskDefinitionFamilies filters by prefix and status",
          "[ecs][unit]") {
    EcsFixture f;
    for (const char* family : {"web-api", "web-ui", "db"}) {
        f.call("RegisterTaskDefinition", EcsFixture::fargate_request(family));
    }
    f.call("DeregisterTaskDefinition", {{"taskDefinition", "web-ui:1"}});
    CHECK(f.call("ListTaskDefinitionFamilies", json::object())["families"] ==
          json({"db", "web-api", "web-ui"}));
    CHECK(f.call("ListTaskDefinitionFamilies", {{"familyPrefix", "web"}})["families"] ==
          json({"web-api", "web-ui"}));
    CHECK(f.call("ListTaskDefinitionFamilies", {{"status", "ACTIVE"}})["families"] ==
          json({"db", "web-api"}));
    CHECK(f.call("ListTaskDefinitionFamilies", {{"status", "INACTIVE"}})["families"] ==
          json({"web-ui"}));
    const auto page = f.call("ListTaskDefinitionFamilies", {{"maxResults", 1}});
    CHECK(page["families"] == json({"db"}));
    CHECK(f.call("ListTaskDefinitionFamilies",
                 {{"maxResults", 5}, {"nextToken", page["nextToken"]}})["families"] ==
          json({"web-api", "web-ui"}));
}

TEST_CASE("Unit behaviour: the loader resolves family, family:revision and ARN", "[ecs][unit]") {
    EcsFixture f;
    f.call("RegisterTaskDefinition", EcsFixture::fargate_request("web"));
    f.call("RegisterTaskDefinition", EcsFixture::fargate_request("web"));
    auto transaction = f.database.transaction();
    CHECK(f.ecs->store.find_task_definition(f.scope, "web")->revision == 2);
    CHECK(f.ecs->store.find_task_definition(f.scope, "web:1")->revision == 1);
    const auto td = f.ecs->store.find_task_definition(
        f.scope, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
    REQUIRE(td);
    CHECK(td->containers.at(0).name == "web");
    CHECK(td->containers.at(0).port_mappings.at(0).host_port == 80);
    CHECK_FALSE(f.ecs->store.find_task_definition(
        f.scope, "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1"));
    CHECK_FALSE(f.ecs->store.find_task_definition(f.scope, "web:3"));
}

TEST_CASE("Unit behaviour: CreateCluster creates, answers again, and DescribeClusters reports",
          "[ecs][unit]") {
    EcsFixture f;
    const auto created = f.call(
        "CreateCluster", {{"clusterName", "prod"},
                          {"tags", {{{"key", "env"}, {"value", "prod"}}}},
                          {"settings", {{{"name", "containerInsights"}, {"value", "enabled"}}}},
                          {"capacityProviders", {"FARGATE", "FARGATE_SPOT"}},
                          {"defaultCapacityProviderStrategy",
                           {{{"capacityProvider", "FARGATE"}, {"weight", 1}}}}})["cluster"];
    CHECK(created["clusterArn"] == "arn:aws:ecs:us-east-1:123456789012:cluster/prod");
    CHECK(created["status"] == "ACTIVE");
    CHECK(created["tags"] == json({{{"key", "env"}, {"value", "prod"}}}));
    CHECK(created["settings"] == json({{{"name", "containerInsights"}, {"value", "enabled"}}}));
    CHECK(created["defaultCapacityProviderStrategy"] ==
          json({{{"capacityProvider", "FARGATE"}, {"weight", 1}, {"base", 0}}}));
    // Again: the same cluster, unchanged.
    CHECK(f.call("CreateCluster", {{"clusterName", "prod"}})["cluster"] == created);

    const auto described =
        f.call("DescribeClusters",
               {{"clusters", {"prod", "arn:aws:ecs:us-east-1:123456789012:cluster/prod", "gone"}},
                {"include", {"TAGS", "SETTINGS", "STATISTICS"}}});
    REQUIRE(described["clusters"].size() == 2);
    CHECK(described["clusters"][1]["clusterName"] == "prod");
    CHECK(described["clusters"][0]["tags"] == created["tags"]);
    CHECK(described["clusters"][0]["statistics"].size() == 8);
    CHECK(described["failures"] ==
          json({{{"arn", "arn:aws:ecs:us-east-1:123456789012:cluster/gone"},
                 {"reason", "MISSING"}}}));
    const auto plain = f.call("DescribeClusters", {{"clusters", {"prod"}}})["clusters"][0];
    CHECK(plain["tags"] == json::array());
    CHECK_FALSE(plain.contains("settings"));

    // No name: the default cluster, with the account's containerInsights.
    CHECK(f.call("DescribeClusters", json::object())["failures"][0]["arn"] ==
          "arn:aws:ecs:us-east-1:123456789012:cluster/default");
    const auto fallback = f.call("CreateCluster", json::object())["cluster"];
    CHECK(fallback["clusterName"] == "default");
    CHECK(fallback["settings"] == json({{{"name", "containerInsights"}, {"value", "disabled"}}}));

    CHECK(f.error("CreateCluster", {{"clusterName", "bad name"}}).code ==
          "InvalidParameterException");
    CHECK(f.error("CreateCluster", {{"clusterName", "x"}, {"capacityProviders", {"MINE"}}}).code ==
          "InvalidParameterException");
    CHECK(f.error("CreateCluster",
                  {{"clusterName", "x"},
                   {"defaultCapacityProviderStrategy", {{{"capacityProvider", "FARGATE"}}}}})
              .code == "InvalidParameterException");
}

TEST_CASE("Unit behaviour: clusters list, update and delete; deleted ones stay describable",
          "[ecs][unit]") {
    EcsFixture f;
    for (const char* name : {"c", "a", "b"}) {
        f.call("CreateCluster", {{"clusterName", name}});
    }
    const std::string prefix = "arn:aws:ecs:us-east-1:123456789012:cluster/";
    const auto page = f.call("ListClusters", {{"maxResults", 2}});
    CHECK(page["clusterArns"] == json({prefix + "a", prefix + "b"}));
    CHECK(f.call("ListClusters", {{"nextToken", page["nextToken"]}})["clusterArns"] ==
          json({prefix + "c"}));

    const auto updated =
        f.call("UpdateCluster",
               {{"cluster", "a"},
                {"configuration", {{"executeCommandConfiguration", {{"logging", "DEFAULT"}}}}},
                {"serviceConnectDefaults", {{"namespace", "local"}}}})["cluster"];
    CHECK(updated["configuration"] ==
          json({{"executeCommandConfiguration", {{"logging", "DEFAULT"}}}}));
    CHECK(updated["serviceConnectDefaults"] == json({{"namespace", "local"}}));
    const auto settings =
        f.call("UpdateClusterSettings",
               {{"cluster", prefix + "a"},
                {"settings", {{{"name", "containerInsights"}, {"value", "enhanced"}}}}})["cluster"];
    CHECK(settings["settings"] == json({{{"name", "containerInsights"}, {"value", "enhanced"}}}));
    CHECK(settings["configuration"] == updated["configuration"]);
    const auto providers = f.call("PutClusterCapacityProviders",
                                  {{"cluster", "a"},
                                   {"capacityProviders", {"FARGATE_SPOT"}},
                                   {"defaultCapacityProviderStrategy",
                                    {{{"capacityProvider", "FARGATE_SPOT"}, {"base", 1}}}}});
    CHECK(providers["cluster"]["capacityProviders"] == json({"FARGATE_SPOT"}));

    const auto deleted = f.call("DeleteCluster", {{"cluster", "b"}})["cluster"];
    CHECK(deleted["status"] == "INACTIVE");
    CHECK(f.call("DescribeClusters", {{"clusters", {"b"}}})["clusters"][0]["status"] == "INACTIVE");
    CHECK(f.call("ListClusters", json::object())["clusterArns"] ==
          json({prefix + "a", prefix + "c"}));
    const auto again = f.error("DeleteCluster", {{"cluster", "b"}});
    CHECK(again.code == "ClusterNotFoundException");
    CHECK(again.message == "Cluster not found.");
    CHECK(f.error("UpdateCluster", {{"cluster", "zzz"}}).code == "ClusterNotFoundException");
    // Created again: ACTIVE.
    CHECK(f.call("CreateCluster", {{"clusterName", "b"}})["cluster"]["status"] == "ACTIVE");
}

TEST_CASE("Unit behaviour: the cluster activity hook feeds counts and guards DeleteCluster",
          "[ecs][unit]") {
    EcsFixture f;
    f.call("CreateCluster", {{"clusterName", "busy"}});
    ClusterActivity activity;
    activity.running_tasks = 2;
    activity.pending_tasks = 1;
    f.ecs->hooks.cluster_activity = [&](const Scope&, const Cluster& c) {
        return c.name == "busy" ? activity : ClusterActivity{};
    };
    const auto described = f.call("DescribeClusters", {{"clusters", {"busy"}}})["clusters"][0];
    CHECK(described["runningTasksCount"] == 2);
    CHECK(described["pendingTasksCount"] == 1);
    const auto tasks = f.error("DeleteCluster", {{"cluster", "busy"}});
    CHECK(tasks.code == "ClusterContainsTasksException");
    activity.active_services = 1;
    CHECK(f.error("DeleteCluster", {{"cluster", "busy"}}).code ==
          "ClusterContainsServicesException");
    activity = {};
    CHECK(f.call("DeleteCluster", {{"cluster", "busy"}})["cluster"]["status"] == "INACTIVE");
}

TEST_CASE("Unit behaviour: tags work on any ECS ARN, through the resource hook for tasks",
          "[ecs][unit]") {
    EcsFixture f;
    f.call("CreateCluster", {{"clusterName", "prod"}});
    const std::string cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
    f.call("TagResource",
           {{"resourceArn", cluster},
            {"tags", {{{"key", "a"}, {"value", "1"}}, {{"key", "b"}, {"value", "2"}}}}});
    f.call("TagResource", {{"resourceArn", cluster}, {"tags", {{{"key", "a"}, {"value", "9"}}}}});
    CHECK(f.call("ListTagsForResource", {{"resourceArn", cluster}})["tags"] ==
          json({{{"key", "a"}, {"value", "9"}}, {{"key", "b"}, {"value", "2"}}}));
    f.call("UntagResource", {{"resourceArn", cluster}, {"tagKeys", {"a"}}});
    CHECK(f.call("ListTagsForResource", {{"resourceArn", cluster}})["tags"] ==
          json({{{"key", "b"}, {"value", "2"}}}));

    CHECK(f.error("TagResource", {{"resourceArn", "arn:aws:ecs:us-east-1:123456789012:cluster/x"},
                                  {"tags", json::array()}})
              .code == "ClusterNotFoundException");
    CHECK(f.error("ListTagsForResource", {{"resourceArn", "not-an-arn"}}).code ==
          "InvalidParameterException");
    CHECK(f.error("ListTagsForResource",
                  {{"resourceArn", "arn:aws:ecs:us-east-1:123456789012:task-definition/x:1"}})
              .code == "ResourceNotFoundException");

    const std::string task = "arn:aws:ecs:us-east-1:123456789012:task/prod/abc";
    f.call("TagResource", {{"resourceArn", task}, {"tags", {{{"key", "k"}, {"value", "v"}}}}});
    CHECK(f.call("ListTagsForResource", {{"resourceArn", task}})["tags"].size() == 1);
    f.ecs->hooks.resource_exists = [](const Scope&, const EcsArn& arn) -> std::optional<bool> {
        return arn.parts.back() == "abc";
    };
    CHECK(f.call("ListTagsForResource", {{"resourceArn", task}})["tags"].size() == 1);
    CHECK(f.error("ListTagsForResource",
                  {{"resourceArn", "arn:aws:ecs:us-east-1:123456789012:task/prod/zzz"}})
              .code == "ResourceNotFoundException");

    CHECK(f.error("TagResource",
                  {{"resourceArn", cluster}, {"tags", {{{"key", "aws:x"}, {"value", "v"}}}}})
              .code == "InvalidParameterException");
}

TEST_CASE("Unit behaviour: account settings have AWS's defaults and layer principal over account",
          "[ecs][unit]") {
    EcsFixture f;
    const auto effective = f.call("ListAccountSettings", {{"effectiveSettings", true}});
    CHECK(effective["settings"].size() == 10);  // pages of 10
    CHECK(effective.contains("nextToken"));
    const auto rest = f.call("ListAccountSettings",
                             {{"effectiveSettings", true}, {"nextToken", effective["nextToken"]}});
    CHECK(rest["settings"].size() == 1);
    const auto insights =
        f.call("ListAccountSettings", {{"effectiveSettings", true}, {"name", "containerInsights"}});
    CHECK(insights["settings"] == json({{{"name", "containerInsights"},
                                         {"value", "disabled"},
                                         {"principalArn", "arn:aws:iam::123456789012:root"},
                                         {"type", "user"}}}));
    CHECK(f.call("ListAccountSettings", {{"effectiveSettings", true},
                                         {"name", "taskLongArnFormat"}})["settings"][0]["value"] ==
          "enabled");
    CHECK(f.call("ListAccountSettings", json::object())["settings"] == json::array());

    const auto put =
        f.call("PutAccountSettingDefault", {{"name", "containerInsights"}, {"value", "enabled"}});
    CHECK(put["setting"]["principalArn"] == "arn:aws:iam::123456789012:root");
    const std::string role = "arn:aws:iam::123456789012:role/dev";
    f.call("PutAccountSetting",
           {{"name", "containerInsights"}, {"value", "enhanced"}, {"principalArn", role}});
    CHECK(f.call("ListAccountSettings", {{"principalArn", role}})["settings"][0]["value"] ==
          "enhanced");
    CHECK(f.call("ListAccountSettings", {{"name", "containerInsights"}})["settings"][0]["value"] ==
          "enabled");
    // A new cluster takes the account's containerInsights.
    CHECK(f.call("CreateCluster", {{"clusterName", "c"}})["cluster"]["settings"][0]["value"] ==
          "enabled");

    const auto removed =
        f.call("DeleteAccountSetting", {{"name", "containerInsights"}, {"principalArn", role}});
    CHECK(removed["setting"]["value"] == "enhanced");
    CHECK(f.call("ListAccountSettings", {{"principalArn", role}})["settings"] == json::array());

    CHECK(f.call("ListAccountSettings", {{"effectiveSettings", true},
                                         {"name", "guardDutyActivate"}})["settings"][0]["type"] ==
          "aws_managed");
    CHECK(f.error("PutAccountSettingDefault", {{"name", "guardDutyActivate"}, {"value", "on"}})
              .code == "InvalidParameterException");
    CHECK(f.error("PutAccountSetting", {{"name", "nope"}, {"value", "enabled"}}).code ==
          "InvalidParameterException");
    CHECK(f.error("PutAccountSetting", {{"name", "awsvpcTrunking"}, {"value", "yes"}}).code ==
          "InvalidParameterException");
}

TEST_CASE("Unit behaviour: FARGATE and FARGATE_SPOT are the capacity providers there are",
          "[ecs][unit]") {
    EcsFixture f;
    const auto all = f.call("DescribeCapacityProviders", json::object());
    REQUIRE(all["capacityProviders"].size() == 2);
    CHECK(all["capacityProviders"][0]["name"] == "FARGATE");
    CHECK(all["capacityProviders"][0]["capacityProviderArn"] ==
          "arn:aws:ecs:us-east-1:123456789012:capacity-provider/FARGATE");
    CHECK(all["capacityProviders"][1]["status"] == "ACTIVE");
    const auto some =
        f.call("DescribeCapacityProviders", {{"capacityProviders", {"FARGATE_SPOT", "x"}}});
    CHECK(some["capacityProviders"].size() == 1);
    CHECK(some["failures"][0]["reason"] == "MISSING");
}

TEST_CASE("Unit behaviour: wrong types are SerializationException", "[ecs][unit]") {
    EcsFixture f;
    CHECK(f.error("CreateCluster", {{"clusterName", 5}}).code == "SerializationException");
    json request = EcsFixture::fargate_request("web");
    request["containerDefinitions"] = "web";
    CHECK(f.error("RegisterTaskDefinition", request).code == "SerializationException");
    request["containerDefinitions"] = {"web"};
    CHECK(f.error("RegisterTaskDefinition", request).code == "SerializationException");
    CHECK(f.error("RegisterTaskDefinition", {{"containerDefinitions", json::array()}}).message ==
          "Family can not be blank.");
}
