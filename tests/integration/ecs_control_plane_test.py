"""ECS's control plane through boto3: task definitions, clusters, tags, account settings and
capacity providers; errors with AWS's codes and messages; bad input over raw HTTP; state that
survives a restart."""

import json
import shutil
import tempfile
import unittest

from harness import AwsemuServer, AwsemuTestCase, awsemu_only

ACCOUNT = "000000000000"
PREFIX = f"arn:aws:ecs:us-east-1:{ACCOUNT}:"
EXEC_ROLE = f"arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole"
SECRET_ARN = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:pyshop/db-AbCdEf"


def api_container(**extra):
    container = {
        "name": "api",
        "image": "python:3.12-slim",
        "command": ["python", "-m", "http.server", "8000"],
        "environment": [{"name": "MODE", "value": "prod"}, {"name": "LOG", "value": "info"}],
        "secrets": [{"name": "DATABASE_URL", "valueFrom": SECRET_ARN}],
        "portMappings": [{"containerPort": 8000, "name": "http", "appProtocol": "http"}],
        "logConfiguration": {"logDriver": "awslogs",
                             "options": {"awslogs-group": "/ecs/api",
                                         "awslogs-region": "us-east-1",
                                         "awslogs-stream-prefix": "api"}},
        "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8000/ || exit 1"],
                        "interval": 10},
    }
    container.update(extra)
    return container


def fargate_request(family="api", **extra):
    request = {
        "family": family,
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "executionRoleArn": EXEC_ROLE,
        "containerDefinitions": [api_container()],
    }
    request.update(extra)
    return request


