#pragma once

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

// SQS's error codes as botocore's JSON model (sqs 2012-11-05) names them, with the code the
// query protocol sends (and the JSON protocol repeats in x-amzn-query-error) where it differs,
// from the query-protocol edition of the model.
namespace awsemu::sqs::errors {

using awsemu::errors::InvalidParameterValue;
using awsemu::errors::MissingParameter;

inline constexpr ErrorSpec QueueDoesNotExist{"QueueDoesNotExist", 400, Fault::Sender,
                                             "AWS.SimpleQueueService.NonExistentQueue"};
inline constexpr ErrorSpec QueueNameExists{"QueueNameExists", 400, Fault::Sender,
                                           "QueueAlreadyExists"};
inline constexpr ErrorSpec QueueDeletedRecently{"QueueDeletedRecently", 400, Fault::Sender,
                                                "AWS.SimpleQueueService.QueueDeletedRecently"};
inline constexpr ErrorSpec PurgeQueueInProgress{"PurgeQueueInProgress", 403, Fault::Sender,
                                                "AWS.SimpleQueueService.PurgeQueueInProgress"};
inline constexpr ErrorSpec MessageNotInflight{"MessageNotInflight", 400, Fault::Sender,
                                              "AWS.SimpleQueueService.MessageNotInflight"};
// AWS's API reference gives these two 404.
inline constexpr ErrorSpec ReceiptHandleIsInvalid{"ReceiptHandleIsInvalid", 404};
inline constexpr ErrorSpec InvalidAttributeName{"InvalidAttributeName", 400};
inline constexpr ErrorSpec InvalidAttributeValue{"InvalidAttributeValue", 400};
inline constexpr ErrorSpec InvalidMessageContents{"InvalidMessageContents", 400};
inline constexpr ErrorSpec InvalidIdFormat{"InvalidIdFormat", 400};
inline constexpr ErrorSpec OverLimit{"OverLimit", 403};
inline constexpr ErrorSpec ResourceNotFoundException{"ResourceNotFoundException", 404};
inline constexpr ErrorSpec UnsupportedOperation{"UnsupportedOperation", 400, Fault::Sender,
                                                "AWS.SimpleQueueService.UnsupportedOperation"};
inline constexpr ErrorSpec EmptyBatchRequest{"EmptyBatchRequest", 400, Fault::Sender,
                                             "AWS.SimpleQueueService.EmptyBatchRequest"};
inline constexpr ErrorSpec TooManyEntriesInBatchRequest{
    "TooManyEntriesInBatchRequest", 400, Fault::Sender,
    "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"};
inline constexpr ErrorSpec BatchEntryIdsNotDistinct{
    "BatchEntryIdsNotDistinct", 400, Fault::Sender,
    "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"};
inline constexpr ErrorSpec InvalidBatchEntryId{"InvalidBatchEntryId", 400, Fault::Sender,
                                               "AWS.SimpleQueueService.InvalidBatchEntryId"};
inline constexpr ErrorSpec BatchRequestTooLong{"BatchRequestTooLong", 400, Fault::Sender,
                                               "AWS.SimpleQueueService.BatchRequestTooLong"};

}  // namespace awsemu::sqs::errors
