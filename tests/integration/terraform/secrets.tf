data "aws_caller_identity" "current" {}

resource "aws_secretsmanager_secret" "database_url" {
  name                    = "pyshop/DATABASE_URL"
  description             = "connection string for the API"
  recovery_window_in_days = 7
  tags = {
    app = "pyshop"
  }
}

resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id     = aws_secretsmanager_secret.database_url.id
  secret_string = jsonencode({ url = "postgres://app:pw@db:5432/app" })
}

resource "aws_secretsmanager_secret_policy" "database_url" {
  secret_arn = aws_secretsmanager_secret.database_url.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}

output "account_id" {
  value = data.aws_caller_identity.current.account_id
}

output "secret_arn" {
  value = aws_secretsmanager_secret.database_url.arn
}
