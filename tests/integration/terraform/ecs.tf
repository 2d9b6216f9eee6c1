# An ECS cluster and the task definitions of the reference stack's API (Fargate, awsvpc, a secret
# from Secrets Manager, awslogs) and of a bridge-mode worker.
variable "api_image" {
  type    = string
  default = "python:3.12-slim"
}

resource "aws_secretsmanager_secret" "database_url" {
  name                    = "pyshop/ecs/DATABASE_URL"
  recovery_window_in_days = 0
}

resource "aws_ecs_cluster" "main" {
  name = "pyshop"
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
  tags = {
    app = "pyshop"
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "pyshop-api"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole"
  task_role_arn            = "arn:aws:iam::000000000000:role/pyshop-api"
  container_definitions = jsonencode([
    {
      name      = "api"
      image     = var.api_image
      essential = true
      command   = ["python", "-m", "http.server", "8000"]
      portMappings = [
        { containerPort = 8000, protocol = "tcp", name = "http", appProtocol = "http" }
      ]
      environment = [
        { name = "MODE", value = "production" },
        { name = "ALLOWED_HOSTS", value = "*" }
      ]
      secrets = [
        { name = "DATABASE_URL", valueFrom = aws_secretsmanager_secret.database_url.arn }
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = "/ecs/pyshop-api"
          "awslogs-region"        = "us-east-1"
          "awslogs-stream-prefix" = "api"
        }
      }
      healthCheck = {
        command  = ["CMD-SHELL", "python -c 'import urllib.request; urllib.request.urlopen(\"http://localhost:8000/\")'"]
        interval = 10
        retries  = 3
        timeout  = 5
      }
    },
    {
      name      = "migrate"
      image     = "python:3.12-slim"
      essential = false
      command   = ["python", "-c", "print('migrated')"]
    }
  ])
  tags = {
    app = "pyshop"
  }
}

resource "aws_ecs_task_definition" "worker" {
  family = "pyshop-worker"
  container_definitions = jsonencode([
    {
      name   = "worker"
      image  = "python:3.12-slim"
      memory = 128
      cpu    = 64
      portMappings = [
        { containerPort = 9000, hostPort = 9000 }
      ]
    }
  ])
}

output "cluster_arn" {
  value = aws_ecs_cluster.main.arn
}

output "api_task_definition_arn" {
  value = aws_ecs_task_definition.api.arn
}

output "api_revision" {
  value = aws_ecs_task_definition.api.revision
}