class EcsTaskDefinitionTest(AwsemuTestCase):

    def setUp(self):
        super().setUp()
        self.ecs = self.server.client("ecs")

    def test_register_describe_round_trip(self):
        request = fargate_request(taskRoleArn=f"arn:aws:iam::{ACCOUNT}:role/api",
                                  tags=[{"key": "app", "value": "pyshop"}])
        out = self.ecs.register_task_definition(**request)
        td = out["taskDefinition"]
        self.assertEqual(td["taskDefinitionArn"], PREFIX + "task-definition/api:1")
        self.assertEqual(td["revision"], 1)
        self.assertEqual(td["status"], "ACTIVE")
        self.assertEqual(td["compatibilities"], ["EC2", "FARGATE"])
        self.assertEqual(td["requiresCompatibilities"], ["FARGATE"])
        self.assertEqual((td["cpu"], td["memory"]), ("256", "512"))
        self.assertEqual(td["registeredBy"], f"arn:aws:iam::{ACCOUNT}:root")
        self.assertIn("registeredAt", td)
        self.assertEqual(out["tags"], [{"key": "app", "value": "pyshop"}])
        names = {a["name"] for a in td["requiresAttributes"]}
        self.assertIn("ecs.capability.task-eni", names)
        self.assertIn("ecs.capability.secrets.asm.environment-variables", names)

        container = td["containerDefinitions"][0]
        sent = api_container()
        for key in ("name", "image", "command", "environment", "secrets", "logConfiguration"):
            self.assertEqual(container[key], sent[key], key)
        # AWS's defaults
        self.assertEqual(container["cpu"], 0)
        self.assertIs(container["essential"], True)
        self.assertEqual(container["mountPoints"], [])
        self.assertEqual(container["volumesFrom"], [])
        self.assertEqual(container["portMappings"],
                         [{"containerPort": 8000, "hostPort": 8000, "protocol": "tcp",
                           "name": "http", "appProtocol": "http"}])
        self.assertEqual(container["healthCheck"],
                         {"command": ["CMD-SHELL", "curl -f http://localhost:8000/ || exit 1"],
                          "interval": 10, "timeout": 5, "retries": 3})

        self.ecs.register_task_definition(**fargate_request())
        for reference in ("api:1", PREFIX + "task-definition/api:1"):
            described = self.ecs.describe_task_definition(taskDefinition=reference,
                                                          include=["TAGS"])
            self.assertEqual(described["taskDefinition"], td)
            self.assertEqual(described["tags"], [{"key": "app", "value": "pyshop"}])
        latest = self.ecs.describe_task_definition(taskDefinition="api")
        self.assertEqual(latest["taskDefinition"]["revision"], 2)
        self.assertNotIn("tags", latest)

    def test_every_member_of_the_request_comes_back_as_registered(self):
        container = api_container(
            memory=512, memoryReservation=256, cpu=128,
            repositoryCredentials={"credentialsParameter": SECRET_ARN},
            links=["db:db"], entryPoint=["/bin/sh", "-c"], workingDirectory="/srv",
            portMappings=[{"containerPort": 8000, "hostPort": 0, "protocol": "udp"},
                          {"containerPort": 9000}],
            mountPoints=[{"sourceVolume": "data", "containerPath": "/data", "readOnly": True}],
            volumesFrom=[{"sourceContainer": "db", "readOnly": False}],
            linuxParameters={"capabilities": {"add": ["SYS_PTRACE"], "drop": ["NET_RAW"]},
                             "initProcessEnabled": True, "sharedMemorySize": 64,
                             "tmpfs": [{"containerPath": "/tmp", "size": 32}]},
            dependsOn=[{"containerName": "db", "condition": "HEALTHY"}],
            startTimeout=60, stopTimeout=30, versionConsistency="disabled", hostname="api",
            user="1000:1000", disableNetworking=False, privileged=False,
            readonlyRootFilesystem=True, dnsServers=["10.0.0.2"], dnsSearchDomains=["local"],
            extraHosts=[{"hostname": "db.local", "ipAddress": "10.0.0.5"}],
            dockerSecurityOptions=["no-new-privileges"], interactive=False, pseudoTerminal=False,
            dockerLabels={"team": "core"}, ulimits=[{"name": "nofile", "softLimit": 1024,
                                                     "hardLimit": 4096}],
            systemControls=[{"namespace": "net.core.somaxconn", "value": "1024"}],
            resourceRequirements=[{"value": "1", "type": "GPU"}],
            credentialSpecs=["credentialspecdomainless:arn:aws:s3:::bucket/spec.json"],
            restartPolicy={"enabled": True, "ignoredExitCodes": [0], "restartAttemptPeriod": 60},
            essential=True)
        db = {"name": "db", "image": "postgres:16", "memory": 256, "essential": False,
              "healthCheck": {"command": ["CMD", "pg_isready"], "interval": 5, "timeout": 2,
                              "retries": 10, "startPeriod": 30},
              "firelensConfiguration": {"type": "fluentbit", "options": {"enable-ecs-log-metadata": "true"}}}
        request = {
            "family": "everything",
            "taskRoleArn": f"arn:aws:iam::{ACCOUNT}:role/task",
            "executionRoleArn": EXEC_ROLE,
            "networkMode": "bridge",
            "containerDefinitions": [container, db],
            "volumes": [{"name": "data", "host": {"sourcePath": "/var/data"}},
                        {"name": "efs", "efsVolumeConfiguration": {
                            "fileSystemId": "fs-12345678", "rootDirectory": "/",
                            "transitEncryption": "ENABLED"}}],
            "placementConstraints": [{"type": "memberOf",
                                      "expression": "attribute:ecs.instance-type =~ t3.*"}],
            "requiresCompatibilities": ["EC2"],
            "cpu": "1024",
            "memory": "2048",
            "pidMode": "task",
            "ipcMode": "none",
            "proxyConfiguration": {"type": "APPMESH", "containerName": "api",
                                   "properties": [{"name": "IgnoredUID", "value": "1337"}]},
            "inferenceAccelerators": [{"deviceName": "d1", "deviceType": "eia2.medium"}],
            "ephemeralStorage": {"sizeInGiB": 30},
            "runtimePlatform": {"cpuArchitecture": "X86_64",
                                "operatingSystemFamily": "LINUX"},
            "enableFaultInjection": True,
        }
        td = self.ecs.register_task_definition(**request)["taskDefinition"]
        described = self.ecs.describe_task_definition(taskDefinition="everything:1")
        self.assertEqual(described["taskDefinition"], td)
        for key, value in request.items():
            if key != "containerDefinitions":
                self.assertEqual(td[key], value, key)
        for sent, got in zip(request["containerDefinitions"], td["containerDefinitions"]):
            for key, value in sent.items():
                if key not in ("portMappings", "healthCheck"):
                    self.assertEqual(got[key], value, key)
        self.assertEqual(td["containerDefinitions"][0]["portMappings"],
                         [{"containerPort": 8000, "hostPort": 0, "protocol": "udp"},
                          {"containerPort": 9000, "protocol": "tcp"}])
        self.assertEqual(td["containerDefinitions"][1]["healthCheck"], db["healthCheck"])
        self.assertEqual(td["compatibilities"], ["EXTERNAL", "EC2"])

    def test_deregister_delete_and_listings(self):
        for family in ("web", "api", "web", "worker"):
            self.ecs.register_task_definition(**fargate_request(family))
        out = self.ecs.deregister_task_definition(taskDefinition="worker:1")
        self.assertEqual(out["taskDefinition"]["status"], "INACTIVE")
        self.assertIn("deregisteredAt", out["taskDefinition"])

        arns = self.ecs.list_task_definitions()["taskDefinitionArns"]
        self.assertEqual(arns, [PREFIX + "task-definition/" + n for n in ("api:1", "web:1", "web:2")])
        self.assertEqual(self.ecs.list_task_definitions(sort="DESC")["taskDefinitionArns"],
                         list(reversed(arns)))
        self.assertEqual(self.ecs.list_task_definitions(familyPrefix="web")["taskDefinitionArns"],
                         arns[1:])
        self.assertEqual(self.ecs.list_task_definitions(status="INACTIVE")["taskDefinitionArns"],
                         [PREFIX + "task-definition/worker:1"])
        page = self.ecs.list_task_definitions(maxResults=2)
        self.assertEqual(page["taskDefinitionArns"], arns[:2])
        rest = self.ecs.list_task_definitions(maxResults=2, nextToken=page["nextToken"])
        self.assertEqual(rest["taskDefinitionArns"], arns[2:])
        self.assertNotIn("nextToken", rest)
        paginated = [arn for p in self.ecs.get_paginator("list_task_definitions").paginate(
            PaginationConfig={"PageSize": 1}) for arn in p["taskDefinitionArns"]]
        self.assertEqual(paginated, arns)

        self.assertEqual(self.ecs.list_task_definition_families()["families"],
                         ["api", "web", "worker"])
        self.assertEqual(self.ecs.list_task_definition_families(status="ACTIVE")["families"],
                         ["api", "web"])
        self.assertEqual(self.ecs.list_task_definition_families(status="INACTIVE")["families"],
                         ["worker"])
        self.assertEqual(self.ecs.list_task_definition_families(familyPrefix="w")["families"],
                         ["web", "worker"])
        families = [f for p in self.ecs.get_paginator("list_task_definition_families").paginate(
            PaginationConfig={"PageSize": 1}) for f in p["families"]]
        self.assertEqual(families, ["api", "web", "worker"])

        deleted = self.ecs.delete_task_definitions(taskDefinitions=["worker:1", "web:1"])
        self.assertEqual([t["status"] for t in deleted["taskDefinitions"]], ["DELETE_IN_PROGRESS"])
        self.assertIn("deleteRequestedAt", deleted["taskDefinitions"][0])
        self.assertEqual(deleted["failures"][0]["arn"], PREFIX + "task-definition/web:1")
        self.assertIn("ACTIVE", deleted["failures"][0]["reason"])
        self.assertEqual(
            self.ecs.list_task_definitions(status="DELETE_IN_PROGRESS")["taskDefinitionArns"],
            [PREFIX + "task-definition/worker:1"])
        self.assertEqual(self.ecs.register_task_definition(**fargate_request("worker"))
                         ["taskDefinition"]["revision"], 2)

    def test_invalid_task_definitions(self):
        def refused(message, **request):
            self.failed_response("ClientException", 400, self.ecs.register_task_definition,
                                 message=message, **request)

        no_image = api_container()
        del no_image["image"]
        refused("Container.image should not be null or empty.",
                **fargate_request(containerDefinitions=[no_image]))
        refused("Family contains invalid characters.", **fargate_request("bad family"))
        refused("Container names must be unique within a Task Definition.",
                **fargate_request(containerDefinitions=[api_container(), api_container()]))
        refused("Container.name contains invalid characters.",
                **fargate_request(containerDefinitions=[api_container(name="a b")]))
        refused("Invalid 'containerPort' setting for container 'api'.",
                **fargate_request(containerDefinitions=[
                    api_container(portMappings=[{"containerPort": 70000}])]))
        refused("When networkMode=awsvpc, the host ports and container ports in port mappings "
                "must match.",
                **fargate_request(containerDefinitions=[
                    api_container(portMappings=[{"containerPort": 80, "hostPort": 8080}])]))
        bad_secret = api_container(secrets=[{"name": "X", "valueFrom": "arn:aws:s3:::b/k"}])
        refused("The secret 'X' has an invalid valueFrom 'arn:aws:s3:::b/k': it must be the ARN "
                "of a Secrets Manager secret or of a Systems Manager parameter, or the name of a "
                "Systems Manager parameter.",
                **fargate_request(containerDefinitions=[bad_secret]))
        request = fargate_request()
        del request["executionRoleArn"]
        refused("When you are specifying container secrets, you must also specify a value for "
                "'executionRoleArn'.", **request)
        refused("Fargate only supports network mode ‘awsvpc’.",
                **fargate_request(networkMode="bridge"))
        refused("No Fargate configuration exists for given values: 256 CPU, 8192 memory. See "
                "the Amazon ECS documentation for the valid values.",
                **fargate_request(memory="8192"))
        request = fargate_request()
        del request["cpu"]
        refused("Fargate requires that 'cpu' be defined at the task level.", **request)
        refused("Cannot depend on container + 'db' because it does not exist",
                **fargate_request(containerDefinitions=[
                    api_container(dependsOn=[{"containerName": "db", "condition": "START"}])]))
        with_files = api_container(environmentFiles=[{"value": "arn:aws:s3:::b/app.env",
                                                      "type": "s3"}])
        response = self.failed_response("ClientException", 400, self.ecs.register_task_definition,
                                        **fargate_request(containerDefinitions=[with_files]))
        self.assertIn("awsemu does not support environmentFiles", response["Error"]["Message"])

        self.failed_response("ClientException", 400, self.ecs.describe_task_definition,
                             message="Unable to describe task definition.",
                             taskDefinition="missing")
        self.failed_response("ClientException", 400, self.ecs.deregister_task_definition,
                             taskDefinition="missing:1")
        self.failed_response("InvalidParameterException", 400, self.ecs.list_task_definitions,
                             nextToken="not-a-token!")
        self.assertEqual(self.ecs.list_task_definition_families()["families"], [])


