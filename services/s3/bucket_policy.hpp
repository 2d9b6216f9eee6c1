#pragma once

#include <string>

#include <nlohmann/json.hpp>

// What PutBucketPolicy checks of a policy before it keeps it: the shape AWS accepts
// (MalformedPolicy otherwise) and whether it makes the bucket public, which Block Public
// Access's BlockPublicPolicy refuses.
namespace awsemu::s3 {

// Throws MalformedPolicy, with AWS's reason, unless `policy` is a bucket policy S3 takes for
// `bucket`: a known Version, Statement objects (or one) with Effect Allow or Deny, a Principal,
// an Action (or NotAction) in s3:, and Resources in this bucket.
void check_bucket_policy(const nlohmann::json& policy, const std::string& bucket);

// Whether the policy allows anyone at all (Principal "*" or {"AWS": "*"}) without a
// Condition: what S3 calls a public policy. (AWS also accepts some conditions as limiting
// access, e.g. aws:SourceIp; awsemu counts any Condition as limiting.)
bool grants_public_access(const nlohmann::json& policy);

}  // namespace awsemu::s3
