#include "services/sns/sns_spec.hpp"

namespace awsemu::sns {
namespace {

QueryShape string_list() {
    return QueryShape::list(QueryShape::string());
}

QueryShape structure_list(std::vector<QueryMember> members = {}) {
    return QueryShape::list(QueryShape::structure(std::move(members)));
}

QueryShape attribute_map() {
    return QueryShape::map(QueryShape::string());
}

QueryShape message_attributes_map() {
    // {DataType, StringValue, BinaryValue}: strings on the wire (binary as base64).
    return QueryShape::map(QueryShape::structure({}), /*flattened=*/false, "Name", "Value");
}

}  // namespace

QueryShape query_input_shape(std::string_view operation) {
    if (operation == "CreateTopic") {
        return QueryShape::structure({{"Attributes", attribute_map()}, {"Tags", structure_list()}});
    }
    if (operation == "Subscribe") {
        return QueryShape::structure(
            {{"Attributes", attribute_map()}, {"ReturnSubscriptionArn", QueryShape::boolean()}});
    }
    if (operation == "Publish") {
        return QueryShape::structure({{"MessageAttributes", message_attributes_map()}});
    }
    if (operation == "PublishBatch") {
        return QueryShape::structure(
            {{"PublishBatchRequestEntries",
              structure_list({{"MessageAttributes", message_attributes_map()}})}});
    }
    if (operation == "TagResource") {
        return QueryShape::structure({{"Tags", structure_list()}});
    }
    if (operation == "UntagResource") {
        return QueryShape::structure({{"TagKeys", string_list()}});
    }
    if (operation == "AddPermission") {
        return QueryShape::structure(
            {{"AWSAccountId", string_list()}, {"ActionName", string_list()}});
    }
    if (operation == "CreatePlatformApplication" || operation == "CreatePlatformEndpoint" ||
        operation == "SetPlatformApplicationAttributes" || operation == "SetEndpointAttributes") {
        return QueryShape::structure({{"Attributes", attribute_map()}});
    }
    return QueryShape::structure({});
}

QueryShape query_output_shape(std::string_view operation) {
    if (operation == "ListTopics") {
        return QueryShape::structure({{"Topics", structure_list()}});
    }
    if (operation == "ListSubscriptions" || operation == "ListSubscriptionsByTopic") {
        return QueryShape::structure({{"Subscriptions", structure_list()}});
    }
    if (operation == "GetTopicAttributes" || operation == "GetSubscriptionAttributes") {
        return QueryShape::structure({{"Attributes", attribute_map()}});
    }
    if (operation == "ListTagsForResource") {
        return QueryShape::structure({{"Tags", structure_list()}});
    }
    if (operation == "PublishBatch") {
        return QueryShape::structure(
            {{"Successful", structure_list()},
             {"Failed", structure_list({{"SenderFault", QueryShape::boolean()}})}});
    }
    if (operation == "ListPlatformApplications") {
        return QueryShape::structure({{"PlatformApplications", structure_list()}});
    }
    return QueryShape::structure({});
}

}  // namespace awsemu::sns