class EcsClusterTest(AwsemuTestCase):

    def setUp(self):
        super().setUp()
        self.ecs = self.server.client("ecs")

    def test_cluster_lifecycle(self):
        created = self.ecs.create_cluster(
            clusterName="prod", tags=[{"key": "env", "value": "prod"}],
            settings=[{"name": "containerInsights", "value": "enabled"}],
            configuration={"executeCommandConfiguration": {"logging": "DEFAULT"}},
            capacityProviders=["FARGATE", "FARGATE_SPOT"],
            defaultCapacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1,
                                              "base": 1}])["cluster"]
        self.assertEqual(created["clusterArn"], PREFIX + "cluster/prod")
        self.assertEqual(created["status"], "ACTIVE")
        self.assertEqual(created["tags"], [{"key": "env", "value": "prod"}])
        self.assertEqual(created["settings"], [{"name": "containerInsights", "value": "enabled"}])
        self.assertEqual(created["configuration"],
                         {"executeCommandConfiguration": {"logging": "DEFAULT"}})
        self.assertEqual(created["capacityProviders"], ["FARGATE", "FARGATE_SPOT"])
        self.assertEqual(created["defaultCapacityProviderStrategy"],
                         [{"capacityProvider": "FARGATE", "weight": 1, "base": 1}])
        for count in ("runningTasksCount", "pendingTasksCount", "activeServicesCount",
                      "registeredContainerInstancesCount"):
            self.assertEqual(created[count], 0)
        # Idempotent for an ACTIVE cluster of the same name.
        self.assertEqual(self.ecs.create_cluster(clusterName="prod")["cluster"], created)

        described = self.ecs.describe_clusters(
            clusters=["prod", PREFIX + "cluster/nope"],
            include=["TAGS", "SETTINGS", "CONFIGURATIONS", "STATISTICS", "ATTACHMENTS"])
        cluster = described["clusters"][0]
        self.assertEqual(cluster["tags"], created["tags"])
        self.assertEqual(cluster["settings"], created["settings"])
        self.assertEqual(cluster["configuration"], created["configuration"])
        stats = {s["name"]: s["value"] for s in cluster["statistics"]}
        self.assertEqual(stats["runningFargateTasksCount"], "0")
        self.assertEqual(described["failures"],
                         [{"arn": PREFIX + "cluster/nope", "reason": "MISSING"}])
        plain = self.ecs.describe_clusters(clusters=["prod"])["clusters"][0]
        self.assertNotIn("settings", plain)
        self.assertEqual(plain["tags"], [])

        updated = self.ecs.update_cluster(
            cluster="prod", settings=[{"name": "containerInsights", "value": "disabled"}],
            serviceConnectDefaults={"namespace": "pyshop"})["cluster"]
        self.assertEqual(updated["settings"], [{"name": "containerInsights", "value": "disabled"}])
        self.assertEqual(updated["serviceConnectDefaults"], {"namespace": "pyshop"})
        self.assertEqual(updated["configuration"], created["configuration"])
        settings = self.ecs.update_cluster_settings(
            cluster=PREFIX + "cluster/prod",
            settings=[{"name": "containerInsights", "value": "enhanced"}])["cluster"]
        self.assertEqual(settings["settings"], [{"name": "containerInsights", "value": "enhanced"}])
        providers = self.ecs.put_cluster_capacity_providers(
            cluster="prod", capacityProviders=["FARGATE_SPOT"],
            defaultCapacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 2}])
        self.assertEqual(providers["cluster"]["capacityProviders"], ["FARGATE_SPOT"])
        self.assertEqual(providers["cluster"]["defaultCapacityProviderStrategy"],
                         [{"capacityProvider": "FARGATE_SPOT", "weight": 2, "base": 0}])

        deleted = self.ecs.delete_cluster(cluster="prod")["cluster"]
        self.assertEqual(deleted["status"], "INACTIVE")
        self.assertEqual(self.ecs.describe_clusters(clusters=["prod"])["clusters"][0]["status"],
                         "INACTIVE")
        self.assertEqual(self.ecs.list_clusters()["clusterArns"], [])
        self.failed_response("ClusterNotFoundException", 400, self.ecs.delete_cluster,
                             message="Cluster not found.", cluster="prod")
        self.failed_response("ClusterNotFoundException", 400, self.ecs.update_cluster,
                             message="Cluster not found.", cluster="prod")
        self.assertEqual(self.ecs.create_cluster(clusterName="prod")["cluster"]["status"],
                         "ACTIVE")

    def test_default_cluster_listing_and_bad_input(self):
        self.assertEqual(self.ecs.describe_clusters()["failures"],
                         [{"arn": PREFIX + "cluster/default", "reason": "MISSING"}])
        default = self.ecs.create_cluster()["cluster"]
        self.assertEqual(default["clusterName"], "default")
        self.assertEqual(default["settings"], [{"name": "containerInsights", "value": "disabled"}])
        self.assertEqual(self.ecs.describe_clusters()["clusters"][0]["clusterName"], "default")
        for name in ("c", "a", "b"):
            self.ecs.create_cluster(clusterName=name)
        page = self.ecs.list_clusters(maxResults=2)
        self.assertEqual(page["clusterArns"], [PREFIX + "cluster/a", PREFIX + "cluster/b"])
        arns = [a for p in self.ecs.get_paginator("list_clusters").paginate(
            PaginationConfig={"PageSize": 3}) for a in p["clusterArns"]]
        self.assertEqual(arns, [PREFIX + "cluster/" + n for n in ("a", "b", "c", "default")])

        self.failed_response("InvalidParameterException", 400, self.ecs.create_cluster,
                             clusterName="no spaces")
        self.failed_response("InvalidParameterException", 400, self.ecs.create_cluster,
                             clusterName="x", settings=[{"name": "containerInsights",
                                                          "value": "maybe"}])
        self.failed_response("InvalidParameterException", 400, self.ecs.create_cluster,
                             clusterName="x", capacityProviders=["MY_ASG"])
        self.failed_response("InvalidParameterException", 400, self.ecs.list_clusters,
                             maxResults=101)


