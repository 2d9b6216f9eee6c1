#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emulator/auth/signing_key.hpp"
#include "emulator/http/http_message.hpp"
#include "emulator/store/database.hpp"

namespace awsemu::sns {

class SnsStore;

// Signs SNS messages as AWS does (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA, over the
// message's "Name\nValue\n" string to sign) with a key kept in the store, whose certificate
// awsemu serves at the SigningCertURL it puts in every message.
//
// The key is loaded, or made and stored, on first use rather than at start: making an RSA-2048
// key takes a hundred milliseconds or more, which every start (and every --in-memory start) of
// a server that may never sign a message would pay.
class MessageSigner {
  public:
    MessageSigner(Database& database, SnsStore& store) : database_(database), store_(store) {}

    // The path under /_awsemu/sns/ where the certificate is served.
    const std::string& certificate_name() const { return loaded().certificate_name; }
    const std::string& certificate_pem() const { return loaded().key.certificate_pem(); }
    std::string certificate_url(const std::string& endpoint) const;

    // Base64 of the signature over `fields` (name, value), which must be the fields AWS signs
    // for the message type, in AWS's order.
    std::string sign(const std::vector<std::pair<std::string, std::string>>& fields,
                     const std::string& signature_version) const;

  private:
    struct Loaded {
        auth::SigningKey key;
        std::string certificate_name;
    };
    const Loaded& loaded() const;

    Database& database_;
    SnsStore& store_;
    mutable std::once_flag once_;
    mutable std::optional<Loaded> loaded_;
};

// The string AWS signs: each field as "Name\nValue\n".
std::string string_to_sign(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace awsemu::sns
