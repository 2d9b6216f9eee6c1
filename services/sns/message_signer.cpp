#include "services/sns/message_signer.hpp"

#include "emulator/auth/crypto.hpp"
#include "services/sns/sns_store.hpp"

namespace awsemu::sns {
namespace {

auth::SigningKey load_or_make(SnsStore& store) {
    if (const auto stored = store.signing_key()) {
        return auth::SigningKey::from_pem(stored->first, stored->second);
    }
    auth::SigningKey key = auth::SigningKey::generate("sns.amazonaws.com");
    store.save_signing_key(key.key_pem(), key.certificate_pem());
    return key;
}

}  // namespace

const MessageSigner::Loaded& MessageSigner::loaded() const {
    std::call_once(once_, [this] {
        auto transaction = database_.transaction();
        auth::SigningKey key = load_or_make(store_);
        transaction.commit();
        const std::string name =
            "SimpleNotificationService-" + auth::md5_hex(key.certificate_pem()) + ".pem";
        loaded_.emplace(Loaded{std::move(key), name});
    });
    return *loaded_;
}

std::string MessageSigner::certificate_url(const std::string& endpoint) const {
    return endpoint + "/_awsemu/sns/" + certificate_name();
}

std::string MessageSigner::sign(const std::vector<std::pair<std::string, std::string>>& fields,
                                const std::string& signature_version) const {
    const auto digest =
        signature_version == "2" ? auth::SignatureDigest::Sha256 : auth::SignatureDigest::Sha1;
    return auth::base64_encode(loaded().key.sign(string_to_sign(fields), digest));
}

std::string string_to_sign(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string text;
    for (const auto& [name, value] : fields) {
        text.append(name).append("\n").append(value).append("\n");
    }
    return text;
}

}  // namespace awsemu::sns
