"""ECS's control plane through the AWS CLI, v1 (python -m awscli) and v2 (Debian's /usr/bin/aws)."""

import json
import os
import tempfile
import unittest

from harness import AwsemuTestCase

PREFIX = "arn:aws:ecs:us-east-1:000000000000:"


class CliMixin:
    """The same scenario for both CLI versions; subclasses set `version`."""

    version = 1

    def aws(self, *args, check=True):
        return self.server.cli("ecs", *args, version=self.version, check=check)

    def expect_error(self, code, *args):
        result = self.aws(*args, check=False)
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn(f"({code})", result.stderr)
        return result.stderr

    def test_task_definition_from_a_json_file(self):
        definition = {
            "family": f"cli-v{self.version}",
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "512",
            "memory": "1024",
            "executionRoleArn": "arn:aws:iam::000000000000:role/exec",
            "containerDefinitions": [{
                "name": "web",
                "image": "nginx:1.27",
                "portMappings": [{"containerPort": 80}],
                "environment": [{"name": "A", "value": "1"}],
                "secrets": [{"name": "TOKEN",
                             "valueFrom": "arn:aws:ssm:us-east-1:000000000000:parameter/token"}],
            }],
        }
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(definition, f)
        self.addCleanup(os.unlink, f.name)
        family = definition["family"]
        out = self.aws("register-task-definition", "--cli-input-json", "file://" + f.name)
        td = out["taskDefinition"]
        self.assertEqual(td["taskDefinitionArn"], f"{PREFIX}task-definition/{family}:1")
        self.assertEqual(td["containerDefinitions"][0]["portMappings"],
                         [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}])
        self.assertEqual(td["containerDefinitions"][0]["secrets"],
                         definition["containerDefinitions"][0]["secrets"])
        self.aws("register-task-definition", "--cli-input-json", "file://" + f.name)

        described = self.aws("describe-task-definition", "--task-definition", family)
        self.assertEqual(described["taskDefinition"]["revision"], 2)
        listed = self.aws("list-task-definitions", "--family-prefix", family, "--sort", "DESC")
        self.assertEqual(listed["taskDefinitionArns"],
                         [f"{PREFIX}task-definition/{family}:2",
                          f"{PREFIX}task-definition/{family}:1"])
        # The CLI follows nextToken itself.
        paged = self.aws("list-task-definitions", "--family-prefix", family, "--page-size", "1")
        self.assertEqual(len(paged["taskDefinitionArns"]), 2)
        self.assertIn(family, self.aws("list-task-definition-families")["families"])
        deregistered = self.aws("deregister-task-definition", "--task-definition", f"{family}:1")
        self.assertEqual(deregistered["taskDefinition"]["status"], "INACTIVE")
        if self.version == 1:  # Debian's CLI v2 (2.9) predates DeleteTaskDefinitions
            deleted = self.aws("delete-task-definitions", "--task-definitions", f"{family}:1")
            self.assertEqual(deleted["taskDefinitions"][0]["status"], "DELETE_IN_PROGRESS")
        error = self.expect_error("ClientException", "describe-task-definition",
                                  "--task-definition", "nope")
        self.assertIn("Unable to describe task definition.", error)

    def test_clusters_tags_and_settings(self):
        name = f"cli-v{self.version}"
        created = self.aws("create-cluster", "--cluster-name", name, "--tags",
                           "key=env,value=test", "--settings",
                           "name=containerInsights,value=enabled")["cluster"]
        self.assertEqual(created["clusterArn"], f"{PREFIX}cluster/{name}")
        self.assertEqual(created["settings"], [{"name": "containerInsights", "value": "enabled"}])
        described = self.aws("describe-clusters", "--clusters", name, "missing",
                             "--include", "TAGS")
        self.assertEqual(described["clusters"][0]["tags"], [{"key": "env", "value": "test"}])
        self.assertEqual(described["failures"][0]["reason"], "MISSING")
        self.assertIn(f"{PREFIX}cluster/{name}", self.aws("list-clusters")["clusterArns"])

        arn = created["clusterArn"]
        self.aws("tag-resource", "--resource-arn", arn, "--tags", "key=team,value=core")
        self.aws("untag-resource", "--resource-arn", arn, "--tag-keys", "env")
        self.assertEqual(self.aws("list-tags-for-resource", "--resource-arn", arn)["tags"],
                         [{"key": "team", "value": "core"}])

        self.aws("put-account-setting", "--name", "awsvpcTrunking", "--value", "enabled")
        settings = self.aws("list-account-settings", "--name", "awsvpcTrunking")["settings"]
        self.assertEqual(settings[0]["value"], "enabled")
        providers = self.aws("describe-capacity-providers")["capacityProviders"]
        self.assertEqual([p["name"] for p in providers], ["FARGATE", "FARGATE_SPOT"])

        self.assertEqual(self.aws("delete-cluster", "--cluster", name)["cluster"]["status"],
                         "INACTIVE")
        error = self.expect_error("ClusterNotFoundException", "delete-cluster", "--cluster", name)
        self.assertIn("Cluster not found.", error)


class EcsCliV1Test(CliMixin, AwsemuTestCase):
    version = 1


class EcsCliV2Test(CliMixin, AwsemuTestCase):
    version = 2


if __name__ == "__main__":
    unittest.main()
