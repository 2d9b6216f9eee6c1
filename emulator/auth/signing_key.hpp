#pragma once

#include <memory>
#include <string>
#include <string_view>

// An RSA key with a self-signed X.509 certificate, for what awsemu signs and others verify
// with the certificate (SNS messages, and later the ALB's TLS listeners).
namespace awsemu::auth {

enum class SignatureDigest { Sha1, Sha256 };

class SigningKey {
  public:
    // A new 2048-bit key and a certificate for `common_name`, valid for ten years.
    static SigningKey generate(const std::string& common_name);
    // From PEM text that generate() made; throws std::runtime_error when it does not parse.
    static SigningKey from_pem(const std::string& key_pem, const std::string& certificate_pem);

    SigningKey(SigningKey&&) noexcept;
    SigningKey& operator=(SigningKey&&) noexcept;
    ~SigningKey();

    const std::string& key_pem() const { return key_pem_; }
    const std::string& certificate_pem() const { return certificate_pem_; }
    // Raw PKCS#1 v1.5 signature of `data` (RSA-SHA1 or RSA-SHA256).
    std::string sign(std::string_view data, SignatureDigest digest) const;

  private:
    struct Key;
    SigningKey(std::unique_ptr<Key> key, std::string key_pem, std::string certificate_pem);

    std::unique_ptr<Key> key_;
    std::string key_pem_;
    std::string certificate_pem_;
};

}  // namespace awsemu::auth
