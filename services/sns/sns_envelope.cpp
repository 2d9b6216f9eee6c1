#include "services/sns/sns_envelope.hpp"

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/url_encoding.hpp"
#include "emulator/runtime/time_format.hpp"

namespace awsemu::sns {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string quoted(const std::string& text) {
    return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// {"Name" : "Value", ...} with AWS's spacing: two-space indent, " : " between name and value.
class EnvelopeWriter {
  public:
    EnvelopeWriter& field(const std::string& name, const std::string& value) {
        return raw(name, quoted(value));
    }
    EnvelopeWriter& raw(const std::string& name, const std::string& json) {
        text_ += text_.empty() ? "{\n" : ",\n";
        text_ += "  " + quoted(name) + " : " + json;
        return *this;
    }
    std::string finish() { return text_ + "\n}"; }

  private:
    std::string text_;
};

std::string attributes_json(const MessageAttributes& attributes) {
    std::string text = "{";
    bool first = true;
    for (const auto& [name, value] : attributes) {
        text += first ? "\n" : ",\n";
        first = false;
        const std::string shown = value.binary ? auth::base64_encode(value.value) : value.value;
        text += "    " + quoted(name) + " : {\"Type\":" + quoted(value.data_type) +
                ",\"Value\":" + quoted(shown) + "}";
    }
    return text + "\n  }";
}

}  // namespace

std::string notification_envelope(PublishedMessage& message, const Subscription& subscription,
                                  const Topic& topic, const MessageSigner& signer,
                                  const std::string& endpoint) {
    const std::string& text = message.message_for(subscription.protocol);
    const std::string timestamp = format_iso8601_millis(message.timestamp);
    EnvelopeWriter out;
    out.field("Type", "Notification").field("MessageId", message.message_id);
    if (message.sequence_number) {
        out.field("SequenceNumber", *message.sequence_number);
    }
    out.field("TopicArn", message.topic_arn);
    if (message.subject) {
        out.field("Subject", *message.subject);
    }
    out.field("Message", text).field("Timestamp", timestamp);
    // AWS signs no message of a FIFO topic: its envelope has no SignatureVersion, Signature or
    // SigningCertURL.
    if (!topic.fifo()) {
        Fields signed_fields = {{"Message", text}, {"MessageId", message.message_id}};
        if (message.subject) {
            signed_fields.emplace_back("Subject", *message.subject);
        }
        signed_fields.emplace_back("Timestamp", timestamp);
        signed_fields.emplace_back("TopicArn", message.topic_arn);
        signed_fields.emplace_back("Type", "Notification");
        const std::string version = topic.signature_version();
        // Of the fields signed only the text differs between subscribers.
        auto signature = message.signatures.find(text);
        if (signature == message.signatures.end()) {
            signature = message.signatures.emplace(text, signer.sign(signed_fields, version)).first;
        }
        out.field("SignatureVersion", version)
            .field("Signature", signature->second)
            .field("SigningCertURL", signer.certificate_url(endpoint));
    }
    out.field("UnsubscribeURL", endpoint +
                                    "/?Action=Unsubscribe&Version=" + std::string(kQueryVersion) +
                                    "&SubscriptionArn=" + uri_encode(subscription.arn));
    if (!message.attributes.empty()) {
        out.raw("MessageAttributes", attributes_json(message.attributes));
    }
    return out.finish();
}

std::string subscribe_url(const std::string& endpoint, const std::string& topic_arn,
                          const std::string& token) {
    return endpoint + "/?Action=ConfirmSubscription&Version=" + std::string(kQueryVersion) +
           "&TopicArn=" + uri_encode(topic_arn) + "&Token=" + uri_encode(token);
}

std::string confirmation_envelope(const std::string& message_id, const Subscription& subscription,
                                  const Topic& topic, TimePoint timestamp,
                                  const MessageSigner& signer, const std::string& endpoint) {
    const std::string text = "You have chosen to subscribe to the topic " + subscription.topic_arn +
                             ".\nTo confirm the subscription, visit the SubscribeURL included in "
                             "this message.";
    const std::string url = subscribe_url(endpoint, subscription.topic_arn, subscription.token);
    const std::string time = format_iso8601_millis(timestamp);
    const Fields signed_fields = {{"Message", text},
                                  {"MessageId", message_id},
                                  {"SubscribeURL", url},
                                  {"Timestamp", time},
                                  {"Token", subscription.token},
                                  {"TopicArn", subscription.topic_arn},
                                  {"Type", "SubscriptionConfirmation"}};
    const std::string version = topic.signature_version();
    return EnvelopeWriter()
        .field("Type", "SubscriptionConfirmation")
        .field("MessageId", message_id)
        .field("Token", subscription.token)
        .field("TopicArn", subscription.topic_arn)
        .field("Message", text)
        .field("SubscribeURL", url)
        .field("Timestamp", time)
        .field("SignatureVersion", version)
        .field("Signature", signer.sign(signed_fields, version))
        .field("SigningCertURL", signer.certificate_url(endpoint))
        .finish();
}

}  // namespace awsemu::sns
