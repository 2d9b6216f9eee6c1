#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "emulator/http/http_message.hpp"

namespace awsemu::s3 {

// What an S3 request addresses: bucket and key from the path (path style) or from the Host
// header (virtual-host style: bucket.localhost:4566, bucket.s3.localhost, bucket.s3.amazonaws.com).
struct S3Target {
    std::string bucket;  // empty: the service (ListBuckets)
    std::string key;     // decoded; empty: the bucket itself
};

S3Target target_of(const HttpRequest& request);

}  // namespace awsemu::s3
