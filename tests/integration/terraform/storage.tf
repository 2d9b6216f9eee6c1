# S3 and SQS as a web stack's Terraform creates them: a versioned bucket with its
# configuration sub-resources and an object, and a queue with a dead-letter queue that the
# bucket's events go to.
resource "aws_sqs_queue" "uploads_dlq" {
  name                      = "uploads-dlq"
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "uploads" {
  name                       = "uploads"
  visibility_timeout_seconds = 60
  receive_wait_time_seconds  = 20
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.uploads_dlq.arn
    maxReceiveCount     = 5
  })
  tags = {
    app = "pyshop"
  }
}

resource "aws_sqs_queue_policy" "uploads" {
  queue_url = aws_sqs_queue.uploads.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.uploads.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_s3_bucket.assets.arn } }
    }]
  })
}

resource "aws_s3_bucket" "assets" {
  bucket        = "pyshop-assets"
  force_destroy = true
  tags = {
    app = "pyshop"
  }
}

resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "assets" {
  bucket = aws_s3_bucket.assets.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "assets" {
  bucket                  = aws_s3_bucket.assets.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "assets" {
  bucket = aws_s3_bucket.assets.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_cors_configuration" "assets" {
  bucket = aws_s3_bucket.assets.id
  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = ["https://shop.example.com"]
    allowed_headers = ["*"]
    max_age_seconds = 3000
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "assets" {
  bucket     = aws_s3_bucket.assets.id
  depends_on = [aws_s3_bucket_versioning.assets]
  rule {
    id     = "tmp"
    status = "Enabled"
    filter {
      prefix = "tmp/"
    }
    expiration {
      days = 7
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["${aws_s3_bucket.assets.arn}", "${aws_s3_bucket.assets.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket_notification" "assets" {
  bucket = aws_s3_bucket.assets.id
  queue {
    queue_arn     = aws_sqs_queue.uploads.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = "uploads/"
  }
  depends_on = [aws_sqs_queue_policy.uploads]
}

resource "aws_s3_object" "index" {
  bucket       = aws_s3_bucket.assets.id
  key          = "site/index.html"
  content      = "<h1>pyshop</h1>"
  content_type = "text/html"
  depends_on   = [aws_s3_bucket_versioning.assets]
}

# A static site bucket with the sub-resources Terraform modules commonly add.
resource "aws_s3_bucket" "site" {
  bucket        = "pyshop-site"
  force_destroy = true
}

resource "aws_s3_bucket" "logs" {
  bucket        = "pyshop-logs"
  force_destroy = true
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
  error_document {
    key = "error.html"
  }
}

resource "aws_s3_bucket_logging" "site" {
  bucket        = aws_s3_bucket.site.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "site/"
}

resource "aws_s3_bucket_accelerate_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  status = "Enabled"
}

resource "aws_s3_bucket_request_payment_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  payer  = "Requester"
}

resource "aws_s3_object" "page" {
  bucket       = aws_s3_bucket.site.id
  key          = "index.html"
  content      = "<h1>pyshop</h1>"
  content_type = "text/html"
  tags = {
    kind = "page"
  }
}

output "queue_url" {
  value = aws_sqs_queue.uploads.id
}

output "bucket_arn" {
  value = aws_s3_bucket.assets.arn
}
