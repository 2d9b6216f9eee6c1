#include "services/sns/sns_message.hpp"

namespace awsemu::sns {

const std::string& PublishedMessage::message_for(const std::string& protocol) const {
    if (per_protocol.is_object()) {
        const auto it = per_protocol.find(protocol);
        if (it != per_protocol.end() && it->is_string()) {
            return it->get_ref<const std::string&>();
        }
    }
    return message;
}

}  // namespace awsemu::sns
