#include "emulator/protocol/page_token.hpp"

#include "emulator/auth/crypto.hpp"

namespace awsemu {

std::string encode_key_token(const std::string& last_key) {
    return auth::base64_encode(last_key);
}

std::optional<std::string> decode_key_token(const std::optional<std::string>& token) {
    if (!token || token->empty()) {
        return std::string();
    }
    return auth::base64_decode(*token);
}

}  // namespace awsemu
