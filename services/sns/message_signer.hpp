#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emulator/auth/signing_key.hpp"
#include "emulator/http/http_message.hpp"

namespace awsemu::sns {

class SnsStore;

// Signs SNS messages as AWS does (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA, over the
// message's "Name\nValue\n" string to sign) with a key made at first start and kept in the
// store, whose certificate awsemu serves at the SigningCertURL it puts in every message.
class MessageSigner {
  public:
    // Loads the stored key, or makes and stores one.
    explicit MessageSigner(SnsStore& store);

    // The path under /_awsemu/sns/ where the certificate is served.
    const std::string& certificate_name() const { return certificate_name_; }
    const std::string& certificate_pem() const { return key_.certificate_pem(); }
    std::string certificate_url(const std::string& endpoint) const;

    // Base64 of the signature over `fields` (name, value), which must be the fields AWS signs
    // for the message type, in AWS's order.
    std::string sign(const std::vector<std::pair<std::string, std::string>>& fields,
                     const std::string& signature_version) const;

  private:
    auth::SigningKey key_;
    std::string certificate_name_;
};

// The string AWS signs: each field as "Name\nValue\n".
std::string string_to_sign(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace awsemu::sns