class EcsTagsSettingsCapacityTest(AwsemuTestCase):

    def setUp(self):
        super().setUp()
        self.ecs = self.server.client("ecs")

    def test_tags_on_clusters_and_task_definitions(self):
        cluster = self.ecs.create_cluster(clusterName="prod")["cluster"]["clusterArn"]
        td = self.ecs.register_task_definition(**fargate_request())["taskDefinition"]
        for arn in (cluster, td["taskDefinitionArn"]):
            self.ecs.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "1"},
                                                         {"key": "b", "value": "2"}])
            self.ecs.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "3"}])
            self.ecs.untag_resource(resourceArn=arn, tagKeys=["b"])
            self.assertEqual(self.ecs.list_tags_for_resource(resourceArn=arn)["tags"],
                             [{"key": "a", "value": "3"}])
        self.failed_response("ClusterNotFoundException", 400, self.ecs.tag_resource,
                             resourceArn=PREFIX + "cluster/nope", tags=[{"key": "a", "value": "1"}])
        self.failed_response("InvalidParameterException", 400, self.ecs.list_tags_for_resource,
                             resourceArn="prod")
        self.failed_response("ResourceNotFoundException", 400, self.ecs.list_tags_for_resource,
                             resourceArn=PREFIX + "task-definition/nope:1")
        # Tasks and services are looked up too (ecs_tasks_test tags real ones).
        self.failed_response("ResourceNotFoundException", 400, self.ecs.tag_resource,
                             resourceArn=PREFIX + "task/prod/0123456789abcdef",
                             tags=[{"key": "a", "value": "1"}])
        self.failed_response("InvalidParameterException", 400, self.ecs.tag_resource,
                             resourceArn=cluster, tags=[{"key": "aws:x", "value": "1"}])

    def test_account_settings(self):
        effective = {s["name"]: s["value"] for p in self.ecs.get_paginator(
            "list_account_settings").paginate(effectiveSettings=True) for s in p["settings"]}
        self.assertEqual(effective["serviceLongArnFormat"], "enabled")
        self.assertEqual(effective["taskLongArnFormat"], "enabled")
        self.assertEqual(effective["containerInstanceLongArnFormat"], "enabled")
        self.assertEqual(effective["awsvpcTrunking"], "disabled")
        self.assertEqual(effective["containerInsights"], "disabled")
        self.assertEqual(len(effective), 11)
        self.assertEqual(self.ecs.list_account_settings()["settings"], [])

        put = self.ecs.put_account_setting(name="awsvpcTrunking", value="enabled")["setting"]
        self.assertEqual(put, {"name": "awsvpcTrunking", "value": "enabled",
                               "principalArn": f"arn:aws:iam::{ACCOUNT}:root", "type": "user"})
        default = self.ecs.put_account_setting_default(name="containerInsights",
                                                       value="enhanced")["setting"]
        self.assertEqual(default["principalArn"], f"arn:aws:iam::{ACCOUNT}:root")
        listed = self.ecs.list_account_settings()["settings"]
        self.assertEqual([(s["name"], s["value"]) for s in listed],
                         [("awsvpcTrunking", "enabled"), ("containerInsights", "enhanced")])
        self.assertEqual(self.ecs.list_account_settings(name="containerInsights",
                                                        effectiveSettings=True)
                         ["settings"][0]["value"], "enhanced")
        self.assertEqual(self.ecs.create_cluster(clusterName="c")["cluster"]["settings"],
                         [{"name": "containerInsights", "value": "enhanced"}])
        removed = self.ecs.delete_account_setting(name="awsvpcTrunking")["setting"]
        self.assertEqual(removed["value"], "enabled")
        self.assertEqual([s["name"] for s in self.ecs.list_account_settings()["settings"]],
                         ["containerInsights"])
        self.failed_response("InvalidParameterException", 400, self.ecs.put_account_setting,
                             name="awsvpcTrunking", value="sometimes")

    def test_capacity_providers(self):
        out = self.ecs.describe_capacity_providers()
        self.assertEqual([p["name"] for p in out["capacityProviders"]], ["FARGATE", "FARGATE_SPOT"])
        self.assertEqual(out["capacityProviders"][0]["capacityProviderArn"],
                         PREFIX + "capacity-provider/FARGATE")
        self.assertEqual(out["capacityProviders"][0]["status"], "ACTIVE")
        some = self.ecs.describe_capacity_providers(
            capacityProviders=[PREFIX + "capacity-provider/FARGATE_SPOT", "MINE"])
        self.assertEqual([p["name"] for p in some["capacityProviders"]], ["FARGATE_SPOT"])
        self.assertEqual(some["failures"],
                         [{"arn": PREFIX + "capacity-provider/MINE", "reason": "MISSING"}])


