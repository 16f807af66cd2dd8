resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"
  acl    = "public-read"
}
