#include "emulator/auth/signing_key.hpp"

#include <memory>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <catch2/catch.hpp>

using namespace awsemu::auth;

namespace {

// Verifies with the public key of the PEM certificate, as a receiver of signed messages does.
bool verifies(const std::string& certificate_pem, const std::string& data,
              const std::string& signature, const EVP_MD* md) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())),
        &BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> certificate(
        PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
    REQUIRE(certificate);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(X509_get_pubkey(certificate.get()),
                                                            &EVP_PKEY_free);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
    REQUIRE(EVP_DigestVerifyInit(context.get(), nullptr, md, nullptr, key.get()) == 1);
    return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                            data.size()) == 1;
}

}  // namespace

TEST_CASE("Signing key: signatures verify with its self-signed certificate", "[auth][unit]") {
    const SigningKey key = SigningKey::generate("sns.amazonaws.com");
    CHECK(key.certificate_pem().starts_with("-----BEGIN CERTIFICATE-----"));
    const std::string sha1 = key.sign("message", SignatureDigest::Sha1);
    const std::string sha256 = key.sign("message", SignatureDigest::Sha256);
    CHECK(sha1.size() == 256);  // 2048-bit RSA
    CHECK(verifies(key.certificate_pem(), "message", sha1, EVP_sha1()));
    CHECK(verifies(key.certificate_pem(), "message", sha256, EVP_sha256()));
    CHECK_FALSE(verifies(key.certificate_pem(), "other", sha256, EVP_sha256()));
    // Reloaded from its PEM text, the key signs the same (PKCS#1 v1.5 is deterministic).
    const SigningKey reloaded = SigningKey::from_pem(key.key_pem(), key.certificate_pem());
    CHECK(reloaded.sign("message", SignatureDigest::Sha256) == sha256);
    CHECK_THROWS_AS(SigningKey::from_pem("not pem", key.certificate_pem()), std::runtime_error);
}