class EcsRawHttpTest(AwsemuTestCase):
    """Malformed requests: AWS-shaped JSON errors, and the server keeps serving."""

    HEADERS = {
        "Content-Type": "application/x-amz-json-1.1",
        "Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/ecs/aws4_request, "
                         "SignedHeaders=host;x-amz-date, Signature=0000",
        "X-Amz-Date": "20240101T000000Z",
    }

    def call(self, operation, body):
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        headers = dict(self.HEADERS,
                       **{"X-Amz-Target": "AmazonEC2ContainerServiceV20141113." + operation})
        return self.server.http("POST", "/", body=body, headers=headers)

    def assertJsonError(self, operation, body, code, message=None):
        status, headers, raw = self.call(operation, body)
        self.assertEqual(status, 400, raw)
        error = json.loads(raw)
        self.assertEqual(error["__type"], code, raw)
        if message is not None:
            self.assertEqual(error["message"], message)
        self.assertTrue({k.lower(): v for k, v in headers.items()}.get("x-amzn-requestid"))

    @awsemu_only("awsemu's wording for wrong types")
    def test_bad_input(self):
        status, _, raw = self.call("CreateCluster", {"clusterName": "keep"})
        self.assertEqual(status, 200, raw)
        self.assertJsonError("CreateCluster", b'{"clusterName": ', "SerializationException")
        self.assertJsonError("CreateCluster", b"\xff\xfe", "SerializationException")
        self.assertJsonError("CreateCluster", b"[1]", "SerializationException")
        self.assertJsonError("CreateCluster", {"clusterName": 7}, "SerializationException")
        self.assertJsonError("CreateCluster", {"tags": {"a": "b"}}, "SerializationException")
        self.assertJsonError("DescribeClusters", {"clusters": "keep"}, "SerializationException")
        self.assertJsonError("RegisterTaskDefinition",
                             {"family": "x", "containerDefinitions": "nope"},
                             "SerializationException")
        self.assertJsonError("RegisterTaskDefinition",
                             {"family": "x", "containerDefinitions": [{"name": "a", "image": 5}]},
                             "SerializationException",
                             "Invalid type for parameter containerDefinitions[0].image, "
                             "expected a string.")
        self.assertJsonError("RegisterTaskDefinition", {"family": "x", "containerDefinitions": [
            {"name": "a", "image": "i", "memory": 64, "portMappings": [{"containerPort": "80"}]}]},
            "SerializationException")
        self.assertJsonError("RegisterTaskDefinition", {"family": "x", "containerDefinitions": [
            {"name": "a", "memory": 64}]}, "ClientException",
            "Container.image should not be null or empty.")
        self.assertJsonError("RegisterTaskDefinition", {"family": "x", "containerDefinitions": [
            {"name": "a", "image": "i", "memory": 64, "portMappings": [{"containerPort": 99999}]}]},
            "ClientException", "Invalid 'containerPort' setting for container 'a'.")
        self.assertJsonError("RegisterTaskDefinition", {"family": "x"}, "ClientException",
                             "Container list cannot be empty.")
        self.assertJsonError("DescribeTaskDefinition", {}, "ValidationException")
        self.assertJsonError("NoSuchOperation", {}, "UnknownOperationException")
        status, _, raw = self.call("DescribeClusters", {"clusters": ["keep"]})
        self.assertEqual(status, 200, raw)
        self.assertEqual(json.loads(raw)["clusters"][0]["status"], "ACTIVE")


