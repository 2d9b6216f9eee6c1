#include <functional>
#include <memory>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "emulator/http/reverse_proxy.hpp"

namespace awsemu {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* pointer) const { Free(pointer); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

void check(bool ok, const char* what) {
    if (!ok) {
        throw std::runtime_error(std::string("cannot make a self-signed certificate: ") + what);
    }
}

std::string pem(const std::function<int(BIO*)>& write) {
    Bio bio(BIO_new(BIO_s_mem()));
    check(bio != nullptr && write(bio.get()) == 1, "PEM encoding failed");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

TlsIdentity self_signed_identity(const std::vector<std::string>& dns_names) {
    const std::vector<std::string> names =
        dns_names.empty() ? std::vector<std::string>{"localhost"} : dns_names;
    std::string alt_names;
    for (const auto& name : names) {
        check(!name.empty() && name.find_first_of(",:\r\n") == std::string::npos,
              "a name is empty or holds ',' or ':'");
        alt_names.append(alt_names.empty() ? "DNS:" : ",DNS:").append(name);
    }

    // EC P-256: as safe as RSA-2048 and generated in a millisecond rather than a second.
    Key key(EVP_EC_gen("P-256"));
    check(key != nullptr, "key generation failed");

    Certificate certificate(X509_new());
    check(certificate != nullptr, "out of memory");
    check(X509_set_version(certificate.get(), 2) == 1, "X509_set_version");  // X.509 v3
    unsigned char serial[16];
    check(RAND_bytes(serial, sizeof serial) == 1, "RAND_bytes");
    serial[0] &= 0x7F;  // a positive serial number
    BIGNUM* serial_number = BN_bin2bn(serial, sizeof serial, nullptr);
    check(
        serial_number != nullptr &&
            BN_to_ASN1_INTEGER(serial_number, X509_get_serialNumber(certificate.get())) != nullptr,
        "serial number");
    BN_free(serial_number);
    check(X509_gmtime_adj(X509_getm_notBefore(certificate.get()), 0) != nullptr, "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 365L * 24 * 3600) != nullptr,
          "notAfter");
    check(X509_set_pubkey(certificate.get(), key.get()) == 1, "X509_set_pubkey");
    X509_NAME* subject = X509_get_subject_name(certificate.get());
    check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(names.front().c_str()),
                                     -1, -1, 0) == 1,
          "subject");
    check(X509_set_issuer_name(certificate.get(), subject) == 1, "issuer");

    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
    Extension alt(X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, alt_names.c_str()));
    check(alt != nullptr && X509_add_ext(certificate.get(), alt.get(), -1) == 1, "subjectAltName");
    Extension constraints(
        X509V3_EXT_conf_nid(nullptr, &context, NID_basic_constraints, "critical,CA:FALSE"));
    check(constraints != nullptr && X509_add_ext(certificate.get(), constraints.get(), -1) == 1,
          "basicConstraints");
    check(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

    TlsIdentity identity;
    identity.certificate_pem =
        pem([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate.get()); });
    identity.private_key_pem = pem([&](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    return identity;
}

}  // namespace awsemu
