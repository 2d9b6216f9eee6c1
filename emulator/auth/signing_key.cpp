#include "emulator/auth/signing_key.hpp"

#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace awsemu::auth {
namespace {

constexpr long kValiditySeconds = 10L * 365 * 24 * 3600;

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(length));
}

Bio memory_bio(const std::string& text) {
    Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio) {
        fail("BIO_new_mem_buf");
    }
    return bio;
}

}  // namespace

struct SigningKey::Key {
    PKey pkey;
};

SigningKey::SigningKey(std::unique_ptr<Key> key, std::string key_pem, std::string certificate_pem)
    : key_(std::move(key)),
      key_pem_(std::move(key_pem)),
      certificate_pem_(std::move(certificate_pem)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

SigningKey SigningKey::generate(const std::string& common_name) {
    PKey pkey(EVP_RSA_gen(2048));
    if (!pkey) {
        fail("EVP_RSA_gen");
    }
    Certificate certificate(X509_new());
    if (!certificate) {
        fail("X509_new");
    }
    X509_set_version(certificate.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), kValiditySeconds);
    X509_set_pubkey(certificate.get(), pkey.get());
    X509_NAME* name = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("awsemu"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(certificate.get(), name);
    if (X509_sign(certificate.get(), pkey.get(), EVP_sha256()) == 0) {
        fail("X509_sign");
    }
    Bio key_out(BIO_new(BIO_s_mem()));
    Bio certificate_out(BIO_new(BIO_s_mem()));
    if (!key_out || !certificate_out ||
        PEM_write_bio_PrivateKey(key_out.get(), pkey.get(), nullptr, nullptr, 0, nullptr,
                                 nullptr) != 1 ||
        PEM_write_bio_X509(certificate_out.get(), certificate.get()) != 1) {
        fail("PEM_write");
    }
    return SigningKey(std::make_unique<Key>(Key{std::move(pkey)}), bio_text(key_out.get()),
                      bio_text(certificate_out.get()));
}

SigningKey SigningKey::from_pem(const std::string& key_pem, const std::string& certificate_pem) {
    const Bio bio = memory_bio(key_pem);
    PKey pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!pkey) {
        fail("PEM_read_bio_PrivateKey");
    }
    return SigningKey(std::make_unique<Key>(Key{std::move(pkey)}), key_pem, certificate_pem);
}

std::string SigningKey::sign(std::string_view data, SignatureDigest digest) const {
    DigestContext context(EVP_MD_CTX_new());
    const EVP_MD* md = digest == SignatureDigest::Sha1 ? EVP_sha1() : EVP_sha256();
    std::size_t length = 0;
    if (!context ||
        EVP_DigestSignInit(context.get(), nullptr, md, nullptr, key_->pkey.get()) != 1 ||
        EVP_DigestSignUpdate(context.get(), data.data(), data.size()) != 1 ||
        EVP_DigestSignFinal(context.get(), nullptr, &length) != 1) {
        fail("EVP_DigestSign");
    }
    std::string signature(length, '\0');
    if (EVP_DigestSignFinal(context.get(), reinterpret_cast<unsigned char*>(signature.data()),
                            &length) != 1) {
        fail("EVP_DigestSignFinal");
    }
    signature.resize(length);
    return signature;
}

}  // namespace awsemu::auth