@awsemu_only("restarts the server")
class EcsPersistenceTest(unittest.TestCase):

    def test_control_plane_survives_a_restart(self):
        state_dir = tempfile.mkdtemp(prefix="awsemu-ecs-state-")
        self.addCleanup(shutil.rmtree, state_dir, True)
        server = AwsemuServer(state_dir=state_dir)
        self.addCleanup(server.cleanup)
        server.start()
        ecs = server.client("ecs")
        ecs.create_cluster(clusterName="prod", tags=[{"key": "env", "value": "prod"}])
        ecs.create_cluster(clusterName="gone")
        ecs.delete_cluster(cluster="gone")
        registered = ecs.register_task_definition(
            **fargate_request(tags=[{"key": "app", "value": "api"}]))["taskDefinition"]
        ecs.register_task_definition(**fargate_request())
        ecs.deregister_task_definition(taskDefinition="api:2")
        ecs.put_account_setting_default(name="containerInsights", value="enabled")

        def snapshot():
            clusters = ecs.describe_clusters(clusters=["prod", "gone"],
                                             include=["TAGS", "SETTINGS"])
            clusters.pop("ResponseMetadata")
            tds = [ecs.describe_task_definition(taskDefinition=r, include=["TAGS"])
                   for r in ("api:1", "api:2")]
            for td in tds:
                td.pop("ResponseMetadata")
            return (clusters, tds, ecs.list_task_definitions(status="INACTIVE")["taskDefinitionArns"],
                    ecs.list_account_settings()["settings"])

        before = snapshot()
        server.restart()
        ecs = server.client("ecs")
        after = snapshot()
        self.assertEqual(before, after)
        self.assertEqual(after[1][0]["taskDefinition"]["containerDefinitions"],
                         registered["containerDefinitions"])
        self.assertEqual(after[0]["clusters"][1]["status"], "INACTIVE")
        self.assertEqual(ecs.register_task_definition(**fargate_request())
                         ["taskDefinition"]["revision"], 3)
        server.kill()
        server.start()
        self.assertEqual(server.client("ecs").describe_task_definition(taskDefinition="api")
                         ["taskDefinition"]["revision"], 3)


if __name__ == "__main__":
    unittest.main()
