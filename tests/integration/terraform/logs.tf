resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/pyshop-api"
  retention_in_days = 14
  tags = {
    app  = "pyshop"
    tier = "api"
  }
}

resource "aws_cloudwatch_log_group" "web" {
  name = "/ecs/pyshop-web"
}

output "log_group_arn" {
  value = aws_cloudwatch_log_group.api.arn
}
