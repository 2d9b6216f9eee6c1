#pragma once

#include <string>

namespace awsemu::auth {

// What a header-signed request's own SigV4 signature yields for a body it sends in signed
// chunks (S3's STREAMING-AWS4-HMAC-SHA256-PAYLOAD): each chunk's signature chains from the
// previous one, starting at the request's.
struct ChunkSigning {
    std::string seed_signature;  // hex, the Authorization header's Signature
    std::string signing_key;     // raw 32 bytes, signing_key(secret, scope)
    std::string amz_date;        // X-Amz-Date, 20130524T000000Z
    std::string scope;           // 20130524/us-east-1/s3/aws4_request
};

}  // namespace awsemu::auth
