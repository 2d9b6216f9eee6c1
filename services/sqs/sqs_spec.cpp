#include "services/sqs/sqs_spec.hpp"

namespace awsemu::sqs {
namespace {

QueryShape flat_list(QueryShape item = QueryShape::string()) {
    return QueryShape::list(std::move(item), /*flattened=*/true);
}

QueryShape name_value_map(QueryShape value = QueryShape::string()) {
    return QueryShape::map(std::move(value), /*flattened=*/true, "Name", "Value");
}

QueryShape key_value_map() {
    return QueryShape::map(QueryShape::string(), /*flattened=*/true, "Key", "Value");
}

QueryShape message_attributes_map() {
    // {StringValue, BinaryValue, DataType}: all strings on the wire (binary as base64).
    return name_value_map(QueryShape::structure({}));
}

std::vector<QueryMember> message_members() {
    return {{"DelaySeconds", QueryShape::integer()},
            {"MessageAttributes", message_attributes_map(), "MessageAttribute"},
            {"MessageSystemAttributes", message_attributes_map(), "MessageSystemAttribute"}};
}

QueryShape batch_result(const char* entry_name) {
    return QueryShape::structure(
        {{"Successful", flat_list(QueryShape::structure({})), entry_name},
         {"Failed", flat_list(QueryShape::structure({{"SenderFault", QueryShape::boolean()}})),
          "BatchResultErrorEntry"}});
}

}  // namespace

QueryShape query_input_shape(std::string_view operation) {
    if (operation == "CreateQueue") {
        return QueryShape::structure(
            {{"Attributes", name_value_map(), "Attribute"}, {"tags", key_value_map(), "Tag"}});
    }
    if (operation == "SetQueueAttributes") {
        return QueryShape::structure({{"Attributes", name_value_map(), "Attribute"}});
    }
    if (operation == "GetQueueAttributes") {
        return QueryShape::structure({{"AttributeNames", flat_list(), "AttributeName"}});
    }
    if (operation == "ListQueues" || operation == "ListDeadLetterSourceQueues" ||
        operation == "ListMessageMoveTasks") {
        return QueryShape::structure({{"MaxResults", QueryShape::integer()}});
    }
    if (operation == "SendMessage") {
        return QueryShape::structure(message_members());
    }
    if (operation == "SendMessageBatch") {
        auto entry = message_members();
        return QueryShape::structure(
            {{"Entries", flat_list(QueryShape::structure(entry)), "SendMessageBatchRequestEntry"}});
    }
    if (operation == "ReceiveMessage") {
        return QueryShape::structure(
            {{"AttributeNames", flat_list(), "AttributeName"},
             {"MessageSystemAttributeNames", flat_list(), "MessageSystemAttributeName"},
             {"MessageAttributeNames", flat_list(), "MessageAttributeName"},
             {"MaxNumberOfMessages", QueryShape::integer()},
             {"VisibilityTimeout", QueryShape::integer()},
             {"WaitTimeSeconds", QueryShape::integer()}});
    }
    if (operation == "DeleteMessageBatch") {
        return QueryShape::structure(
            {{"Entries", flat_list(QueryShape::structure({})), "DeleteMessageBatchRequestEntry"}});
    }
    if (operation == "ChangeMessageVisibility") {
        return QueryShape::structure({{"VisibilityTimeout", QueryShape::integer()}});
    }
    if (operation == "ChangeMessageVisibilityBatch") {
        return QueryShape::structure(
            {{"Entries",
              flat_list(QueryShape::structure({{"VisibilityTimeout", QueryShape::integer()}})),
              "ChangeMessageVisibilityBatchRequestEntry"}});
    }
    if (operation == "TagQueue") {
        return QueryShape::structure({{"Tags", key_value_map(), "Tag"}});
    }
    if (operation == "UntagQueue") {
        return QueryShape::structure({{"TagKeys", flat_list(), "TagKey"}});
    }
    if (operation == "AddPermission") {
        return QueryShape::structure({{"AWSAccountIds", flat_list(), "AWSAccountId"},
                                      {"Actions", flat_list(), "ActionName"}});
    }
    if (operation == "StartMessageMoveTask") {
        return QueryShape::structure({{"MaxNumberOfMessagesPerSecond", QueryShape::integer()}});
    }
    return QueryShape::structure({});
}

QueryShape query_output_shape(std::string_view operation) {
    if (operation == "GetQueueAttributes") {
        return QueryShape::structure({{"Attributes", name_value_map(), "Attribute"}});
    }
    if (operation == "ListQueues") {
        return QueryShape::structure({{"QueueUrls", flat_list(), "QueueUrl"}});
    }
    if (operation == "ListDeadLetterSourceQueues") {
        return QueryShape::structure({{"queueUrls", flat_list(), "QueueUrl"}});
    }
    if (operation == "ListQueueTags") {
        return QueryShape::structure({{"Tags", key_value_map(), "Tag"}});
    }
    if (operation == "ReceiveMessage") {
        const QueryShape message = QueryShape::structure(
            {{"Attributes", name_value_map(), "Attribute"},
             {"MessageAttributes", message_attributes_map(), "MessageAttribute"}});
        return QueryShape::structure({{"Messages", flat_list(message), "Message"}});
    }
    if (operation == "SendMessageBatch") {
        return batch_result("SendMessageBatchResultEntry");
    }
    if (operation == "DeleteMessageBatch") {
        return batch_result("DeleteMessageBatchResultEntry");
    }
    if (operation == "ChangeMessageVisibilityBatch") {
        return batch_result("ChangeMessageVisibilityBatchResultEntry");
    }
    if (operation == "ListMessageMoveTasks") {
        return QueryShape::structure(
            {{"Results",
              flat_list(QueryShape::structure(
                  {{"MaxNumberOfMessagesPerSecond", QueryShape::integer()},
                   {"ApproximateNumberOfMessagesMoved", QueryShape::integer()},
                   {"ApproximateNumberOfMessagesToMove", QueryShape::integer()},
                   {"StartedTimestamp", QueryShape::integer()}})),
              "ListMessageMoveTasksResultEntry"}});
    }
    return QueryShape::structure({});
}

}  // namespace awsemu::sqs
