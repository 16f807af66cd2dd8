resource "aws_s3_bucket" "b" {
  acl = "private"
  tags = {
    Owner =
  }
}
