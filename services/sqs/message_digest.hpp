#pragma once

#include <map>
#include <string>
#include <string_view>

// The digests SQS returns beside a message (MD5OfMessageBody, MD5OfMessageAttributes,
// MD5OfMessageSystemAttributes). AWS SDKs recompute them from what they sent or received and
// reject the response when they differ, so they must match AWS bit for bit.
namespace awsemu::sqs {

struct MessageAttributeValue {
    std::string data_type;  // "String", "Number", "Binary", or with a custom suffix:
                            // "Number.float", "Binary.gif"
    std::string value;      // the StringValue, or the decoded bytes of the BinaryValue
    bool binary = false;    // true when data_type starts with "Binary"
};
// Sorted by name, which is the order the digest needs.
using MessageAttributes = std::map<std::string, MessageAttributeValue>;

// Lower-case hex MD5 of the body's bytes (UTF-8 as received).
std::string md5_of_body(std::string_view body);

// MD5OfMessageAttributes / MD5OfMessageSystemAttributes exactly as AWS computes them; "" when
// empty (AWS then leaves the field out of the response).
std::string md5_of_attributes(const MessageAttributes& attributes);

}  // namespace awsemu::sqs
